"""Criteria consultation: open, answer, tally, respond, decide, publish.

- The admin instansi opens a consultation on a proposal — a new indicator
  set for a unit (with its sub-units) or for every top-level unit, or new
  settings overrides — for a year, with a window of days on the tenant's
  calendar. Every employee concerned (active, with an active account, in the
  unit's subtree or anywhere in the tenant) is told through ``notify``.
- Each employee concerned answers setuju / tidak setuju with an optional
  comment: one answer each, changeable while the window is open.
- After the window closes the admin responds to every comment, then adopts,
  amends (changes the proposal, then adopts) or drops it. Adoption goes
  through the services that already make versions: ``assign_indicators``
  (app.skp.planning) or ``save_version(..., source="consultation")``
  (app.settings). The aggregated result (never names or comments) is frozen
  at the decision and may then be published on the transparency page.

Every change is audited. Errors are those of ``app.errors``. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import audit
from app.auth.models import User
from app.consultation.access import can_answer, can_manage, is_concerned
from app.consultation.models import Answer, Consultation, Decision, Subject
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.notifications import notify
from app.org.models import Employee, Position, Unit
from app.periods.models import Period, PeriodKind
from app.regions.inputs import CriteriaConsultation
from app.settings import services as settings_service
from app.settings.fields import describe, shown
from app.skp.planning.indicator_sets import assign_indicators
from app.skp.planning.models import IndicatorAssignment
from app.tenancy import tenant, tenant_rules, tenant_today, utc_now
from app.tenancy.current import settings_overrides

MAX_COMMENT = 2000
MAX_TEXT = 5000
MAX_WINDOW_DAYS = 120


# --- who is concerned -------------------------------------------------------------------

def unit_subtree(unit_id: int) -> set[int]:
    found = {unit_id}
    frontier = {unit_id}
    while frontier:
        frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def _ancestors(unit: Unit | None) -> set[int]:
    found: set[int] = set()
    while unit is not None and unit.id not in found:
        found.add(unit.id)
        unit = unit.parent
    return found


def concerned_ids_query(consultation: Consultation):
    """Active employees with an active account, of the unit's subtree or of the tenant."""
    query = (select(Employee.id).join(User, User.employee_id == Employee.id)
             .where(Employee.active, User.active))
    if consultation.unit_id is not None:
        query = (query.join(Position, Employee.position_id == Position.id)
                 .where(Position.unit_id.in_(unit_subtree(consultation.unit_id))))
    return query.distinct()


def concerned_count(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count()).select_from(concerned_ids_query(consultation).subquery())) or 0


# --- windows ----------------------------------------------------------------------------

def state(consultation: Consultation, today: date | None = None) -> str:
    """"scheduled", "open", "closed" (awaiting the decision) or "decided"."""
    if consultation.decision is not None:
        return "decided"
    today = today or tenant_today()
    if today < consultation.opens_on:
        return "scheduled"
    return "open" if today <= consultation.closes_on else "closed"


STATE_LABELS = {"scheduled": "Dijadwalkan", "open": "Dibuka", "closed": "Ditutup", "decided": "Diputuskan"}


def state_label(consultation: Consultation) -> str:
    return _(STATE_LABELS[state(consultation)])


def decision_label(decision: Decision | None) -> str:
    return {Decision.ADOPTED: _("Diterapkan"), Decision.AMENDED: _("Diubah lalu diterapkan"),
            Decision.DROPPED: _("Dibatalkan"), None: "—"}[decision]


# --- what is in force, what is proposed --------------------------------------------------

def _root_unit_ids() -> list[int]:
    return list(db.session.scalars(select(Unit.id).where(Unit.parent_id.is_(None), Unit.active).order_by(Unit.id)))


def indicator_codes_in_force(period_id: int, unit_id: int | None) -> list[str]:
    """The codes of the year's indicator sets given to the unit or a parent unit
    (whole tenant: to the top-level units), in the order they were given."""
    if unit_id is not None:
        units = _ancestors(db.session.get(Unit, unit_id))
    else:
        units = set(_root_unit_ids())
    codes: dict[str, None] = {}
    for assignment in db.session.scalars(
            select(IndicatorAssignment).where(IndicatorAssignment.period_id == period_id,
                                              IndicatorAssignment.unit_id.in_(units))
            .order_by(IndicatorAssignment.id)):
        codes.update(dict.fromkeys(assignment.indicator_codes))
    return list(codes)


@dataclass(frozen=True)
class Line:
    """One row of "in force" next to "proposed"."""

    label: str
    in_force: str
    proposed: str
    changed: bool


def _indicator_label(code: str) -> str:
    indicator = tenant_rules().rule_set.indicator(code)
    return f"{indicator.name} ({code})" if indicator is not None else code


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    return str(value)


def setting_descriptions() -> dict[str, str]:
    from app.regions.settings import TenantSettingsSchema

    schema = (tenant_rules().rule_set.settings_schema or TenantSettingsSchema)()
    return {name: (f.metadata.get("description") or name) for name, f in schema.fields.items()}


def comparison(consultation: Consultation, proposal: dict[str, Any] | None = None) -> list[Line]:
    """The proposal next to what is in force."""
    proposal = consultation.proposal if proposal is None else proposal
    if consultation.subject is Subject.INDICATOR_SET:
        in_force = indicator_codes_in_force(consultation.period_id, consultation.unit_id)
        proposed = list(proposal.get("codes", []))
        return [Line(_indicator_label(code), _("berlaku") if code in in_force else "—",
                     _("diusulkan") if code in proposed else "—", (code in in_force) != (code in proposed))
                for code in dict.fromkeys(in_force + proposed)]
    before = settings_service.validate(settings_overrides(tenant(), _effective_from(consultation)))
    after = settings_service.validate(proposal.get("overrides", {}))
    labels = setting_descriptions()
    described = {f.name: f for f in describe(tenant_rules().rule_set)}  # labelled as the settings editor does

    def line(name: str) -> Line:
        f = described.get(name)
        if f is None:
            return Line(labels.get(name, name), _show(before.get(name)), _show(after.get(name)),
                        before.get(name) != after.get(name))
        return Line(f.label, shown(f, before.get(name)), shown(f, after.get(name)), before.get(name) != after.get(name))

    return [line(name) for name in sorted(set(before) | set(after))]


def changes(consultation: Consultation, proposal: dict[str, Any] | None = None) -> list[str]:
    """What adopting the proposal changes, in words (no names of people)."""
    return [f"{line.label}: {line.in_force} → {line.proposed}"
            for line in comparison(consultation, proposal) if line.changed]


def _effective_from(consultation: Consultation) -> date:
    return consultation.period.starts_on


# --- opening ----------------------------------------------------------------------------

@dataclass
class ProposalData:
    title: str
    subject: Subject
    period_id: int | None
    unit_id: int | None
    opens_on: date | None
    closes_on: date | None
    explanation: str | None = None
    codes: list[str] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)


def _clean_proposal(subject: Subject, codes: list[str], overrides: dict[str, Any]) -> dict[str, Any]:
    if subject is Subject.INDICATOR_SET:
        rule_set = tenant_rules().rule_set
        codes = list(dict.fromkeys(c for c in codes if c))
        if not codes:
            raise Invalid(_("Pilih paling sedikit satu indikator."), "codes")
        unknown = [c for c in codes if rule_set.indicator(c) is None]
        if unknown:
            raise Invalid(_("Indikator tidak dikenal: %(codes)s.", codes=", ".join(unknown)), "codes")
        return {"codes": codes}
    clean = {k: v for k, v in overrides.items() if v is not None}
    settings_service.validate(clean)
    return {"overrides": clean}


def _require_open_year(period: Period) -> None:
    """A consultation changes what is still to come: never a year that has ended."""
    if period.ends_on < tenant_today():
        raise Invalid(_("Tahun %(year)d sudah berakhir; konsultasi hanya untuk tahun yang masih berjalan "
                        "atau yang akan datang.", year=period.year), "period_id")


def open_consultation(user: User, data: ProposalData) -> Consultation:
    if not can_manage(user):
        raise Forbidden(_("Hanya admin instansi yang dapat membuka konsultasi."))
    title = (data.title or "").strip()
    if not title:
        raise Invalid(_("Isi judul konsultasi."), "title")
    period = db.session.get(Period, data.period_id) if data.period_id is not None else None
    if period is None or period.kind is not PeriodKind.YEAR:
        raise Invalid(_("Pilih tahun penilaian."), "period_id")
    _require_open_year(period)
    if data.unit_id is not None and db.session.get(Unit, data.unit_id) is None:
        raise Invalid(_("Unit kerja tidak ditemukan."), "unit_id")
    if data.opens_on is None or data.closes_on is None:
        raise Invalid(_("Isi tanggal dibuka dan ditutup."), "opens_on")
    if data.closes_on < data.opens_on:
        raise Invalid(_("Tanggal ditutup tidak boleh sebelum tanggal dibuka."), "closes_on")
    if data.closes_on < tenant_today():
        raise Invalid(_("Tanggal ditutup sudah lewat."), "closes_on")
    if (data.closes_on - data.opens_on).days > MAX_WINDOW_DAYS:
        raise Invalid(_("Masa konsultasi paling lama %(n)d hari.", n=MAX_WINDOW_DAYS), "closes_on")
    if data.subject is Subject.SETTINGS and data.unit_id is not None:
        raise Invalid(_("Perubahan pengaturan berlaku untuk seluruh instansi: kosongkan unit kerja."), "unit_id")
    if data.subject is Subject.INDICATOR_SET and data.unit_id is None and not _root_unit_ids():
        raise Invalid(_("Belum ada unit kerja."), "unit_id")
    consultation = Consultation(
        title=title[:200], explanation=(data.explanation or "").strip()[:MAX_TEXT] or None, subject=data.subject,
        period_id=period.id, unit_id=data.unit_id, proposal=_clean_proposal(data.subject, data.codes, data.overrides),
        opens_on=data.opens_on, closes_on=data.closes_on, created_by_id=user.id)
    db.session.add(consultation)
    db.session.flush()
    if not changes(consultation):
        raise Invalid(_("Usulan sama dengan yang berlaku; tidak ada yang perlu dikonsultasikan."),
                      "codes" if data.subject is Subject.INDICATOR_SET else None)
    audit.record("consultation.open", consultation, None)
    start, end = consultation.opens_on, consultation.closes_on
    notify("consultation.open",
           lambda: _("Konsultasi \"%(title)s\": beri tanggapan Anda %(start)s s.d. %(end)s.", title=title,
                     start=format_date(start, "dd-MM-yyyy"), end=format_date(end, "dd-MM-yyyy")),
           employees=db.session.scalars(concerned_ids_query(consultation)).all(),
           about=("consultation", consultation.id))
    return consultation


# --- answering --------------------------------------------------------------------------

def my_answer(user: User, consultation: Consultation) -> Answer | None:
    if user.employee_id is None:
        return None
    return db.session.scalar(select(Answer).where(Answer.consultation_id == consultation.id,
                                                  Answer.employee_id == user.employee_id))


def answer(user: User, consultation: Consultation, agrees: bool | None, comment: str | None) -> Answer:
    """Record or change the user's answer while the window is open."""
    if not is_concerned(user, consultation):
        raise Forbidden(_("Konsultasi ini tidak ditujukan kepada Anda."))
    current = state(consultation)
    if current == "scheduled":
        raise Invalid(_("Konsultasi baru dibuka pada %(day)s.", day=format_date(consultation.opens_on, "dd-MM-yyyy")))
    if not can_answer(user, consultation, current):
        raise Invalid(_("Masa konsultasi sudah ditutup pada %(day)s; tanggapan tidak dapat diubah lagi.",
                        day=format_date(consultation.closes_on, "dd-MM-yyyy")))
    if agrees is None:
        raise Invalid(_("Pilih setuju atau tidak setuju."), "agrees")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise Invalid(_("Masukan paling panjang %(n)d karakter.", n=MAX_COMMENT), "comment")
    row = my_answer(user, consultation)
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = Answer(consultation_id=consultation.id, employee_id=user.employee_id, agrees=agrees)
        db.session.add(row)
    row.agrees = agrees
    row.comment = comment or None
    row.answered_at = utc_now()
    db.session.flush()
    audit.record("consultation_answer.save", row, before)
    return row


# --- tallies ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    concerned: int
    answered: int
    agree: int
    disagree: int
    comments: int

    @property
    def participation(self) -> float:
        return 100.0 * self.answered / self.concerned if self.concerned else 0.0

    @property
    def agreement(self) -> float:
        return 100.0 * self.agree / self.answered if self.answered else 0.0


def tally(consultation: Consultation) -> Tally:
    """Live counts: answers of employees still concerned are counted against the concerned."""
    concerned = concerned_count(consultation)
    answered, agree, comments = db.session.execute(
        select(func.count(Answer.id), func.count(Answer.id).filter(Answer.agrees),
               func.count(Answer.comment)).where(Answer.consultation_id == consultation.id)).one()
    return Tally(max(concerned, answered), answered, agree, answered - agree, comments)


def answers(consultation: Consultation) -> list[tuple[Answer, str]]:
    """Every answer with the employee's name, for the admin (oldest first)."""
    return [(row, name) for row, name in db.session.execute(
        select(Answer, Employee.name).join(Employee, Answer.employee_id == Employee.id)
        .where(Answer.consultation_id == consultation.id).order_by(Answer.answered_at, Answer.id))]


# --- responding, deciding, publishing --------------------------------------------------

def _require_manage(user: User) -> None:
    if not can_manage(user):
        raise Forbidden(_("Hanya admin instansi yang dapat mengelola konsultasi."))


def respond(user: User, consultation: Consultation, answer_id: int | None, text: str | None) -> Answer:
    """The admin's response to one comment, once the window has closed."""
    _require_manage(user)
    current = state(consultation)
    if current in ("scheduled", "open"):
        raise Invalid(_("Tanggapan atas masukan dicatat setelah masa konsultasi ditutup."))
    if current == "decided":
        raise Invalid(_("Konsultasi ini sudah diputuskan."))
    row = db.session.get(Answer, answer_id) if answer_id is not None else None
    if row is None or row.consultation_id != consultation.id or not row.comment:
        raise Invalid(_("Masukan tidak ditemukan."))
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Isi tanggapan."), "response")
    if len(text) > MAX_TEXT:
        raise Invalid(_("Tanggapan paling panjang %(n)d karakter.", n=MAX_TEXT), "response")
    before = audit.snapshot(row)
    row.response = text
    row.responded_at = utc_now()
    db.session.flush()
    audit.record("consultation_answer.respond", row, before)
    return row


def unanswered_comments(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count(Answer.id)).where(
        Answer.consultation_id == consultation.id, Answer.comment.is_not(None), Answer.response.is_(None))) or 0


def decide(user: User, consultation: Consultation, decision: Decision, note: str | None = None,
           codes: list[str] | None = None, overrides: dict[str, Any] | None = None) -> Consultation:
    """Adopt, amend (``codes``/``overrides`` replace the proposal) or drop, after the
    window closed and every comment has a response. Adoption makes the new version."""
    _require_manage(user)
    current = state(consultation)
    if current in ("scheduled", "open"):
        raise Invalid(_("Konsultasi masih berjalan sampai %(day)s.",
                        day=format_date(consultation.closes_on, "dd-MM-yyyy")))
    if current == "decided":
        raise Invalid(_("Konsultasi ini sudah diputuskan."))
    waiting = unanswered_comments(consultation)
    if waiting:
        raise Invalid(_("%(n)d masukan pegawai belum ditanggapi.", n=waiting))
    if decision is not Decision.DROPPED:
        _require_open_year(consultation.period)
    # One decision: a second admin (or a double click) deciding meanwhile finds it taken.
    claimed = db.session.execute(update(Consultation).where(
        Consultation.id == consultation.id, Consultation.decision.is_(None),
    ).values(decided_at=utc_now()).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise Conflict(_("Konsultasi ini sudah diputuskan."))
    before = audit.snapshot(consultation)
    if decision is Decision.AMENDED:
        amended = _clean_proposal(consultation.subject, codes or [], overrides or {})
        if amended == consultation.proposal:
            raise Invalid(_("Usulan belum diubah; pilih \"terapkan\" untuk menerapkan usulan apa adanya."),
                          "codes" if consultation.subject is Subject.INDICATOR_SET else None)
        consultation.proposal = amended
    made = changes(consultation) if decision is not Decision.DROPPED else []
    if decision is not Decision.DROPPED:
        if not made:
            raise Invalid(_("Usulan sama dengan yang berlaku; pilih \"batalkan\"."))
        _adopt(user, consultation, note)
    counts = tally(consultation)
    consultation.decision = decision
    consultation.decision_note = (note or "").strip()[:MAX_TEXT] or None
    consultation.decided_at = utc_now()
    consultation.result = {"concerned": counts.concerned, "answered": counts.answered, "agree": counts.agree,
                           "disagree": counts.disagree, "comments": counts.comments, "changes": made}
    db.session.flush()
    audit.record("consultation.decide", consultation, before)
    title = consultation.title
    notify("consultation.decide",
           lambda: _("Hasil konsultasi \"%(title)s\": %(decision)s.", title=title,
                     decision=decision_label(decision).lower()),
           employees=db.session.scalars(select(Answer.employee_id).where(
               Answer.consultation_id == consultation.id)).all(),
           about=("consultation", consultation.id))
    return consultation


def _adopt(user: User, consultation: Consultation, note: str | None) -> None:
    reason = note or _("Hasil konsultasi \"%(title)s\"", title=consultation.title)
    if consultation.subject is Subject.INDICATOR_SET:
        codes = list(consultation.proposal.get("codes", []))
        period = consultation.period
        for unit_id in ([consultation.unit_id] if consultation.unit_id is not None else _root_unit_ids()):
            assign_indicators(user, period, codes, unit_id=unit_id)
        return
    settings_service.save_version(dict(consultation.proposal.get("overrides", {})), effective_from=_effective_from(
        consultation), period=consultation.period, note=reason[:500], source="consultation", actor_id=user.id)


def publish(user: User, consultation: Consultation) -> Consultation:
    """Put the aggregated result on the transparency page (after the decision)."""
    _require_manage(user)
    if consultation.decision is None:
        raise Invalid(_("Hasil konsultasi dapat diumumkan setelah diputuskan."))
    if consultation.published_at is not None:
        raise Invalid(_("Hasil konsultasi ini sudah diumumkan."))
    before = audit.snapshot(consultation)
    consultation.published_at = utc_now()
    db.session.flush()
    audit.record("consultation.publish", consultation, before)
    return consultation


# --- lists ------------------------------------------------------------------------------

def all_consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.opens_on.desc(),
                                                                 Consultation.id.desc())))


def mine(user: User) -> list[Consultation]:
    """The consultations the user is concerned by, newest first."""
    return [c for c in all_consultations() if is_concerned(user, c)]


def published() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).where(Consultation.published_at.is_not(None))
                                   .order_by(Consultation.published_at.desc())))


# --- the plan-lock seam -----------------------------------------------------------------

def for_plan_lock(period: Period) -> CriteriaConsultation | None:
    """The year's latest indicator set consultation, as region rules receive it
    (``PlanningInput.consultation``); None when none was opened."""
    row = db.session.scalar(
        select(Consultation).where(Consultation.period_id == period.id,
                                   Consultation.subject == Subject.INDICATOR_SET)
        .order_by(Consultation.opens_on.desc(), Consultation.id.desc()).limit(1))
    if row is None:
        return None
    comments = db.session.scalar(select(func.count(Answer.id)).where(
        Answer.consultation_id == row.id, Answer.comment.is_not(None))) or 0
    return CriteriaConsultation(published_on=row.opens_on, closes_on=row.closes_on, comments_received=comments,
                                responses_published=row.published_at is not None)
