"""An employee's own data, as one JSON document they download from their account page.

What the system holds about the person: their account (never its password hash
or two-step secret), their employee record with position and unit, their rank
history, their SKP plans with results (RHK), indicators (IKI), realisations and
the list of evidence (names, links, dates — the files themselves stay in the
application), their evaluations' outcomes, objections and training. Rows of
colleagues are never included; ids of the people who acted on a plan are.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.org.models import EmployeeRank
from app.portability.codec import encode
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.models import Objection
from app.skp.planning.models import Plan
from app.skp.training.models import TrainingRecord
from app.tenancy.current import utc_now

FORMAT = "kinerja-personal-data"
# Internal bookkeeping and secrets, left out of every row.
LEFT_OUT = frozenset({"tenant_id", "version", "storage_key", "password_hash", "totp_secret", "totp_last_step",
                      "snapshot", "inputs"})


def _row(obj: Any, **extra: Any) -> dict[str, Any]:
    table = type(obj).__table__
    data = {k: v for k, v in encode(table, obj).items() if k not in LEFT_OUT}
    return data | extra


def personal_data(user: User) -> dict[str, Any]:
    """Everything above for ``user`` (the signed-in account, in its tenant's scope)."""
    employee = user.employee
    document: dict[str, Any] = {
        "format": FORMAT, "format_version": 1, "generated_at": utc_now().isoformat() + "Z",
        "account": _row(user), "employee": None, "ranks": [], "plans": [], "objections": [], "training": [],
    }
    if employee is None:
        return document
    position = employee.position
    document["employee"] = _row(employee, position=position.name if position else None,
                                unit=position.unit.name if position else None)
    document["ranks"] = [_row(r) for r in db.session.scalars(
        select(EmployeeRank).where(EmployeeRank.employee_id == employee.id).order_by(EmployeeRank.id))]
    plans = db.session.scalars(select(Plan).where(Plan.employee_id == employee.id).order_by(Plan.id)).all()
    for plan in plans:
        # Final results only, as the pegawai's own pages show them: a draft is the penilai's work in progress.
        evaluations = db.session.scalars(
            select(Evaluation).where(Evaluation.plan_id == plan.id, Evaluation.status == EvaluationStatus.FINAL)
            .order_by(Evaluation.id)).all()
        document["plans"].append(_row(
            plan, period=plan.period.label,
            results=[_row(result, indicators=[
                _row(indicator, realisations=[
                    _row(realisation, period=realisation.period.label,
                         evidence=[_row(item) for item in realisation.evidence])
                    for realisation in indicator.realisations])
                for indicator in result.indicators]) for result in plan.results],
            behaviours=[_row(b) for b in plan.behaviours],
            evaluations=[_row(e, period=e.period.label) for e in evaluations]))
    evaluation_ids = select(Evaluation.id).join(Plan, Evaluation.plan_id == Plan.id).where(
        Plan.employee_id == employee.id)
    document["objections"] = [_row(o) for o in db.session.scalars(
        select(Objection).where(Objection.evaluation_id.in_(evaluation_ids)).order_by(Objection.id))]
    document["training"] = [_row(t) for t in db.session.scalars(
        select(TrainingRecord).where(TrainingRecord.employee_id == employee.id).order_by(TrainingRecord.id))]
    return document
