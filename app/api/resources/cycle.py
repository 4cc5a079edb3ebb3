"""The appraisal cycle, read: periods, SKP plans with their RHK and IKI,
evaluations (final results with the rule set's code, version and scoring
trace) and objections."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api import schemas as s
from app.api.auth import api_blueprint, requires
from app.api.paging import page
from app.extensions import db
from app.periods.models import Period
from app.skp.evaluation.models import Evaluation
from app.skp.objections.models import Objection
from app.skp.planning.models import Plan, PlanResult

bp = api_blueprint("api_cycle", __name__, description="Periods, SKP plans, evaluations and objections.")


def _where(query, column, value):
    return query if value is None else query.where(column == value)


# --- periods ------------------------------------------------------------------------------

@bp.route("/periods")
@requires("org:read")
@bp.arguments(s.PeriodArgs, location="query")
@bp.response(200, s.PeriodPage)
def periods(args):
    """List periods (years and their sub-periods)"""
    query = _where(_where(select(Period), Period.year, args["year"]), Period.kind, args["kind"])
    return page(query, Period.id, args)


@bp.route("/periods/<int:period_id>")
@requires("org:read")
@bp.response(200, s.Period)
def period(period_id):
    """Get a period"""
    return db.get_or_404(Period, period_id)


# --- plans --------------------------------------------------------------------------------

def _plan_parts():
    return (selectinload(Plan.results).selectinload(PlanResult.indicators), selectinload(Plan.behaviours))


@bp.route("/plans")
@requires("skp:read")
@bp.arguments(s.PlanArgs, location="query")
@bp.response(200, s.PlanPage)
def plans(args):
    """List SKP plans with their RHK and IKI"""
    query = select(Plan).options(*_plan_parts())
    query = _where(_where(query, Plan.employee_id, args["employee"]), Plan.period_id, args["period"])
    return page(_where(query, Plan.status, args["status"]), Plan.id, args)


@bp.route("/plans/<int:plan_id>")
@requires("skp:read")
@bp.response(200, s.Plan)
def plan(plan_id):
    """Get an SKP plan with its RHK and IKI"""
    return db.get_or_404(Plan, plan_id)


# --- evaluations and objections -------------------------------------------------------------

@bp.route("/evaluations")
@requires("evaluations:read")
@bp.arguments(s.EvaluationArgs, location="query")
@bp.response(200, s.EvaluationPage)
def evaluations(args):
    """List evaluations

    `status=final` lists the final results, each with the rule set's code and
    version and the scoring trace it was computed with."""
    query = select(Evaluation).options(joinedload(Evaluation.plan))
    if args["employee"] is not None:
        query = query.where(Evaluation.plan_id.in_(select(Plan.id).where(Plan.employee_id == args["employee"])))
    query = _where(_where(query, Evaluation.period_id, args["period"]), Evaluation.plan_id, args["plan"])
    return page(_where(query, Evaluation.status, args["status"]), Evaluation.id, args)


@bp.route("/evaluations/<int:evaluation_id>")
@requires("evaluations:read")
@bp.response(200, s.Evaluation)
def evaluation(evaluation_id):
    """Get an evaluation with its scoring trace"""
    return db.get_or_404(Evaluation, evaluation_id)


@bp.route("/objections")
@requires("evaluations:read")
@bp.arguments(s.ObjectionArgs, location="query")
@bp.response(200, s.ObjectionPage)
def objections(args):
    """List objections (keberatan)"""
    query = _where(select(Objection), Objection.evaluation_id, args["evaluation"])
    return page(_where(query, Objection.status, args["status"]), Objection.id, args)


@bp.route("/objections/<int:objection_id>")
@requires("evaluations:read")
@bp.response(200, s.Objection)
def objection(objection_id):
    """Get an objection"""
    return db.get_or_404(Objection, objection_id)
