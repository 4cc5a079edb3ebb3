"""Demo organisations: per region, its units and the tree of positions.

A unit's positions form a tree from its head down: JPT (kepala dinas/badan)
→ administrator (sekretaris, kepala bidang) → pengawas (kepala seksi,
subbagian, subbidang, puskesmas) → pelaksana and fungsional staff. A unit
head reports to a position of another unit (kepala dinas → Sekretaris Daerah,
camat → Asisten Pemerintahan, kepala puskesmas → kepala dinas kesehatan).

Each region stresses what its seed document asks for: Sawahlunto the health
sector, Ambon community input and public communication, Salor document
services, Palangka Raya competence development and IT, Walesi poverty and
vaccination programmes and their planning and reporting. One pengawas per
region is marked ``penilai`` (the demo section head with a team); at least
one structural post is left vacant so that a Plt acts in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.org.models import PositionKind, UnitKind


@dataclass(frozen=True)
class Post:
    """A position and the positions reporting to it."""

    key: str  # unique within the unit; the position code is UNIT-KEY
    name: str
    kind: PositionKind
    reports: tuple[Post, ...] = ()
    holders: int = 1  # structural posts: 1 (0 if vacant)
    pppk: int = 0  # how many of the holders are PPPK
    titles: str = "adm"  # key in names.TITLES
    female_share: float = 0.4
    vacant: bool = False  # left vacant; a Plt acts in it
    role: str | None = None  # "penilai": the demo section head

    def walk(self, boss: Post | None = None) -> Iterator[tuple[Post, Post | None]]:
        """This post and every post below it, each with its boss, top down."""
        yield self, boss
        for post in self.reports:
            yield from post.walk(self)


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    kind: UnitKind
    head: Post
    parent: str | None = None  # code of the parent unit
    reports_to: str | None = None  # code of the position the unit head reports to


@dataclass(frozen=True)
class OrgPlan:
    names: str  # key in names.STYLES
    units: tuple[UnitPlan, ...]


def position_code(unit: UnitPlan, post: Post) -> str:
    return f"{unit.code}-{post.key}"


# --- building blocks -------------------------------------------------------------

def jpt(key: str, name: str, *reports: Post, titles: str = "jpt") -> Post:
    return Post(key, name, PositionKind.JPT, reports, titles=titles, female_share=0.3)


def adm(key: str, name: str, *reports: Post, titles: str = "adm", vacant: bool = False) -> Post:
    return Post(key, name, PositionKind.ADMINISTRATOR, reports, titles=titles, vacant=vacant,
                holders=0 if vacant else 1)


def kasi(key: str, name: str, *reports: Post, titles: str = "adm", vacant: bool = False,
         role: str | None = None) -> Post:
    return Post(key, name, PositionKind.PENGAWAS, reports, titles=titles, vacant=vacant,
                holders=0 if vacant else 1, role=role, female_share=0.5)


def staf(key: str, name: str, holders: int = 1, *, pppk: int = 0, titles: str = "pelaksana",
         female_share: float = 0.5) -> Post:
    return Post(key, name, PositionKind.PELAKSANA, holders=holders, pppk=pppk, titles=titles,
                female_share=female_share)


def jf(key: str, name: str, holders: int = 1, *, pppk: int = 0, titles: str = "adm",
       female_share: float = 0.5) -> Post:
    return Post(key, name, PositionKind.FUNGSIONAL, holders=holders, pppk=pppk, titles=titles,
                female_share=female_share)


SEKDA = "SETDA-SEKDA"
ASPEM = "SETDA-ASPEM"


def setda() -> UnitPlan:
    return UnitPlan("SETDA", "Sekretariat Daerah", UnitKind.SEKRETARIAT, jpt(
        "SEKDA", "Sekretaris Daerah",
        jpt("ASPEM", "Asisten Pemerintahan dan Kesejahteraan Rakyat",
            adm("KBAG-PEM", "Kepala Bagian Pemerintahan",
                jf("ANKEB", "Analis Kebijakan Ahli Muda"),
                staf("PDI", "Pengolah Data dan Informasi"))),
        jpt("ASADM", "Asisten Administrasi Umum",
            adm("KBAG-ORG", "Kepala Bagian Organisasi",
                jf("ANORG", "Analis Kebijakan Ahli Pertama")))))


def bkpsdm(training: Post | None = None) -> UnitPlan:
    training = training or jf("ASDM-PK", "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
                              titles="sdm")
    return UnitPlan("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                    UnitKind.BADAN, jpt(
        "KABAN", "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        adm("SEK", "Sekretaris Badan Kepegawaian dan Pengembangan SDM",
            kasi("KSB-UMPEG", "Kepala Subbagian Umum dan Kepegawaian",
                 staf("PPK", "Pengadministrasi Perkantoran"))),
        adm("KBID-PPIK", "Kepala Bidang Pengadaan, Pemberhentian dan Informasi Kepegawaian",
            jf("ASDM", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", 2, titles="sdm"),
            jf("PRAKOM", "Pranata Komputer Ahli Pertama", titles="it")),
        adm("KBID-PKA", "Kepala Bidang Pengembangan Kompetensi Aparatur", training)),
        reports_to=SEKDA)


def dinas_sekretariat(unit_name: str) -> Post:
    return adm("SEK", f"Sekretaris {unit_name}",
               kasi("KSB-UMPEG", "Kepala Subbagian Umum dan Kepegawaian",
                    staf("PPK", "Pengadministrasi Perkantoran")))


def puskesmas(code: str, place: str, *, pppk: int = 1, extra: tuple[Post, ...] = ()) -> UnitPlan:
    return UnitPlan(code, f"Puskesmas {place}", UnitKind.PUSKESMAS, kasi(
        "KAPUS", f"Kepala Puskesmas {place}",
        jf("DOKTER", "Dokter Ahli Pertama", titles="dokter"),
        jf("PERAWAT", "Perawat Terampil", 2, pppk=pppk, titles="perawat", female_share=0.7),
        jf("BIDAN", "Bidan Terampil", 2, pppk=pppk, titles="bidan", female_share=1.0),
        *extra,
        staf("PPK", "Pengadministrasi Perkantoran"),
        titles="adm_kes"), parent="DINKES", reports_to="DINKES-KADIS")


def disdukcapil(*, full: bool = False) -> UnitPlan:
    name = "Dinas Kependudukan dan Pencatatan Sipil"
    if not full:
        return UnitPlan("DISDUKCAPIL", name, UnitKind.DINAS, jpt(
            "KADIS", f"Kepala {name}",
            adm("KBID-DAFDUK", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
                kasi("KSI-IDDUK", "Kepala Seksi Identitas Penduduk",
                     staf("OLO", "Operator Layanan Operasional", 2, pppk=1)))),
            reports_to=SEKDA)
    return UnitPlan("DISDUKCAPIL", name, UnitKind.DINAS, jpt(
        "KADIS", f"Kepala {name}",
        dinas_sekretariat(name),
        adm("KBID-DAFDUK", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
            kasi("KSI-IDDUK", "Kepala Seksi Identitas Penduduk",
                 staf("OLO", "Operator Layanan Operasional", 2, pppk=1),
                 staf("PDI", "Pengolah Data dan Informasi"),
                 jf("ADBKEP", "Administrator Database Kependudukan Ahli Pertama", titles="it"),
                 role="penilai"),
            kasi("KSI-PINDAH", "Kepala Seksi Pindah Datang Penduduk",
                 staf("PLO-PINDAH", "Penata Layanan Operasional"))),
        adm("KBID-CAPIL", "Kepala Bidang Pelayanan Pencatatan Sipil",
            kasi("KSI-LAHIR", "Kepala Seksi Kelahiran dan Kematian",
                 staf("PLO-LAHIR", "Penata Layanan Operasional", 2, pppk=1)),
            kasi("KSI-KAWIN", "Kepala Seksi Perkawinan dan Perceraian",
                 staf("PLO-KAWIN", "Penata Layanan Operasional"), vacant=True)),
        adm("KBID-PIAK", "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
            jf("PRAKOM", "Pranata Komputer Ahli Pertama", titles="it"))),
        reports_to=SEKDA)


def kecamatan(code: str, name: str, head: str, *, section_staff: int = 1) -> UnitPlan:
    """A kecamatan, or a distrik in Papua (its head then is the Kepala Distrik)."""
    return UnitPlan(code, name, UnitKind.KECAMATAN, adm(
        "CAMAT", head,
        kasi("KSI-PEM", "Kepala Seksi Pemerintahan", staf("PDI", "Pengolah Data dan Informasi")),
        kasi("KSI-YAN", "Kepala Seksi Pelayanan Umum",
             staf("PLO", "Penata Layanan Operasional", section_staff))),
        reports_to=ASPEM)


def sekolah(code: str, name: str, *, parent: str, reports_to: str, teachers: int = 3,
            pppk: int = 2, titles: str = "guru") -> UnitPlan:
    return UnitPlan(code, name, UnitKind.SEKOLAH, kasi(
        "KEPSEK", f"Kepala {name}",
        jf("GURU", "Guru Ahli Pertama", teachers, pppk=pppk, titles=titles, female_share=0.65),
        jf("GURU-MUDA", "Guru Ahli Muda", titles=titles, female_share=0.6),
        staf("PPK", "Pengadministrasi Perkantoran"),
        titles=titles), parent=parent, reports_to=reports_to)


# --- the regions -----------------------------------------------------------------

def _sawahlunto() -> OrgPlan:
    # The health sector in detail: measurable health services, two puskesmas.
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        dinas_sekretariat("Dinas Kesehatan"),
        adm("KBID-YANKES", "Kepala Bidang Pelayanan dan Sumber Daya Kesehatan",
            kasi("KSI-YANPRIM", "Kepala Seksi Pelayanan Kesehatan Primer",
                 jf("ADMKES", "Administrator Kesehatan Ahli Pertama", titles="kesmas"),
                 staf("PLO", "Penata Layanan Operasional", 2, pppk=1),
                 jf("NUTRISI", "Nutrisionis Terampil", pppk=1, titles="kesmas",
                    female_share=0.8),
                 titles="adm_kes", role="penilai"),
            kasi("KSI-SDK", "Kepala Seksi Sumber Daya Kesehatan",
                 staf("PDI", "Pengolah Data dan Informasi"), titles="adm_kes"),
            titles="adm_kes"),
        adm("KBID-KESMAS", "Kepala Bidang Kesehatan Masyarakat",
            kasi("KSI-GIZI", "Kepala Seksi Kesehatan Keluarga dan Gizi",
                 jf("PROMKES", "Penyuluh Kesehatan Masyarakat Ahli Pertama", titles="kesmas"),
                 titles="adm_kes"),
            kasi("KSI-KESLING", "Kepala Seksi Kesehatan Lingkungan",
                 jf("SANITARIAN", "Sanitarian Terampil", titles="kesmas"),
                 titles="adm_kes", vacant=True),
            titles="adm_kes"),
        adm("KBID-P2P", "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
            jf("EPID", "Epidemiolog Kesehatan Ahli Pertama", titles="kesmas"),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    return OrgPlan("sawahlunto", (
        setda(),
        bkpsdm(),
        dinkes,
        puskesmas("PKM-TALAWI", "Talawi"),
        puskesmas("PKM-SILUNGKANG", "Silungkang"),
        disdukcapil(),
        kecamatan("KEC-TALAWI", "Kecamatan Talawi", "Camat Talawi"),
    ))


def _ambon() -> OrgPlan:
    # Community input and public communication; schools; fisheries.
    kominfo = UnitPlan("DISKOMINFO", "Dinas Komunikasi, Informatika dan Persandian",
                       UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Komunikasi, Informatika dan Persandian",
        adm("KBID-IKP", "Kepala Bidang Informasi dan Komunikasi Publik",
            kasi("KSI-ASPIRASI", "Kepala Seksi Layanan Aspirasi dan Pengaduan Masyarakat",
                 jf("HUMAS", "Pranata Hubungan Masyarakat Ahli Pertama", titles="humas"),
                 staf("PLO", "Penata Layanan Operasional", 2, pppk=1),
                 staf("PDI", "Pengolah Data dan Informasi"),
                 role="penilai"),
            kasi("KSI-PIP", "Kepala Seksi Pengelolaan Informasi Publik",
                 staf("PDI-PIP", "Pengolah Data dan Informasi")),
            kasi("KSI-KOMPUB", "Kepala Seksi Komunikasi Publik",
                 jf("HUMAS-T", "Pranata Hubungan Masyarakat Terampil", titles="humas"),
                 vacant=True)),
        adm("KBID-APTIKA", "Kepala Bidang Aplikasi Informatika",
            jf("PRAKOM", "Pranata Komputer Ahli Pertama", 2, titles="it"))),
        reports_to=SEKDA)
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        adm("KBID-P2P", "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
            kasi("KSI-SURIM", "Kepala Seksi Surveilans dan Imunisasi",
                 jf("EPID", "Epidemiolog Kesehatan Ahli Pertama", titles="kesmas"),
                 titles="adm_kes"),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    disdikbud = UnitPlan("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Pendidikan dan Kebudayaan",
        adm("KBID-SD", "Kepala Bidang Pembinaan Sekolah Dasar",
            kasi("KSI-KURSD", "Kepala Seksi Kurikulum dan Penilaian Sekolah Dasar",
                 staf("PDI", "Pengolah Data dan Informasi"), titles="adm_dik"),
            titles="adm_dik"),
        titles="jpt_dik"), reports_to=SEKDA)
    perikanan = UnitPlan("DISKAN", "Dinas Perikanan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Perikanan",
        adm("KBID-TANGKAP", "Kepala Bidang Perikanan Tangkap",
            jf("PENYULUH", "Penyuluh Perikanan Ahli Pertama", 2, pppk=1, titles="perikanan"))),
        reports_to=SEKDA)
    return OrgPlan("ambon", (
        setda(),
        bkpsdm(),
        kominfo,
        dinkes,
        puskesmas("PKM-RIJALI", "Rijali"),
        disdikbud,
        sekolah("SDN-1-AMBON", "SD Negeri 1 Ambon", parent="DISDIKBUD",
                reports_to="DISDIKBUD-KADIS", titles="guru_sd"),
        perikanan,
        kecamatan("KEC-SIRIMAU", "Kecamatan Sirimau", "Camat Sirimau", section_staff=2),
    ))


def _salor() -> OrgPlan:
    # Document services: civil registration and licensing, with complaint handling.
    dpmptsp_name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    dpmptsp = UnitPlan("DPMPTSP", dpmptsp_name, UnitKind.DINAS, jpt(
        "KADIS", f"Kepala {dpmptsp_name}",
        adm("KBID-YAN", "Kepala Bidang Penyelenggaraan Pelayanan Perizinan",
            kasi("KSI-TERBIT", "Kepala Seksi Penerbitan Perizinan dan Nonperizinan",
                 staf("VERIF", "Penata Layanan Operasional", 3, pppk=1)),
            kasi("KSI-ADUAN", "Kepala Seksi Pengaduan dan Informasi Layanan",
                 staf("ADUAN", "Pengelola Pengaduan Masyarakat"), vacant=True))),
        reports_to=SEKDA)
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        adm("KBID-YANKES", "Kepala Bidang Pelayanan Kesehatan",
            kasi("KSI-YANPRIM", "Kepala Seksi Pelayanan Kesehatan Primer",
                 staf("PLO", "Penata Layanan Operasional"), titles="adm_kes"),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    pertanian = UnitPlan("DISTAN", "Dinas Tanaman Pangan dan Hortikultura", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Tanaman Pangan dan Hortikultura",
        adm("KBID-PANGAN", "Kepala Bidang Produksi Tanaman Pangan",
            jf("PPL", "Penyuluh Pertanian Ahli Pertama", 2, pppk=1, titles="pertanian"))),
        reports_to=SEKDA)
    return OrgPlan("salor", (
        setda(),
        bkpsdm(),
        disdukcapil(full=True),
        dpmptsp,
        dinkes,
        puskesmas("PKM-SALOR", "Salor"),
        pertanian,
        kecamatan("DISTRIK-SALOR", "Distrik Salor", "Kepala Distrik Salor", section_staff=2),
    ))


def _palangkaraya() -> OrgPlan:
    # Competence development from assessment results; IT; education.
    training = kasi("KSBID-PKT", "Kepala Subbidang Pengembangan Kompetensi Teknis dan Fungsional",
                    jf("ASDM-PK", "Analis Sumber Daya Manusia Aparatur Ahli Pertama", titles="sdm"),
                    staf("PLO", "Penata Layanan Operasional", 2, pppk=1),
                    jf("PRAKOM-PK", "Pranata Komputer Terampil", titles="it"),
                    titles="sdm", role="penilai")
    kominfo_name = "Dinas Komunikasi, Informatika, Statistik dan Persandian"
    kominfo = UnitPlan("DISKOMINFO", kominfo_name, UnitKind.DINAS, jpt(
        "KADIS", f"Kepala {kominfo_name}",
        adm("KBID-APTIKA", "Kepala Bidang Aplikasi Informatika",
            kasi("KSI-INFRA", "Kepala Seksi Infrastruktur dan Teknologi Informasi",
                 jf("PRAKOM", "Pranata Komputer Ahli Pertama", 2, titles="it"), titles="it"),
            kasi("KSI-EGOV", "Kepala Seksi Layanan E-Government",
                 jf("PRAKOM-T", "Pranata Komputer Terampil", titles="it"), titles="it",
                 vacant=True)),
        adm("KBID-STAT", "Kepala Bidang Statistik dan Persandian",
            jf("STATISTISI", "Statistisi Ahli Pertama", titles="statistik"))),
        reports_to=SEKDA)
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        adm("KBID-YANKES", "Kepala Bidang Pelayanan Kesehatan",
            kasi("KSI-YANPRIM", "Kepala Seksi Pelayanan Kesehatan Primer",
                 staf("PLO", "Penata Layanan Operasional"), titles="adm_kes"),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    disdik = UnitPlan("DISDIK", "Dinas Pendidikan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Pendidikan",
        adm("KBID-SMP", "Kepala Bidang Pembinaan Sekolah Menengah Pertama",
            kasi("KSI-KURSMP", "Kepala Seksi Kurikulum dan Penilaian SMP",
                 staf("PDI", "Pengolah Data dan Informasi"), titles="adm_dik"),
            titles="adm_dik"),
        titles="jpt_dik"), reports_to=SEKDA)
    return OrgPlan("palangkaraya", (
        setda(),
        bkpsdm(training),
        kominfo,
        dinkes,
        puskesmas("PKM-PAHANDUT", "Pahandut"),
        disdik,
        sekolah("SMPN-2-PKY", "SMP Negeri 2 Palangka Raya", parent="DISDIK",
                reports_to="DISDIK-KADIS"),
        disdukcapil(),
        kecamatan("KEC-PAHANDUT", "Kecamatan Pahandut", "Camat Pahandut"),
    ))


def _walesi() -> OrgPlan:
    # Programmes: families out of poverty, vaccination; planning and public reports.
    dinsos = UnitPlan("DINSOS", "Dinas Sosial", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Sosial",
        dinas_sekretariat("Dinas Sosial"),
        adm("KBID-PFM", "Kepala Bidang Penanganan Fakir Miskin",
            kasi("KSI-IDFM", "Kepala Seksi Identifikasi dan Penanganan Fakir Miskin",
                 jf("PENYULUH", "Penyuluh Sosial Ahli Pertama", titles="sosial"),
                 staf("PKH", "Pendamping Sosial Program Keluarga Harapan", 2, pppk=1,
                      titles="sosial"),
                 staf("DTKS", "Pengolah Data Terpadu Kesejahteraan Sosial"),
                 titles="sosial", role="penilai"),
            kasi("KSI-PEMBER", "Kepala Seksi Pemberdayaan Keluarga Miskin",
                 staf("PLO-PEMBER", "Penata Layanan Operasional"), titles="sosial"),
            titles="sosial"),
        adm("KBID-LINJAMSOS", "Kepala Bidang Perlindungan dan Jaminan Sosial",
            kasi("KSI-JAMSOS", "Kepala Seksi Jaminan Sosial Keluarga",
                 staf("BANSOS", "Pengelola Bantuan Sosial", 2), titles="sosial", vacant=True),
            titles="sosial"),
        titles="jpt"), reports_to=SEKDA)
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        adm("KBID-P2P", "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
            kasi("KSI-SURIM", "Kepala Seksi Surveilans dan Imunisasi",
                 jf("EPID", "Epidemiolog Kesehatan Ahli Pertama", titles="kesmas"),
                 staf("IMUN", "Pengelola Program Imunisasi", 2, pppk=1),
                 titles="adm_kes"),
            titles="adm_kes"),
        adm("KBID-KESMAS", "Kepala Bidang Kesehatan Masyarakat",
            kasi("KSI-GIZI", "Kepala Seksi Kesehatan Keluarga dan Gizi",
                 jf("NUTRISI", "Nutrisionis Terampil", titles="kesmas", female_share=0.8),
                 titles="adm_kes"),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    bappeda = UnitPlan("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", UnitKind.BADAN, jpt(
        "KABAN", "Kepala Badan Perencanaan Pembangunan Daerah",
        adm("KBID-PEP", "Kepala Bidang Pengendalian, Evaluasi dan Pelaporan Pembangunan",
            jf("PERENCANA-MUDA", "Perencana Ahli Muda", titles="perencana"),
            jf("STATISTISI", "Statistisi Ahli Pertama", titles="statistik")),
        adm("KBID-PM", "Kepala Bidang Pemerintahan dan Pembangunan Manusia",
            jf("PERENCANA", "Perencana Ahli Pertama", titles="perencana"))),
        reports_to=SEKDA)
    disdik = UnitPlan("DISDIK", "Dinas Pendidikan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Pendidikan",
        adm("KBID-SD", "Kepala Bidang Pembinaan Sekolah Dasar",
            staf("PDI", "Pengolah Data dan Informasi"), titles="adm_dik"),
        titles="jpt_dik"), reports_to=SEKDA)
    return OrgPlan("walesi", (
        setda(),
        bkpsdm(),
        dinsos,
        dinkes,
        puskesmas("PKM-WALESI", "Walesi",
                  extra=(jf("SANITARIAN", "Sanitarian Terampil", titles="kesmas"),)),
        bappeda,
        disdik,
        sekolah("SDN-WALESI", "SD Negeri Walesi", parent="DISDIK", reports_to="DISDIK-KADIS",
                teachers=2, pppk=1, titles="guru_sd"),
        kecamatan("DISTRIK-WALESI", "Distrik Walesi", "Kepala Distrik Walesi"),
    ))


def _nasional() -> OrgPlan:
    # Any other tenant: a plain kota organisation.
    dinkes = UnitPlan("DINKES", "Dinas Kesehatan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Kesehatan",
        dinas_sekretariat("Dinas Kesehatan"),
        adm("KBID-YANKES", "Kepala Bidang Pelayanan Kesehatan",
            kasi("KSI-YANPRIM", "Kepala Seksi Pelayanan Kesehatan Primer",
                 jf("ADMKES", "Administrator Kesehatan Ahli Pertama", titles="kesmas"),
                 staf("PLO", "Penata Layanan Operasional", 2),
                 titles="adm_kes", role="penilai"),
            kasi("KSI-RUJUKAN", "Kepala Seksi Pelayanan Kesehatan Rujukan",
                 staf("PDI", "Pengolah Data dan Informasi"), titles="adm_kes"),
            kasi("KSI-FARMALKES", "Kepala Seksi Kefarmasian dan Alat Kesehatan",
                 staf("PLO-FARMALKES", "Penata Layanan Operasional"), titles="adm_kes", vacant=True),
            titles="adm_kes"),
        titles="jpt_kes"), reports_to=SEKDA)
    disdik = UnitPlan("DISDIK", "Dinas Pendidikan", UnitKind.DINAS, jpt(
        "KADIS", "Kepala Dinas Pendidikan",
        adm("KBID-SD", "Kepala Bidang Pembinaan Sekolah Dasar",
            kasi("KSI-KURSD", "Kepala Seksi Kurikulum dan Penilaian Sekolah Dasar",
                 staf("PDI", "Pengolah Data dan Informasi"), titles="adm_dik"),
            titles="adm_dik"),
        titles="jpt_dik"), reports_to=SEKDA)
    return OrgPlan("nasional", (
        setda(),
        bkpsdm(),
        dinkes,
        puskesmas("PKM-KOTA", "Kota"),
        disdik,
        sekolah("SDN-1", "SD Negeri 1", parent="DISDIK", reports_to="DISDIK-KADIS",
                titles="guru_sd"),
        disdukcapil(),
        kecamatan("KEC-KOTA", "Kecamatan Kota", "Camat Kota"),
    ))


PLANS = {
    "sawahlunto": _sawahlunto,
    "ambon": _ambon,
    "salor": _salor,
    "palangkaraya": _palangkaraya,
    "walesi": _walesi,
    "nasional": _nasional,
}


def plan_for(slug: str, rule_set_code: str) -> OrgPlan:
    """The organisation for a tenant: by its slug, else its rule set, else a plain one."""
    build = PLANS.get(slug) or PLANS.get(rule_set_code) or PLANS["nasional"]
    return build()
