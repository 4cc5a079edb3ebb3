"""What can be imported: the columns of each kind, documented for the upload page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.imports.models import ImportKind
from app.org.models import PositionKind, UnitKind
from app.org.ranks import GRADE_BY_CODE


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Any  # lazy string


@dataclass(frozen=True)
class KindSpec:
    kind: ImportKind
    slug: str  # the word in URLs and file names
    label: Any  # lazy string
    key: str  # the column that says which record a row is: kode or nip
    columns: tuple[Column, ...]
    example: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # other header names accepted for a column

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_CODE_HELP = _l("Unik. Huruf, angka, titik, garis bawah atau tanda hubung; paling banyak 30 karakter. "
                "Huruf kecil disimpan sebagai huruf besar. Kode yang sudah ada diperbarui, bukan digandakan.")

SPECS: dict[ImportKind, KindSpec] = {
    ImportKind.UNITS: KindSpec(
        ImportKind.UNITS, "unit", _l("Unit kerja"), "kode",
        (
            Column("kode", True, _CODE_HELP),
            Column("nama", True, _l("Nama unit kerja.")),
            Column("jenis", False, _l("Salah satu dari: %(choices)s. Kosong: lainnya untuk unit baru, tidak berubah untuk unit yang sudah ada.",
                                      choices=", ".join(k.value for k in UnitKind))),
            Column("kode_induk", False, _l("Kode unit induk: unit yang sudah ada atau baris lain di berkas ini. Kosong: tanpa induk.")),
        ),
        ("DINKES", "Dinas Kesehatan", "dinas", ""),
    ),
    ImportKind.POSITIONS: KindSpec(
        ImportKind.POSITIONS, "jabatan", _l("Jabatan"), "kode",
        (
            Column("kode", True, _CODE_HELP),
            Column("nama", True, _l("Nama jabatan.")),
            Column("jenis", True, _l("Salah satu dari: %(choices)s.", choices=", ".join(k.value for k in PositionKind))),
            Column("kode_unit", True, _l("Kode unit kerja yang sudah ada (impor unit lebih dulu).")),
            Column("kode_atasan", False, _l("Kode jabatan atasan langsung: jabatan yang sudah ada atau baris lain di berkas ini. Kosong: tanpa atasan.")),
            Column("jenjang", False, _l("Jenjang jabatan fungsional (%(fungsional)s) atau JPT (%(jpt)s); jabatan lain tanpa jenjang. "
                                        "Kosong: tanpa jenjang. Kolom tidak ada: jenjang tidak berubah.",
                                        fungsional=", ".join(c for c in GRADE_BY_CODE if c not in ("pratama", "madya", "utama")),
                                        jpt="pratama, madya, utama")),
        ),
        ("DINKES-KADIS", "Kepala Dinas Kesehatan", "jpt", "DINKES", "", "pratama"),
    ),
    ImportKind.EMPLOYEES: KindSpec(
        ImportKind.EMPLOYEES, "pegawai", _l("Pegawai"), "nip",
        (
            Column("nip", True, _l("18 angka; spasi dan titik boleh. NIP yang sudah ada diperbarui, bukan digandakan. "
                                   "Di Excel, format kolom ini sebagai Teks agar angkanya tidak terpotong.")),
            Column("nama", True, _l("Nama lengkap.")),
            Column("jenis_kelamin", True, _l("L atau P; harus sesuai dengan digit ke-15 NIP.")),
            Column("jenis_asn", True, _l("PNS atau PPPK.")),
            Column("kode_jabatan", False, _l("Kode jabatan yang sudah ada (impor jabatan lebih dulu). Kosong: tanpa jabatan.")),
            Column("email", False, _l("Alamat email. Kosong: tanpa email.")),
            Column("pangkat", False, _l("Pangkat/golongan: PNS golongan ruang I/a–IV/e (3a, III-a dan III/a sama), "
                                        "PPPK golongan I–XVII (9 atau IX). Judul kolom golongan juga diterima. "
                                        "Kosong: tanpa pangkat. Perubahan dicatat di riwayat pangkat.")),
            Column("tmt_pangkat", False, _l("TMT pangkat/golongan: TTTT-BB-HH atau HH-BB-TTTT, tidak sesudah hari ini. "
                                            "Kosong: tanpa TMT.")),
        ),
        ("198001012005011001", "Budi Santoso", "L", "PNS", "DINKES-KADIS", "budi@example.go.id", "IV/b", "2021-04-01"),
        {"golongan": "pangkat", "pangkat_golongan": "pangkat", "gol": "pangkat", "tmt_golongan": "tmt_pangkat"},
    ),
}

SPEC_BY_SLUG: dict[str, KindSpec] = {spec.slug: spec for spec in SPECS.values()}
