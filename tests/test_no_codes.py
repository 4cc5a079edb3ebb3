"""No code of the rule set reaches the Indonesian UI (issue #9, item 10).

A small world per rule set — a matrix one (walesi) and a numeric one
(salor) — with audit entries of the shapes the services write (ratings,
predikat, training recommendations, behaviour scores, a decided objection
that changes the stored result), a training catalogue and a recommendation.
The pages that showed codes are read as a user sees them (text, titles,
labels) and must contain none of the rule set's codes (training rule,
behaviour, component, predikat, expectation) as raw tokens.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.regions.types import Expectation
from app.regions.validation import predikat_codes
from app.tenancy import tenant_rules, tenant_scope
from tests.conftest import login, make_cycle, make_org, make_tenant

RULE_SETS = ["walesi", "salor"]


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for key, value in attrs:
            if key in ("title", "aria-label", "placeholder") and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.chunks)


def codes_of_rules() -> set[str]:
    """The rule set's codes that look like codes (snake_case or kebab-case);
    one-word codes such as ``baik`` are ordinary Indonesian words."""
    rs = tenant_rules().rule_set
    codes = {rule.code for rule in rs.training} | {b.code for b in rs.behaviours}
    codes |= {c.code for c in rs.components} | predikat_codes(rs) | {e.value for e in Expectation}
    codes |= {"butuh_perbaikan", "sangat_kurang"}  # organisation predikat
    return {code for code in codes if re.search(r"[a-z0-9][_-][a-z0-9]", code)}


def raw_codes(text: str, codes: set[str]) -> list[str]:
    return sorted(code for code in codes
                  if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text))


def _underscored(codes) -> str:
    return next((c for c in sorted(codes) if "_" in c or "-" in c), sorted(codes)[0])


def _build_world(org, cycle) -> dict:
    """Audit entries of the shapes the services write, about this tenant's rules."""
    from app import models as m
    from app.skp.evaluation.entries import audit_view
    from app.skp.evaluation.entries import record as record_evaluation

    with tenant_scope(org.tenant):
        rs = tenant_rules().rule_set
        behaviour = rs.behaviours[0].code
        rule = next(r for r in rs.training if r.behaviours) if any(r.behaviours for r in rs.training) \
            else rs.training[0]
        predikat = _underscored(predikat_codes(rs))
        evaluation = db.session.get(m.Evaluation, cycle.final_evaluation_id)
        before = audit_view(evaluation)
        evaluation.inputs = {"hasil_kerja_rating": "di_bawah", "perilaku_rating": "di_atas",
                             "behaviour_scores": {b.code: 70.0 for b in rs.behaviours[:2]},
                             "components": {c.code: 80.0 for c in rs.components},
                             "organisation_predikat": "butuh_perbaikan"}
        evaluation.predikat_code = predikat
        record_evaluation("evaluation.rate", evaluation, before)
        snap = audit.snapshot(evaluation)
        evaluation.result = {"kind": "period", "period": {
            "rule_set_code": rs.code, "rule_set_version": "test", "scheme": "numeric", "employee_ref": "1",
            "period_label": "Triwulan 1", "achievements": [], "hasil_kerja_rating": None,
            "perilaku_rating": None, "score": None, "predikat_code": predikat, "predikat_label": "Predikat",
            "steps": [], "components": [{"code": c.code, "name": c.name, "weight": c.weight, "value": 80.0,
                                         "weighted": 0.8 * c.weight} for c in rs.components]}}
        evaluation.snapshot = {"code": rs.code, "training": [{"code": r.code} for r in rs.training]}
        audit.record("evaluation.objection_change", evaluation, snap)
        plan = db.session.get(m.Plan, cycle.plan_id)
        behaviour_row = m.PlanBehaviour(plan_id=plan.id, behaviour_code=behaviour, name=rs.behaviours[0].name,
                                        expectation="Tepat waktu",
                                        position=1)
        db.session.add(behaviour_row)
        db.session.flush()
        audit.record("plan_behaviour.update", behaviour_row, None, employee_id=plan.employee_id)
        training = m.TrainingRecord(employee_id=org.pegawai_id, evaluation_id=evaluation.id,
                                    recommendation_code=rule.code,
                                    reason=f"{rule.name}: perilaku {behaviour} di bawah ekspektasi (atasan)",
                                    year=plan.period.year)
        course = db.session.get(m.TrainingCourse, cycle.course_id)
        course_before = audit.snapshot(course)
        course.topics = [r.code for r in rs.training]
        db.session.add(training)
        db.session.flush()
        audit.record("training.recommend", training, None)
        audit.record("training_course.update", course, course_before)
        db.session.commit()
        return {"record_id": training.id, "course_id": course.id, "codes": codes_of_rules()}


@pytest.fixture(params=RULE_SETS)
def world(request, app):
    with app.app_context():
        org = make_org(make_tenant(request.param, rule_set=request.param))
        cycle = make_cycle(org)
        built = _build_world(org, cycle)
        db.session.remove()
    return request.param, org, cycle, built


def _visible(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.get_data(as_text=True))


def test_the_rule_sets_have_codes_to_look_for(world):
    _, _, _, built = world
    assert any("-" in code for code in built["codes"]) and "di_bawah" in built["codes"]


def test_the_audit_trail_shows_no_codes(app, world):
    slug, org, _, built = world
    client = app.test_client()
    login(client, slug, "admin")
    for url in (f"/{slug}/admin/audit/", f"/{slug}/admin/audit/pegawai/{org.pegawai_id}"):
        text = _visible(client, url)
        assert "Sistem" in text  # the entries are there
        assert raw_codes(text, built["codes"]) == [], url
        assert "Copied from" not in text and "Predikat label" not in text


def test_the_training_pages_show_names_not_codes(app, world):
    slug, _, _, built = world
    admin = app.test_client()
    login(admin, slug, "admin")
    for url in (f"/{slug}/pelatihan/katalog", f"/{slug}/pelatihan/semua",
                f"/{slug}/pelatihan/{built['record_id']}"):
        assert raw_codes(_visible(admin, url), built["codes"]) == [], url
    with app.app_context():
        org_tenant = db.session.scalar(select(__import__("app").models.Tenant).where(
            __import__("app").models.Tenant.slug == slug))
        with tenant_scope(org_tenant):
            names = [rule.name for rule in tenant_rules().rule_set.training]
    assert all(name in _visible(admin, f"/{slug}/pelatihan/katalog") for name in names)
    pegawai = app.test_client()
    login(pegawai, slug, "pegawai")
    assert raw_codes(_visible(pegawai, f"/{slug}/pelatihan/"), built["codes"]) == []


def test_the_evaluation_page_shows_no_codes(app, world):
    slug, _, cycle, built = world
    client = app.test_client()
    login(client, slug, "penilai")
    for evaluation_id in (cycle.evaluation_id, cycle.final_evaluation_id):
        text = _visible(client, f"/{slug}/penilaian/{evaluation_id}")
        assert raw_codes(text, built["codes"]) == [], evaluation_id
