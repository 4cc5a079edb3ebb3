"""The plan's way through review: the pegawai submits, the pejabat penilai
agrees or returns it, the admin may name another penilai. Each step checks
who may take it (``app.skp.planning.access``), refuses a stale form,
audits, notifies the other party, and leaves the commit to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.auth.models import User
from app.errors import Forbidden, Invalid
from app.notifications import notify
from app.org.models import Employee
from app.skp.planning.access import can_reassign_penilai, is_owner, is_penilai, penilai_of
from app.skp.planning.guards import audit_child, check_editable, check_version, require, touch
from app.skp.planning.models import Plan, PlanStatus, ResultKind
from app.tenancy import utc_now
from app.webhooks import services as webhooks


def _notify(employee_id: int | None, kind: str, plan: Plan, message_for) -> None:
    """Tell every active account of ``employee_id`` about ``plan``, in its language."""
    notify(kind, message_for, employees=[employee_id], about=("plan", plan.id))


def submission_problems(plan: Plan) -> list[str]:
    """Why a plan is not ready to submit (empty when it is)."""
    problems = []
    if not any(r.kind is ResultKind.UTAMA for r in plan.results):
        problems.append(_("Tambahkan paling sedikit satu RHK utama."))
    for result in plan.results:
        if not result.indicators:
            problems.append(_("RHK \u201c%(rhk)s\u201d belum memiliki IKI.", rhk=result.description[:80]))
        for indicator in result.indicators:
            if indicator.target_lower <= 0 or indicator.target_upper < indicator.target_lower:
                problems.append(_("Target IKI \u201c%(iki)s\u201d belum benar.", iki=indicator.name[:80]))
    if penilai_of(plan) is None:
        problems.append(_("Pejabat penilai Anda belum ada di struktur organisasi; hubungi admin."))
    return problems


def submit(user: User, plan: Plan, version: int | None) -> None:
    check_editable(user, plan, version)
    problems = submission_problems(plan)
    if problems:
        raise Invalid(" ".join(problems))
    before = audit.snapshot(plan)
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = utc_now()
    audit.record("plan.submit", plan, before)
    penilai = penilai_of(plan)
    name = plan.employee.name
    _notify(penilai.id, "plan.submitted", plan,
            lambda: _("%(name)s mengajukan SKP %(year)d untuk disetujui.", name=name, year=plan.period.year))


def _check_reviewer(user: User, plan: Plan, version: int | None) -> None:
    if is_owner(user, plan):
        raise Forbidden(_l("Anda tidak dapat menyetujui atau mengembalikan SKP Anda sendiri."))
    require(is_penilai(user, plan),
             _l("Hanya pejabat penilai pegawai ini yang dapat menyetujui atau mengembalikan SKP-nya."))
    if plan.status is not PlanStatus.SUBMITTED:
        raise Forbidden(_l("SKP ini tidak sedang menunggu persetujuan."))
    check_version(plan, version)


def _set_expectations(plan: Plan, expectations: Mapping[int, str | None]) -> None:
    for behaviour in plan.behaviours:
        if behaviour.id not in expectations:
            continue
        value = (expectations[behaviour.id] or "").strip() or None
        if value != behaviour.expectation:
            before = audit.snapshot(behaviour)
            behaviour.expectation = value
            audit_child("plan_behaviour.update", behaviour, plan, before)


def agree(user: User, plan: Plan, version: int | None, expectations: Mapping[int, str | None]) -> None:
    _check_reviewer(user, plan, version)
    _set_expectations(plan, expectations)
    before = audit.snapshot(plan)
    plan.status = PlanStatus.AGREED
    plan.agreed_at = utc_now()
    plan.agreed_by_id = user.id
    audit.record("plan.agree", plan, before)
    webhooks.emit("plan.agreed", {"plan_id": plan.id, "employee_id": plan.employee_id, "period_id": plan.period_id})
    year = plan.period.year
    _notify(plan.employee_id, "plan.agreed", plan,
            lambda: _("SKP %(year)d Anda telah disetujui pejabat penilai.", year=year))


def return_plan(user: User, plan: Plan, version: int | None, notes: str,
                expectations: Mapping[int, str | None]) -> None:
    _check_reviewer(user, plan, version)
    notes = (notes or "").strip()
    if not notes:
        raise Invalid(_l("Tuliskan catatan: apa yang perlu diperbaiki pegawai."), "notes")
    _set_expectations(plan, expectations)
    before = audit.snapshot(plan)
    plan.status = PlanStatus.RETURNED
    plan.return_notes = notes
    audit.record("plan.return", plan, before, reason=notes)
    year = plan.period.year
    _notify(plan.employee_id, "plan.returned", plan,
            lambda: _("SKP %(year)d Anda dikembalikan dengan catatan untuk diperbaiki.", year=year))


def reassign_penilai(user: User, plan: Plan, version: int | None, penilai: Employee | None,
                     reason: str) -> None:
    """The admin names another pejabat penilai for this plan (None: back to the org chart)."""
    require(can_reassign_penilai(user), _l("Hanya admin instansi yang dapat mengganti pejabat penilai."))
    check_version(plan, version)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Alasan penggantian wajib diisi."), "reason")
    if penilai is not None:
        if penilai.id == plan.employee_id:
            raise Invalid(_l("Pegawai tidak dapat menjadi pejabat penilai SKP-nya sendiri."), "employee_nip")
        if not penilai.active:
            raise Invalid(_l("Pegawai itu sudah nonaktif."), "employee_nip")
    before = audit.snapshot(plan)
    plan.assigned_penilai = penilai
    touch(plan)
    audit.record("plan.reassign_penilai", plan, before, reason=reason)
    new_penilai = penilai_of(plan)
    if plan.status is PlanStatus.SUBMITTED and new_penilai is not None:
        name = plan.employee.name
        _notify(new_penilai.id, "plan.submitted", plan,
                lambda: _("Anda ditetapkan sebagai pejabat penilai SKP %(name)s; SKP menunggu persetujuan.",
                          name=name))
