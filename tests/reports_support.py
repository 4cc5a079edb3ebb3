"""A hand-built appraisal year for document tests: an agreed plan (with an
intervened RHK of the penilai, two IKI, the behaviours with an expectation,
the Lampiran) and the penilai's final evaluation of Triwulan I, made through
the evaluation services so that what is stored is what the app stores."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import models as m
from app.auth.models import User
from app.extensions import db
from app.org.models import Employee, Unit
from app.periods.models import Period, PeriodKind
from app.periods.services import open_year
from app.regions.manager import regions
from app.skp.evaluation import services as evaluations
from app.skp.evaluation.entries import RatingData
from app.tenancy import frozen_clock, tenant_scope
from tests.conftest import make_org, make_tenant

YEAR = 2026
RHK = "Terlaksananya layanan administrasi kepegawaian yang tertib"
RHK_ATASAN = "Meningkatnya kualitas pelayanan primer"
IKI_1 = "Jumlah dokumen kepegawaian yang diproses"
IKI_2 = "Persentase dokumen yang lengkap"
NOTE = "Pertahankan ketelitian dokumen"
FEEDBACK = "Dokumen triwulan ini rapi dan tepat waktu"


@dataclass
class Year:
    org: object
    slug: str
    plan_id: int
    evaluation_id: int
    quarter_id: int
    pegawai_name: str
    pegawai_nip: str
    penilai_name: str


def pdftotext(data: bytes, tmp_path, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"],  # noqa: S603, S607 - poppler-utils
                          check=True, capture_output=True, text=True).stdout


def build_year(slug: str, rule_set: str, *, letterhead: str | None = "DINAS KESEHATAN KOTA UJI",
               finalise: bool = True) -> Year:
    tenant = make_tenant(slug, rule_set=rule_set)
    tenant.settings = {"early_finalisation": True}
    tenant.document_place = "Kota Uji"
    db.session.commit()
    org = make_org(tenant)
    rs = regions().get(rule_set)
    with tenant_scope(org.tenant), frozen_clock(date(YEAR, 4, 6)):
        open_year(YEAR, rs.period_scheme)
        unit = db.session.get(Unit, org.unit_id)
        unit.letterhead = letterhead
        pegawai = db.session.get(Employee, org.pegawai_id)
        pegawai.rank_code = "III/a"
        penilai = db.session.get(Employee, org.penilai_id)
        penilai.rank_code = "III/d"
        year = db.session.scalar(select(Period).where(Period.year == YEAR, Period.kind == PeriodKind.YEAR))
        first = min(year.children, key=lambda p: p.sequence)
        boss_plan = m.Plan(employee_id=org.penilai_id, period=year, status=m.PlanStatus.AGREED,
                           position_name="Kepala Seksi Pelayanan Primer", unit_name="Dinas Kesehatan")
        boss_result = m.PlanResult(plan=boss_plan, kind=m.ResultKind.UTAMA, description=RHK_ATASAN)
        plan = m.Plan(employee_id=org.pegawai_id, period=year, status=m.PlanStatus.AGREED,
                      position_name="Pengadministrasi Pelayanan", unit_name="Dinas Kesehatan",
                      agreed_at=datetime(YEAR, 1, 20, 3, 0), resources="- Komputer\n- Akses aplikasi",
                      accountability="Hasil kerja dilaporkan setiap triwulan",
                      consequences="Apabila memenuhi ekspektasi akan diberikan penghargaan")
        result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description=RHK, supports=boss_result)
        extra = m.PlanResult(plan=plan, kind=m.ResultKind.TAMBAHAN, description="Menjadi panitia kegiatan",
                             position=1)
        i1 = m.PlanIndicator(result=result, name=IKI_1, aspect="kuantitas", direction="higher", unit="dokumen",
                             target_lower=12, target_upper=12)
        i2 = m.PlanIndicator(result=result, name=IKI_2, aspect="kualitas", direction="higher", unit="%",
                             target_lower=90, target_upper=100, position=1)
        i3 = m.PlanIndicator(result=extra, name="Kegiatan terlaksana", aspect="kuantitas", direction="higher",
                             unit="kegiatan", target_lower=4, target_upper=4)
        db.session.add_all([boss_plan, boss_result, plan, result, extra, i1, i2, i3])
        for i, b in enumerate(rs.behaviours):
            db.session.add(m.PlanBehaviour(plan=plan, behaviour_code=b.code, name=b.name, position=i,
                                           expectation="Ramah kepada pemohon" if i == 0 else None))
        for ind, value in ((i1, 3), (i2, 95), (i3, 1)):
            db.session.add(m.Realisation(indicator=ind, period=first, value=value,
                                         note="laporan triwulan" if ind is i1 else None))
        db.session.flush()
        user = db.session.get(User, org.user_ids["penilai"])
        db.session.add(m.FeedbackMessage(plan_id=plan.id, result_id=result.id, author_id=user.id, body=FEEDBACK,
                                         created_at=datetime(YEAR, 3, 10, 3, 0)))
        evaluation = evaluations.get_or_start(user, plan, first)
        matrix = rs.scheme.kind == "matrix"
        data = RatingData(hasil_kerja_rating="sesuai" if matrix else None,
                          perilaku_rating="di_atas" if matrix else None,
                          behaviour_scores={} if matrix else {b.code: 100.0 for b in rs.behaviours},
                          note=NOTE)
        evaluations.save_ratings(user, evaluation, data, evaluation.version)
        db.session.flush()
        if finalise:
            evaluations.finalise(user, evaluation, evaluation.version)
        db.session.commit()
        return Year(org, slug, plan.id, evaluation.id, first.id, pegawai.name, pegawai.nip, penilai.name)


def add_issued_document(org) -> str:
    """A register entry of the organisation's tenant (for the isolation test): its code."""
    with tenant_scope(org.tenant):
        doc = m.IssuedDocument(code="BETAB2C3D4E5", kind="skp", subject_key="skp:plan:0",
                               employee_id=org.pegawai_id, period_label="Tahun 2026", unit_name="Beta unit",
                               sha256="0" * 64, data_hash="0" * 64)
        db.session.add(doc)
        db.session.commit()
        return doc.code
