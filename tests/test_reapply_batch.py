""""Terapkan ulang aturan" loads the figures from the stages above per batch, not per draft:
completed training and complaints come with one query each for the whole batch, and the
job still gives exactly the results and audit entries of the synchronous version."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select
from sqlalchemy import inspect as sa_inspect

from app import audit
from app import models as m
from app.audit.models import AuditEntry
from app.audit.services import plain
from app.auth.models import User
from app.extensions import db
from app.publik.models import Complaint, ComplaintCategory, ComplaintStatus, SurveyResponse
from app.settings.services import rules_for_period
from app.skp.evaluation import reapply
from app.skp.evaluation import services as service
from app.skp.evaluation.indicators import RowTexts, indicator_rows
from app.skp.evaluation.inputs import batch_inputs, batched_realisations, build_input
from app.skp.evaluation.models import Evaluation
from app.skp.evaluation.staleness import computing, loading
from app.skp.training.services import participation, participation_many
from app.tenancy import tenant_scope
from tests.conftest import make_cycle, make_org, make_tenant
from tests.test_bulk_jobs import _state


def _drafts(org, cycle, quarter) -> None:
    """A draft evaluation in ``quarter`` for each other employee of the org (a plan each);
    the kepala dinas, who leads the unit, last: his hasil kerja follows the others'."""
    year = db.session.get(m.Period, cycle.year_period_id)
    for n, employee_id in enumerate((org.atasan_id, org.penilai_id, org.peer_id, org.kadis_id)):
        plan = m.Plan(employee_id=employee_id, period=year, status=m.PlanStatus.AGREED,
                      position_name="Jabatan", unit_name="Dinas")
        result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description=f"Hasil {n}")
        indicator = m.PlanIndicator(result=result, name=f"IKI {n}", aspect="kuantitas", direction="higher",
                                    unit="dokumen", target_lower=10, target_upper=10)
        db.session.add_all([plan, result, indicator,
                            m.Realisation(indicator=indicator, period=quarter, value=6 + n),
                            m.Evaluation(plan=plan, period=quarter, evaluator_id=org.penilai_id,
                                         inputs={"hasil_kerja_rating": "sesuai", "perilaku_rating": "di_atas",
                                                 "additional_points": n % 3})])


@pytest.fixture
def figures_from_above(app):
    """Kota A: five drafts in one quarter whose employees have completed training (with
    and without a catalogue course, other years, not completed) and complaints (in the
    quarter, outside it, about someone else); their unit has an IKM for the quarter."""
    with app.app_context():
        org = make_org(make_tenant("kota-a"))
        cycle = make_cycle(org)
        with tenant_scope(org.tenant):
            quarter = db.session.get(m.Evaluation, cycle.evaluation_id).period
            _drafts(org, cycle, quarter)
            year = quarter.year
            short = m.TrainingCourse(code="SHORT", name="Pelatihan singkat", hours=4.5, topics=["umum"])
            db.session.add(short)
            db.session.flush()
            done = m.TrainingStatus.COMPLETED
            for employee_id, course_id, status, in_year in (
                    (org.pegawai_id, cycle.course_id, done, year),  # also the cycle's recommended one
                    (org.pegawai_id, short.id, done, year),
                    (org.atasan_id, short.id, done, year),
                    (org.atasan_id, None, done, year),  # completed without a course: counted, 0 JP
                    (org.penilai_id, short.id, done, year - 1),  # another year
                    (org.peer_id, short.id, m.TrainingStatus.ENROLLED, year)):  # not completed
                db.session.add(m.TrainingRecord(employee_id=employee_id, course_id=course_id, status=status,
                                                recommendation_code="umum", reason="Uji", year=in_year))
            for n, (employee_id, received_on) in enumerate((
                    (org.pegawai_id, quarter.starts_on), (org.pegawai_id, quarter.ends_on),
                    (org.atasan_id, quarter.starts_on), (org.atasan_id, date(year, 1, 1)),  # before the quarter
                    (None, quarter.starts_on))):
                db.session.add(Complaint(tracking_code=f"UJI{n:09d}", category=ComplaintCategory.PELAYANAN,
                                         unit_id=org.unit_id, employee_id=employee_id, description="Lambat",
                                         received_on=received_on, status=ComplaintStatus.DITERIMA,
                                         substantiated=n % 2 == 0))
            for answer in (3, 4):  # the unit's IKM for the quarter
                db.session.add(SurveyResponse(unit_id=org.unit_id, submitted_on=quarter.starts_on,
                                              **{f"u{i}": answer for i in range(1, 10)}))
            db.session.commit()
            db.session.execute(m.Evaluation.__table__.update().where(m.Evaluation.period_id == quarter.id)
                               .values(result={}))
            db.session.commit()
            period_id = quarter.id
        db.session.remove()
    return org, cycle, period_id


def _versions(period_id: int) -> dict[int, int]:
    return dict(db.session.execute(select(Evaluation.id, Evaluation.version).where(
        Evaluation.period_id == period_id, Evaluation.status == m.EvaluationStatus.DRAFT)).all())


def test_batched_training_is_what_each_employee_gets(app, figures_from_above):
    org, cycle, _period_id = figures_from_above
    employees = [org.pegawai_id, org.atasan_id, org.penilai_id, org.peer_id, org.kadis_id]
    with app.app_context(), tenant_scope(org.tenant):
        year = db.session.get(m.Period, cycle.year_period_id).year
        many = participation_many(employees, year)
        assert many == {e: participation(e, year) for e in employees}
        assert many[org.pegawai_id].hours == 24.5 and many[org.pegawai_id].sessions == 2
        assert (many[org.atasan_id].hours, many[org.atasan_id].sessions) == (4.5, 2)
        assert (many[org.penilai_id].hours, many[org.peer_id].sessions) == (0.0, 0)
        db.session.remove()


def test_the_job_reads_training_and_complaints_once_per_batch_with_the_same_results(app, figures_from_above,
                                                                                   monkeypatch):
    org, cycle, period_id = figures_from_above
    with app.app_context(), tenant_scope(org.tenant) as tenant:
        admin = db.session.get(User, org.user_ids["admin"])
        period = db.session.get(m.Period, period_id)
        since = db.session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0
        with audit.acting_as(admin):
            changes = service.reapply_rules(admin, period, "Perbup baru")
        db.session.flush()
        sync_results, sync_entries = _state(org, period.id, since)
        sync_versions = _versions(period.id)
        db.session.rollback()
        assert len(changes) == 5
        before_versions = _versions(period.id)
        assert all(sync_versions[k] == v + 1 for k, v in before_versions.items())
        used = [r[-1]["inputs"] for r in sync_results.values()]
        assert sorted(u["training_hours"] for u in used) == [0.0, 0.0, 0.0, 4.5, 24.5]
        assert sorted(len(u["complaints"]) for u in used) == [0, 0, 0, 1, 2]
        assert all(u["unit_satisfaction"]["respondents"] == 2 for u in used)
        # The kepala dinas leads the unit: his hasil kerja follows the three drafts recomputed
        # before his (in the batch before and in his own; the pegawai's has no IKI in the quarter).
        heads = [u["unit_achievement"] for u in used if u.get("unit_achievement")]
        assert len(heads) == 1 and len(heads[0]["members"]) == 3

        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        monkeypatch.setattr(reapply, "BATCH", 3)  # five drafts: two batches
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            job = reapply.start_reapply(admin, period, "Perbup baru")  # inline in the tests
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        job = db.session.get(m.RuleJob, job.id)
        assert (job.status, job.total, job.processed) == (m.RuleJobStatus.DONE, 5, 5)
        job_results, job_entries = _state(org, period.id, since)
        assert job_results == sync_results
        assert job_entries == sync_entries
        assert _versions(period.id) == sync_versions  # each draft's version bumped once, as a flush does
        assert audit.verify(tenant).ok
        training = [s for s in statements if "FROM training_record" in s]
        complaints = [s for s in statements if "FROM complaint" in s]
        assert len(training) == 2 and len(complaints) == 2  # one per batch, not one per draft
        assert len([s for s in statements if "FROM survey_response" in s]) == 2  # the units' IKM, per batch
        updates = [s for s in statements if s.startswith("UPDATE skp_evaluation")]
        assert len(updates) == 2  # the drafts' results: one UPDATE per batch
        realisations = [s for s in statements if "FROM skp_realisation" in s]
        assert len(realisations) == 2  # the IKIs' recorded values: one query per batch
        units = [s for s in statements if "position.unit_id IN" in s]
        assert len(units) == 1  # the head's unit: one query for the batch that has a head
        db.session.remove()


def test_the_job_counts_the_drafts_whose_entry_records_a_change(app, figures_from_above, monkeypatch):
    """``changed``: the drafts whose audit entry's before and after differ (as ``plain``
    makes them), the same ones as the synchronous version's."""
    org, _cycle, period_id = figures_from_above
    with app.app_context(), tenant_scope(org.tenant):
        admin = db.session.get(User, org.user_ids["admin"])
        period = db.session.get(m.Period, period_id)
        # Two drafts with a stale predikat and score stored: re-applying changes what their entries record.
        stale = sorted(_versions(period_id))[:2]
        db.session.execute(m.Evaluation.__table__.update().where(m.Evaluation.id.in_(stale))
                           .values(predikat_code="usang", score=1))
        db.session.commit()
        with audit.acting_as(admin):
            changes = service.reapply_rules(admin, period, "Perbup baru")
        changed = [e.id for e, before, after in changes if plain(before) != plain(after)]
        db.session.rollback()
        assert set(stale) <= set(changed)
        monkeypatch.setattr(reapply, "BATCH", 2)
        job = db.session.get(m.RuleJob, reapply.start_reapply(admin, period, "Perbup baru").id)
        assert (job.status, job.changed) == (m.RuleJobStatus.DONE, len(changed))
        db.session.remove()


def test_outside_a_batch_and_inside_the_figures_agree(app, figures_from_above):
    """``batch_inputs`` answers training and complaints as the per-draft providers do."""
    from app.skp.evaluation.inputs import external_figures

    org, _cycle, period_id = figures_from_above
    with app.app_context(), tenant_scope(org.tenant):
        drafts = db.session.scalars(select(Evaluation).where(Evaluation.period_id == period_id,
                                                             Evaluation.status == m.EvaluationStatus.DRAFT)
                                    .options(*loading()).order_by(Evaluation.id)).unique().all()
        alone = [external_figures(e) for e in drafts]
        with batch_inputs(drafts, rules_for_period(drafts[0].period)):
            batched = [external_figures(e) for e in drafts]
        assert batched == alone
        db.session.remove()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_batch_gives_each_draft_the_rows_it_gets_alone(app, figures_from_above, lang):
    """In a batch the IKIs' recorded values come from one query (``computing`` loads no
    realisations) and the rows' texts are translated once; the rows are those of each
    draft computed alone — for the quarter and the year, "tidak ada realisasi" included,
    in either language."""
    org, cycle, period_id = figures_from_above
    with app.test_request_context(f"/?lang={lang}"), tenant_scope(org.tenant):
        year = db.session.get(m.Period, cycle.year_period_id)
        query = select(Evaluation).where(Evaluation.period_id == period_id,
                                         Evaluation.status == m.EvaluationStatus.DRAFT).order_by(Evaluation.id)
        drafts = db.session.scalars(query.options(*loading())).unique().all()
        rt = rules_for_period(drafts[0].period)

        def rows(draft, period, **batch):
            ids = frozenset(ind.id for result in draft.plan.results for ind in result.indicators)
            return indicator_rows(SimpleNamespace(plan=draft.plan, period=period), rt, ids, **batch)[0]

        alone = [rows(d, p) for d in drafts for p in (d.period, year)]
        used = [build_input(d, rt).used.indicators for d in drafts]
        db.session.expunge_all()  # nothing loaded alone is reused in the batch
        drafts = db.session.scalars(query.options(*computing())).unique().all()
        with batch_inputs(drafts, rt):
            texts = RowTexts.current()
            batched = [rows(d, p, texts=texts, realised=batched_realisations(d.plan_id))
                       for d in drafts for p in (d.period, year)]
            batched_used = [build_input(d, rt).used.indicators for d in drafts]
        assert batched == alone and batched_used == used
        # The batch's values were used: no IKI's realisations were loaded for it.
        assert all("realisations" in sa_inspect(ind).unloaded
                   for d in drafts for result in d.plan.results for ind in result.indicators)
        hows = [r.how for found in alone for r in found]
        assert any(r.no_realisation for found in alone for r in found)
        assert any(how.startswith("realisation " if lang == "en" else "realisasi ") for how in hows)
        db.session.remove()
