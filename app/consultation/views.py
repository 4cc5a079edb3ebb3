"""Consultation screens: the admin's (open, follow the tallies, respond,
decide, publish) under /admin/konsultasi, the employees' (read the proposal
next to what is in force, answer) under /konsultasi, and the published
aggregated results under /publik/konsultasi (no names, no comments).

Thin views: the rules are in ``app.consultation.services``. Another tenant's
consultation is a 404; one that does not concern the reader is a 403.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.roles import admin_required
from app.consultation import services
from app.consultation.access import can_read, enabled, is_concerned
from app.consultation.forms import (
    AnswerForm,
    DecideForm,
    OpenForm,
    RespondForm,
    fill_settings,
    settings_from,
    with_settings,
)
from app.consultation.models import Consultation, Decision, Subject
from app.errors import Forbidden
from app.extensions import db
from app.notifications import register_link
from app.org.models import Unit
from app.periods import services as calendar
from app.periods.models import Period
from app.tenancy import tenant, tenant_rules, tenant_today
from app.tenancy.current import settings_overrides
from app.tenancy.web import tenant_blueprint
from app.web.forms import Form, form_status, perform

admin_bp = tenant_blueprint("consultation_admin", __name__, "/admin/konsultasi", template_folder="templates",
                            guard=admin_required)
bp = tenant_blueprint("consultation", __name__, "/konsultasi", template_folder="templates", guard=login_required)
public_bp = tenant_blueprint("consultation_public", __name__, "/publik/konsultasi", template_folder="templates")
register_link("consultation", "consultation.detail", "consultation_id")


def _offered() -> None:
    """A tenant whose settings do not offer criteria consultation has none of these pages."""
    if not enabled():
        abort(404)


admin_bp.before_request(_offered)  # after the sign-in guard: a visitor is still sent to sign in
bp.before_request(_offered)
bp.app_context_processor(lambda: {"consultation_enabled": lambda: g.get("tenant") is not None and enabled()})


def _consultation_or_404(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _indicator_choices() -> list[tuple[str, str]]:
    return [(i.code, f"{i.code}: {i.name}" + (f" ({i.sector})" if i.sector else ""))
            for i in tenant_rules().rule_set.indicators]


def _unit_names() -> dict[int, str]:
    return {unit_id: name for unit_id, name in db.session.execute(select(Unit.id, Unit.name))}


# --- admin --------------------------------------------------------------------------------

@admin_bp.route("/")
def index():
    rows = [(c, services.tally(c)) for c in services.all_consultations()]
    return render_template("consultation/admin_list.html", rows=rows, unit_names=_unit_names(),
                           state_label=services.state_label)


def _overrides_of_year(period_id: int | None) -> dict:
    """The proposal builds on the settings in force when the chosen year starts, not today's."""
    year = db.session.get(Period, period_id) if period_id is not None else None
    return settings_overrides(tenant(), year.starts_on if year is not None else None)


@admin_bp.route("/baru", methods=["GET", "POST"])
def new():
    rules = tenant_rules()
    form = with_settings(OpenForm, rules.rule_set)()
    form.period_id.choices = [(p.id, str(p.year)) for p in calendar.years()]
    form.unit_id.choices = [("", _("Seluruh instansi"))] + [
        (u.id, f"{u.name} ({u.code})") for u in db.session.scalars(
            select(Unit).where(Unit.active).order_by(Unit.name))]
    form.codes.choices = _indicator_choices()
    if request.method == "GET":
        today = tenant_today()
        form.opens_on.data = form.opens_on.data or today
        form.closes_on.data = form.closes_on.data or today + timedelta(days=int(rules.settings.get(
            "consultation_days") or 14))
        fill_settings(form, dict(rules.settings))
    done = None
    if form.validate_on_submit() and (
            overrides := settings_from(form, _overrides_of_year(form.period_id.data))) is not None:
        data = services.ProposalData(
            title=form.title.data, subject=Subject(form.subject.data), period_id=form.period_id.data,
            unit_id=form.unit_id.data, opens_on=form.opens_on.data, closes_on=form.closes_on.data,
            explanation=form.explanation.data, codes=form.codes.data or [], overrides=overrides)
        done = perform(form, lambda: services.open_consultation(current_user, data),
                       success=_("Konsultasi dibuka; pegawai yang bersangkutan sudah diberi tahu."),
                       redirect_to=lambda c: url_for(".detail", consultation_id=c.id))
        if done.ok:
            return done.response
    settings_names = [f.name for f in form if f.name.startswith("setting__")]
    return render_template("consultation/admin_new.html", form=form, settings_names=settings_names), \
        form_status(form, done)


def _render_admin_detail(consultation: Consultation, respond: RespondForm | None = None,
                         decide: Form | None = None, status: int = 200, problem: Form | None = None):
    rules = tenant_rules()
    if decide is None:
        decide = with_settings(DecideForm, rules.rule_set)(formdata=None)
        decide.codes.data = list(consultation.proposal.get("codes", []))
        if consultation.subject is Subject.SETTINGS:
            fill_settings(decide, services.settings_service.validate(consultation.proposal.get("overrides", {})))
    decide.codes.choices = _indicator_choices()
    return render_template(
        "consultation/admin_detail.html", consultation=consultation, state=services.state(consultation),
        state_label=services.state_label(consultation), tally=services.tally(consultation),
        lines=services.comparison(consultation) if consultation.decision is None else [],
        answers=services.answers(consultation), respond=respond, respond_for=request.form.get("answer_id", type=int),
        decide=decide, settings_names=[f.name for f in decide if f.name.startswith("setting__")],
        waiting=services.unanswered_comments(consultation), unit_names=_unit_names(),
        decision_label=services.decision_label, Subject=Subject, problem=problem), status


def _unless_closed(consultation: Consultation, form: Form) -> Form | None:
    """The form to show errors of above the page when its own form is not on it."""
    return None if services.state(consultation) == "closed" else form


@admin_bp.route("/<int:consultation_id>", endpoint="detail")
def admin_detail(consultation_id: int):
    return _render_admin_detail(_consultation_or_404(consultation_id))


@admin_bp.route("/<int:consultation_id>/tanggapan", methods=["POST"])
def respond(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = RespondForm()
    if not form.validate_on_submit():
        return _render_admin_detail(consultation, respond=form, status=422, problem=form)
    answer_id = request.form.get("answer_id", type=int)
    done = perform(form, lambda: services.respond(current_user, consultation, answer_id, form.response.data),
                   success=_("Tanggapan disimpan."),
                   redirect_to=url_for(".detail", consultation_id=consultation.id))
    return done.response if done.ok else _render_admin_detail(
        _consultation_or_404(consultation_id), respond=form, status=done.status, problem=form)


@admin_bp.route("/<int:consultation_id>/putuskan", methods=["POST"])
def decide(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = with_settings(DecideForm, tenant_rules().rule_set)()
    form.codes.choices = _indicator_choices()
    if not form.validate_on_submit():
        return _render_admin_detail(consultation, decide=form, status=422)
    decision = Decision(form.decision.data)
    overrides = dict(consultation.proposal.get("overrides", {}))
    if decision is Decision.AMENDED:  # the settings inputs are read only when the proposal is changed
        overrides = settings_from(form, overrides)
        if overrides is None:
            return _render_admin_detail(consultation, decide=form, status=422,
                                        problem=_unless_closed(consultation, form))
    done = perform(form, lambda: services.decide(current_user, consultation, decision, form.note.data,
                                                 form.codes.data or [], overrides),
                   success=_("Keputusan konsultasi disimpan."),
                   redirect_to=url_for(".detail", consultation_id=consultation.id))
    return done.response if done.ok else _render_admin_detail(
        _consultation_or_404(consultation_id), decide=form, status=done.status, problem=_unless_closed(consultation, form))


@admin_bp.route("/<int:consultation_id>/umumkan", methods=["POST"])
def publish(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = Form()
    if not form.validate_on_submit():
        return _render_admin_detail(consultation, status=422, problem=form)
    done = perform(form, lambda: services.publish(current_user, consultation),
                   success=_("Hasil konsultasi diumumkan di halaman transparansi."),
                   redirect_to=url_for(".detail", consultation_id=consultation.id))
    if done.ok:
        return done.response
    return _render_admin_detail(_consultation_or_404(consultation_id), status=done.status, problem=form)


# --- employees ----------------------------------------------------------------------------

@bp.route("/")
def mine():
    rows = [(c, services.my_answer(current_user, c)) for c in services.mine(current_user)]
    return render_template("consultation/list.html", rows=rows, state_label=services.state_label,
                           unit_names=_unit_names())


@bp.route("/<int:consultation_id>", methods=["GET", "POST"])
def detail(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    if not can_read(current_user, consultation):
        raise Forbidden(_("Konsultasi ini tidak ditujukan kepada Anda."))
    mine = services.my_answer(current_user, consultation)
    form = AnswerForm()
    if request.method == "GET" and mine is not None:
        form.agrees.data = "1" if mine.agrees else "0"
        form.comment.data = mine.comment
    done = None
    if form.validate_on_submit():
        agrees = {"1": True, "0": False}.get(form.agrees.data)
        done = perform(form, lambda: services.answer(current_user, consultation, agrees, form.comment.data),
                       success=_("Tanggapan Anda disimpan. Anda dapat mengubahnya sampai konsultasi ditutup."),
                       redirect_to=url_for(".detail", consultation_id=consultation.id))
        if done.ok:
            return done.response
    current = services.state(consultation)
    return render_template(
        "consultation/detail.html", consultation=consultation, state=current,
        state_label=services.state_label(consultation), mine=mine, form=form,
        may_answer=current == "open" and is_concerned(current_user, consultation),
        lines=services.comparison(consultation) if consultation.decision is None else [],
        unit_names=_unit_names(), decision_label=services.decision_label), form_status(form, done)


# --- the public, aggregated result ----------------------------------------------------------

@public_bp.route("/")
def published():
    return render_template("consultation/public.html", rows=services.published(), unit_names=_unit_names(),
                           decision_label=services.decision_label)
