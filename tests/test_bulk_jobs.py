""""Terapkan ulang aturan" as a background job: the same results and audit entries
as the synchronous version, batch by batch, with a progress page for the admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import audit
from app import models as m
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.skp.evaluation import reapply
from app.skp.evaluation import services as service
from app.tenancy import tenant_scope
from tests.conftest import csrf_token, login, make_cycle, make_org, make_tenant


@pytest.fixture
def period_with_drafts(app):
    """Kota A with five draft evaluations in one quarter (one per employee), Kota B empty."""
    with app.app_context():
        org = make_org(make_tenant("kota-a"))
        make_org(make_tenant("kota-b"), prefix="Beta ")
        cycle = make_cycle(org)
        with tenant_scope(org.tenant):
            quarter = db.session.get(m.Evaluation, cycle.evaluation_id).period  # the draft's quarter
            year = db.session.get(m.Period, cycle.year_period_id)
            for n, employee_id in enumerate((org.kadis_id, org.atasan_id, org.penilai_id, org.peer_id)):
                plan = m.Plan(employee_id=employee_id, period=year, status=m.PlanStatus.AGREED,
                              position_name="Jabatan", unit_name="Dinas")
                result = m.PlanResult(plan=plan, kind=m.ResultKind.UTAMA, description=f"Hasil {n}")
                indicator = m.PlanIndicator(result=result, name=f"IKI {n}", aspect="kuantitas", direction="higher",
                                            unit="dokumen", target_lower=10, target_upper=10)
                db.session.add_all([plan, result, indicator,
                                    m.Realisation(indicator=indicator, period=quarter, value=8 + n),
                                    m.Evaluation(plan=plan, period=quarter, evaluator_id=org.penilai_id,
                                                 inputs={"behaviour_scores": {}, "additional_points": n})])
            db.session.add(m.Realisation(indicator_id=cycle.indicator_id, period=quarter, value=4))
            period_id = quarter.id
            db.session.commit()
            # Stored under earlier rules: the commit stored each draft's result (their inputs
            # changed); forget it, so that re-applying has something to change.
            db.session.execute(m.Evaluation.__table__.update().where(m.Evaluation.period_id == period_id)
                               .values(result={}))
            db.session.commit()
        db.session.remove()
    return org, cycle, period_id


def _state(org, period_id: int, since_seq: int) -> tuple[dict, list]:
    results = {}
    for e in db.session.scalars(select(m.Evaluation).where(m.Evaluation.period_id == period_id)):
        result = {k: v for k, v in (e.result or {}).items() if k != "computed_at"}
        results[e.id] = (e.status.value, e.score, e.predikat_code, e.predikat_label, e.rule_set_code,
                         e.rule_set_version, result)
    entries = [(e.action, e.object_type, e.object_id, e.employee_id, e.actor_label, e.before,
                e.after, e.reason)
               for e in db.session.scalars(select(AuditEntry).where(AuditEntry.seq > since_seq)
                                           .order_by(AuditEntry.seq))]
    return results, entries


def test_the_job_gives_the_same_results_and_entries_as_the_synchronous_version(app, period_with_drafts,
                                                                              monkeypatch):
    org, cycle, period_id = period_with_drafts
    monkeypatch.setattr(reapply, "BATCH", 2)  # five drafts: three batches
    with app.app_context(), tenant_scope(org.tenant) as tenant:
        admin = db.session.get(User, org.user_ids["admin"])
        period = db.session.get(m.Period, period_id)
        since = db.session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0
        before, _ = _state(org, period.id, since)
        with audit.acting_as(admin):
            changes = service.reapply_rules(admin, period, "Perbup baru")
        db.session.flush()
        sync_results, sync_entries = _state(org, period.id, since)
        db.session.rollback()  # the same data again for the job
        assert len(changes) == 5 and _state(org, period.id, since)[0] == before

        job = reapply.start_reapply(admin, period, "Perbup baru")  # inline in the tests
        job = db.session.get(m.RuleJob, job.id)
        assert (job.status, job.total, job.processed) == (m.RuleJobStatus.DONE, 5, 5)
        job_results, job_entries = _state(org, period.id, since)
        assert job_results == sync_results
        assert job_entries == sync_entries
        assert sync_results != before  # the drafts were really recomputed (results stored)
        assert audit.verify(tenant).ok
        # The final evaluation of the cycle was not touched.
        final = db.session.get(m.Evaluation, cycle.final_evaluation_id)
        assert final.status is m.EvaluationStatus.FINAL and final.id not in job_results
        db.session.remove()


def test_the_admin_starts_it_and_follows_its_progress(app, client, period_with_drafts):
    org, cycle, period_id = period_with_drafts
    assert login(client, "kota-a", "admin").status_code == 302
    token = csrf_token(client, "/kota-a/penilaian/")
    response = client.post(f"/kota-a/penilaian/periode/{period_id}/terapkan-ulang",
                           data={"csrf_token": token, "reason": "Perbup baru"})
    assert response.status_code == 302 and "/terapkan-ulang/" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert "5 penilaian draf" in page
    status = client.get(response.location + "/status")
    assert status.headers["Cache-Control"] == "no-store"
    assert status.get_json() == {"status": "done", "total_rows": 5, "processed_rows": 5, "finished": True}
    job_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
    # Another tenant's job is not there; a penilai may not see it.
    other = app.test_client()
    assert login(other, "kota-b", "admin").status_code == 302
    assert other.get(f"/kota-b/penilaian/terapkan-ulang/{job_id}").status_code == 404
    assert other.get(f"/kota-b/penilaian/terapkan-ulang/{job_id}/status").status_code == 404
    penilai = app.test_client()
    assert login(penilai, "kota-a", "penilai").status_code == 302
    assert penilai.get(f"/kota-a/penilaian/terapkan-ulang/{job_id}").status_code == 403


def test_a_running_job_shows_a_progress_box(app, client, period_with_drafts):
    org, cycle, period_id = period_with_drafts
    with app.app_context(), tenant_scope(org.tenant):
        job = m.RuleJob(kind="reapply", period_id=period_id, status=m.RuleJobStatus.RUNNING,
                        total=5, processed=2, changed=0, requested_by_id=org.user_ids["admin"])
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    assert login(client, "kota-a", "admin").status_code == 302
    page = client.get(f"/kota-a/penilaian/terapkan-ulang/{job_id}").get_data(as_text=True)
    assert f'data-progress-url="/kota-a/penilaian/terapkan-ulang/{job_id}/status"' in page
    assert "2 / 5" in page
