"""Organisation: units (OPD / unit kerja), positions (jabatan), employees (ASN)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db, str_enum
from app.org.nip import EmployeeType, Sex, format_nip
from app.tenancy import TenantScoped, utc_now


class UnitKind(enum.StrEnum):
    SEKRETARIAT = "sekretariat"
    DINAS = "dinas"
    BADAN = "badan"
    KANTOR = "kantor"
    BIDANG = "bidang"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    PUSKESMAS = "puskesmas"
    RSUD = "rsud"
    SEKOLAH = "sekolah"
    LAINNYA = "lainnya"


class PositionKind(enum.StrEnum):
    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    FUNGSIONAL = "fungsional"

    @property
    def single_holder(self) -> bool:
        """Structural positions have one holder; pelaksana/fungsional may have many."""
        return self in (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


class ActingKind(enum.StrEnum):
    PLT = "plt"  # pelaksana tugas: the position is vacant
    PLH = "plh"  # pelaksana harian: the holder is temporarily away


class Unit(TenantScoped, db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_unit_tenant_parent", "tenant_id", "parent_id"),
        Index("ix_unit_tenant_name", "tenant_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(str_enum(UnitKind), default=UnitKind.LAINNYA)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The agency line printed on this unit's documents ("DINAS KESEHATAN KOTA
    # SAWAHLUNTO"); None: the nearest ancestor's, else the unit's own name.
    letterhead: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name


class Position(TenantScoped, db.Model):
    __tablename__ = "position"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        Index("ix_position_tenant_unit", "tenant_id", "unit_id"),
        Index("ix_position_tenant_reports_to", "tenant_id", "reports_to_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PositionKind] = mapped_column(str_enum(PositionKind))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    # Jenjang jabatan (app.org.ranks.GRADES): "ahli_pertama", "terampil", … ;
    # the jenis jabatan is ``kind``.
    grade: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    reports_to: Mapped[Position | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name


class Employee(TenantScoped, db.Model):
    __tablename__ = "employee"
    __table_args__ = (
        UniqueConstraint("tenant_id", "nip"),
        Index("ix_employee_tenant_position", "tenant_id", "position_id"),
        Index("ix_employee_tenant_name", "tenant_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, 1))
    employee_type: Mapped[EmployeeType] = mapped_column(str_enum(EmployeeType, 10))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    email: Mapped[str | None] = mapped_column(String(200))
    # Pangkat/golongan ruang (PNS "III/a") or golongan (PPPK "IX") and its TMT;
    # every change is kept in EmployeeRank (app.org.ranks has the catalogue).
    rank_code: Mapped[str | None] = mapped_column(String(10))
    rank_tmt: Mapped[date | None]
    # The PNS id in BKN's SIASN (not the NIP): what the SIASN export sends as pnsDinilaiId.
    siasn_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    position: Mapped[Position | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip)

    def __str__(self) -> str:
        return self.name


# The admin list's order (active first, then by name): a page is an index range scan.
Index("ix_employee_tenant_list", Employee.tenant_id, Employee.active.desc(), Employee.name)
# Name search (ILIKE '%…%'): a pg_trgm index on PostgreSQL (migration 0015 skips it, with a
# logged note, where the extension cannot be created); a plain index elsewhere.
Index("ix_employee_name_trgm", Employee.name, postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})
# The employee list's search matches position names too (migration 0023).
Index("ix_position_name_trgm", Position.name, postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})


class EmployeeRank(TenantScoped, db.Model):
    """A pangkat/golongan an employee held from ``tmt`` (the history of ``Employee.rank_code``)."""

    __tablename__ = "employee_rank"
    __table_args__ = (Index("ix_employee_rank_tenant_employee", "tenant_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    rank_code: Mapped[str] = mapped_column(String(10))
    tmt: Mapped[date | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utc_now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    employee: Mapped[Employee] = relationship()


class ActingAssignment(TenantScoped, db.Model):
    """An employee acting in a position (Plt/Plh); overrides the holder while it runs."""

    __tablename__ = "acting_assignment"
    __table_args__ = (Index("ix_acting_assignment_tenant_position", "tenant_id", "position_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    kind: Mapped[ActingKind] = mapped_column(str_enum(ActingKind, 5))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    decree: Mapped[str | None] = mapped_column(String(100))  # nomor SK/surat perintah

    position: Mapped[Position] = relationship()
    employee: Mapped[Employee] = relationship()

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
