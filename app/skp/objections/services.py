"""Keberatan: the pegawai objects to a final evaluation; the atasan pejabat
penilai upholds or changes the result, and that decision is final.

The rules (PP 30/2019 Pasal 59; the window is a rule-set setting):

* only the pegawai whose plan was evaluated, only on a FINAL evaluation, one
  objection per evaluation, with reasons;
* the window runs ``rule_set.objection_window_days`` days (14 nationally)
  from ``Evaluation.delivered_on``: lodging on the last day is in time, the
  day after is refused. The deadline is stored on the objection;
* the atasan pejabat penilai (``can_decide_objection``) decides
  once: upheld, or changed to another predikat of the rule set (and, for a
  numeric scheme, optionally a new score). A change is recorded on the
  objection (with the original predikat kept there) and applied to the
  evaluation's predikat and score; the evaluation's stored result and
  rule-set snapshot are never touched;
* the atasan is expected to decide within ``OBJECTION_DECISION_DAYS``
  (application setting, default 14) of lodging; later decisions are still
  accepted, and open objections past that date are shown as overdue.

Every step is audited, the atasan is notified when an objection is lodged
and the pegawai when it is decided. "Today" is the tenant's day
(``tenant_today``); ``today`` parameters let tests and the demo replay a
past day. Services raise the ``app.errors`` family. Nothing here commits;
the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.extensions import db
from app.notifications import notify
from app.regions.scoring import ScoringInputError, round_score
from app.regions.snapshot import as_rule_set
from app.regions.types import MatrixScheme, NumericScheme, RuleSet
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.objections.access import can_decide_objection, can_lodge_objection
from app.skp.objections.models import Objection, ObjectionStatus
from app.skp.planning.access import atasan_of
from app.tenancy import tenant_rules, tenant_today, utc_now
from app.webhooks import services as webhooks

DEFAULT_DECISION_DAYS = 14


# --- the windows ------------------------------------------------------------------

# Tenant settings allow a window of at most 90 days (app/regions/settings.py).
LONGEST_WINDOW_DAYS = 90


def window_days(evaluation: Evaluation | None = None) -> int:
    """The objection window in days: for a final evaluation, the one frozen in its
    rule-set snapshot (a later settings version neither shortens nor lengthens the
    window of a result already delivered); otherwise the rules in force."""
    frozen = (evaluation.snapshot or {}).get("objection_window_days") if evaluation is not None else None
    return int(frozen) if frozen is not None else int(tenant_rules().rule_set.objection_window_days)


def decision_days() -> int:
    return int(current_app.config.get("OBJECTION_DECISION_DAYS", DEFAULT_DECISION_DAYS))


def received_on(evaluation: Evaluation) -> date | None:
    """When the pegawai received the result: ``delivered_on``, else the day it was finalised."""
    if evaluation.delivered_on is not None:
        return evaluation.delivered_on
    return evaluation.finalised_at.date() if evaluation.finalised_at is not None else None


def lodging_deadline(evaluation: Evaluation, days: int | None = None) -> date | None:
    """The last day an objection to ``evaluation`` may be lodged (None before it is final)."""
    if evaluation.status is not EvaluationStatus.FINAL:
        return None
    start = received_on(evaluation)
    if start is None:
        return None
    return start + timedelta(days=window_days(evaluation) if days is None else days)


def decision_deadline(objection: Objection) -> date:
    """The day by which the atasan is expected to decide."""
    return objection.lodged_at.date() + timedelta(days=decision_days())


def is_overdue(objection: Objection, today: date | None = None) -> bool:
    return objection.status is ObjectionStatus.OPEN and (today or tenant_today()) > decision_deadline(objection)


@dataclass(frozen=True)
class ObjectionInfo:
    """What a page showing an evaluation says about objecting to it."""

    deadline: date | None
    objection: Objection | None
    can_lodge: bool  # this user, today
    window_open: bool


def objection_info(user: User, evaluation: Evaluation, today: date | None = None) -> ObjectionInfo:
    """For any page that shows an evaluation: the deadline, the objection, and
    whether ``user`` may lodge one now (see ``followup_objection_box.html``)."""
    today = today or tenant_today()
    objection = objection_of(evaluation)
    deadline = objection.deadline if objection is not None else lodging_deadline(evaluation)
    window_open = deadline is not None and today <= deadline
    can_lodge = (objection is None and window_open and can_lodge_objection(user, evaluation))
    return ObjectionInfo(deadline, objection, can_lodge, window_open)


def objection_of(evaluation: Evaluation) -> Objection | None:
    return db.session.scalar(select(Objection).where(Objection.evaluation_id == evaluation.id))


# --- predikat the atasan may choose -------------------------------------------------

def _rule_set_of(evaluation: Evaluation) -> RuleSet:
    """The rules that produced the evaluation: its snapshot, else the tenant's."""
    if evaluation.snapshot:
        try:
            return as_rule_set(evaluation.snapshot)
        except (ValueError, KeyError, TypeError):
            pass
    return tenant_rules().rule_set


def predikat_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(code, label) of every predikat the evaluation's rule set can give, best first."""
    scheme = _rule_set_of(evaluation).scheme
    if isinstance(scheme, MatrixScheme):
        return [(p.code, p.label) for p in sorted(scheme.predikat, key=lambda p: p.rank)]
    if isinstance(scheme, NumericScheme):
        seen: dict[str, str] = {}
        for band in sorted(scheme.bands, key=lambda b: (-b.upper, -b.lower)):
            seen.setdefault(band.code, band.label)
        return list(seen.items())
    return []


def uses_score(evaluation: Evaluation) -> bool:
    return isinstance(_rule_set_of(evaluation).scheme, NumericScheme)


def _check_score(evaluation: Evaluation, predikat_code: str, score: float) -> None:
    scheme = _rule_set_of(evaluation).scheme
    if not isinstance(scheme, NumericScheme):
        raise Invalid(_("Aturan daerah ini tidak memakai nilai angka; cukup pilih predikat."), "new_score")
    if not scheme.minimum <= score <= scheme.maximum:
        raise Invalid(_("Nilai harus antara %(low)g dan %(high)g.",
                               low=scheme.minimum, high=scheme.maximum), "new_score")
    bands = [b for b in scheme.bands if b.code == predikat_code]
    if not any(b.contains(score) for b in bands):
        raise Invalid(_("Nilai %(score)g tidak sesuai dengan rentang predikat yang dipilih.",
                               score=score), "new_score")


# --- lodging ----------------------------------------------------------------------

def _stamp(day: date | None) -> datetime:
    """The timestamp to store (naive UTC): now, or now's time on ``day`` when a
    caller replays a past day (tests, the demo)."""
    now = utc_now()
    return now if day is None else datetime.combine(day, now.time())


def lodge(user: User, evaluation: Evaluation, reasons: str, today: date | None = None) -> Objection:
    """The pegawai lodges an objection to a final evaluation, inside the window."""
    now = _stamp(today)
    today = today or tenant_today()
    if not can_lodge_objection(user, evaluation):
        raise Forbidden(_("Keberatan hanya dapat diajukan oleh pegawai yang dinilai atas penilaian yang sudah final."))
    if objection_of(evaluation) is not None:
        raise Invalid(_("Keberatan atas penilaian ini sudah pernah diajukan; keberatan hanya dapat diajukan sekali."))
    deadline = lodging_deadline(evaluation)
    if deadline is None:
        raise Invalid(_("Hasil penilaian ini belum diterimakan kepada pegawai, sehingga batas waktu keberatan belum berjalan."))
    if today > deadline:
        raise Invalid(_(
            "Batas waktu pengajuan keberatan sudah lewat: paling lambat %(deadline)s "
            "(%(days)d hari sejak hasil penilaian diterima).",
            deadline=format_date(deadline, "dd-MM-yyyy"), days=window_days(evaluation)))
    reasons = (reasons or "").strip()
    if len(reasons) < 10:
        raise Invalid(_("Tuliskan alasan keberatan (paling sedikit 10 karakter)."), "reasons")
    atasan = atasan_of(evaluation.plan, today)
    if atasan is None:
        raise Invalid(_("Atasan pejabat penilai belum ditetapkan; hubungi admin kepegawaian."))
    objection = Objection(
        evaluation_id=evaluation.id, evaluation=evaluation, lodged_by_id=user.id,
        lodged_at=now,
        deadline=deadline, reasons=reasons, decider_id=atasan.id,
        original_predikat_code=evaluation.predikat_code, status=ObjectionStatus.OPEN)
    db.session.add(objection)
    db.session.flush()
    audit.record("objection.lodge", objection, None, employee_id=evaluation.plan.employee_id)
    notify("objection.lodged",
           lambda: _("%(name)s mengajukan keberatan atas penilaian %(period)s; mohon diputuskan paling lambat %(due)s.",
                     name=evaluation.plan.employee.name, period=evaluation.period.label,
                     due=format_date(decision_deadline(objection), "dd-MM-yyyy")),
           employees=[atasan.id], about=("objection", objection.id))
    return objection


# --- deciding ---------------------------------------------------------------------

def decide(user: User, objection: Objection, outcome: ObjectionStatus | str, reasons: str,
           new_predikat_code: str | None = None, new_score: float | None = None,
           today: date | None = None) -> Objection:
    """The atasan pejabat penilai upholds or changes the result. Final: once only."""
    now = _stamp(today)
    outcome = ObjectionStatus(outcome)
    if objection.status is not ObjectionStatus.OPEN:
        raise Forbidden(_("Keberatan ini sudah diputuskan; keputusan atasan pejabat penilai bersifat final."))
    if not can_decide_objection(user, objection):
        raise Forbidden(_("Hanya atasan pejabat penilai yang dapat memutuskan keberatan ini."))
    if outcome is ObjectionStatus.OPEN:
        raise Invalid(_("Pilih keputusan: hasil tetap atau hasil diubah."), "outcome")
    reasons = (reasons or "").strip()
    if len(reasons) < 10:
        raise Invalid(_("Tuliskan alasan keputusan (paling sedikit 10 karakter)."), "reasons")
    evaluation = objection.evaluation
    before_objection = audit.snapshot(objection)
    if outcome is ObjectionStatus.CHANGED:
        labels: Mapping[str, str] = dict(predikat_choices(evaluation))
        if not new_predikat_code or new_predikat_code not in labels:
            raise Invalid(_("Pilih predikat baru dari daftar predikat aturan daerah."), "new_predikat_code")
        if uses_score(evaluation) and new_score is None:
            # A numeric scheme's score decides its predikat: a new predikat without a new
            # score would leave records like "Cukup (101.41)".
            raise Invalid(_("Aturan daerah ini memakai nilai angka: isi nilai baru yang sesuai dengan predikat "
                            "baru."), "new_score")
        if new_score is not None:
            try:  # the one rounding rule: half-up to two places, the band decided on the shown value
                new_score = round_score(new_score)
            except (ScoringInputError, ValueError, ArithmeticError):
                raise Invalid(_("Nilai baru harus berupa angka."), "new_score") from None
            _check_score(evaluation, new_predikat_code, new_score)
        same_score = new_score is None or new_score == evaluation.score  # both exact decimals
        if new_predikat_code == evaluation.predikat_code and same_score:
            raise Invalid(_("Predikat baru sama dengan predikat semula; pilih \u201chasil tetap\u201d bila hasil tidak diubah."),
                                 "new_predikat_code")
        before_evaluation = audit.snapshot(evaluation)
        evaluation.predikat_code = new_predikat_code
        evaluation.predikat_label = labels[new_predikat_code]
        if new_score is not None:
            evaluation.score = new_score  # stored exact (``Evaluation.score``: ``exact_score``)
        objection.new_predikat_code = new_predikat_code
        objection.new_score = new_score
        audit.record("evaluation.objection_change", evaluation, before_evaluation, reason=reasons,
                     employee_id=evaluation.plan.employee_id)
    objection.status = outcome
    objection.decision_reasons = reasons
    objection.decided_at = now
    objection.decided_by_id = user.id
    objection.decider_id = user.employee_id
    audit.record("objection.decide", objection, before_objection, reason=reasons,
                 employee_id=evaluation.plan.employee_id)
    webhooks.emit("objection.decided", {
        "objection_id": objection.id, "evaluation_id": evaluation.id, "employee_id": evaluation.plan.employee_id,
        "outcome": outcome.value, "predikat_code": evaluation.predikat_code})
    def message() -> str:
        if outcome is ObjectionStatus.CHANGED:
            return _("Keberatan Anda atas penilaian %(period)s dikabulkan: predikat diubah menjadi %(predikat)s.",
                     period=evaluation.period.label, predikat=evaluation.predikat_label)
        return _("Keberatan Anda atas penilaian %(period)s diputuskan: hasil penilaian tetap.",
                 period=evaluation.period.label)

    notify("objection.decided", message, users=[objection.lodged_by_id], about=("objection", objection.id))
    return objection
