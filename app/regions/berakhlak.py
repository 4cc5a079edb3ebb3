"""The canonical texts of the seven BerAKHLAK core values and their three
guiding behaviours (panduan perilaku), as printed on the SKP and evaluation
forms (../shared/DOCUMENTS.md §6: the long forms, "barang milik negara" and
"Negara Kesatuan Republik Indonesia").

Part of the national baseline (re-exported by ``app.regions.national`` and the
plugin API): the baseline document templates print these guides for a core
value whose ``BehaviourBlock.guides`` is empty.
"""

from __future__ import annotations

from collections.abc import Iterable

BERAKHLAK_GUIDES: tuple[tuple[str, tuple[str, str, str]], ...] = (
    ("Berorientasi Pelayanan", (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    )),
    ("Akuntabel", (
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
        "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
        "Tidak menyalahgunakan kewenangan jabatan",
    )),
    ("Kompeten", (
        "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
        "Membantu orang lain belajar",
        "Melaksanakan tugas dengan kualitas terbaik",
    )),
    ("Harmonis", (
        "Menghargai setiap orang apapun latar belakangnya",
        "Suka menolong orang lain",
        "Membangun lingkungan kerja yang kondusif",
    )),
    ("Loyal", (
        "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
        "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah",
        "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara",
        "Menjaga rahasia jabatan dan negara",
    )),
    ("Adaptif", (
        "Cepat menyesuaikan diri menghadapi perubahan",
        "Terus berinovasi dan mengembangkan kreativitas",
        "Bertindak proaktif",
    )),
    ("Kolaboratif", (
        "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
        "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
        "Menggerakkan pemanfaatan berbagai sumberdaya untuk tujuan bersama",
    )),
)

_BY_NAME = {name.casefold(): guides for name, guides in BERAKHLAK_GUIDES}


def canonical_guides(name: str, guides: Iterable[str] = ()) -> tuple[str, ...]:
    """``guides`` when given; otherwise the canonical three of core value ``name``
    (matched case-insensitively), or () for a value that is not BerAKHLAK."""
    given = tuple(g for g in guides if g)
    return given or _BY_NAME.get(name.strip().casefold(), ())
