"""The settings editor's two steps: a proposal is previewed, then saved.

Step 1 ("Pratinjau") reads the form into a ``Proposal`` — the overrides, the
day it takes effect (a period that has not ended, or today) and a note — and
shows what it changes and which open (draft) evaluations it would govern.
The proposal travels to step 2 ("Simpan") as a signed token, so what is saved
is exactly what was previewed; saving goes through
``app.settings.services.save_version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.errors import Invalid
from app.extensions import db
from app.periods.models import Period
from app.regions.settings import effective_settings
from app.settings import affected, services
from app.settings.fields import EditorField, labelled_diff
from app.tenancy import tenant, tenant_today
from app.tenancy.current import settings_overrides
from app.tenancy.models import SettingsVersion

TODAY = "today"
PREVIEW_PURPOSE = "kinerja-settings-preview"
PREVIEW_MAX_AGE = 2 * 3600  # seconds a preview stays savable
MAX_NOTE = 500


@dataclass(frozen=True)
class Proposal:
    overrides: dict[str, Any]
    start: str  # "today" or the id of the period it starts with
    note: str | None

    @property
    def period(self) -> Period | None:
        return None if self.start == TODAY else _open_period(self.start)

    @property
    def effective_from(self) -> date:
        period = self.period
        return period.starts_on if period is not None else tenant_today()


@dataclass(frozen=True)
class Preview:
    changes: list[tuple[str, str, str]]  # (label, before, after)
    affected: list[tuple[Period, int]]  # open evaluations per period the version governs
    effective_from: date
    until: date | None  # a later version takes over from this day

    @property
    def affected_total(self) -> int:
        return sum(n for _p, n in self.affected)


def _open_period(start: str) -> Period:
    """The period chosen to start from; it must be the tenant's and not have ended."""
    if not (isinstance(start, str) and start.isascii() and start.isdigit() and len(start) < 10):
        raise Invalid(_("Pilih periode mulai berlaku."), "start")
    period = db.session.get(Period, int(start))
    if period is None or period.ends_on < tenant_today():
        raise Invalid(_("Periode ini tidak ada atau sudah berakhir; pilih periode lain."), "start")
    return period


def start_choices() -> list[tuple[str, str]]:
    """"Mulai hari ini" and the periods that have not ended."""
    return [(TODAY, _("Mulai hari ini"))] + [
        (str(p.id), _("%(period)s (mulai %(day)s)", period=p.label, day=p.starts_on.strftime("%d-%m-%Y")))
        for p in services.open_periods()]


def proposal(overrides: dict[str, Any], start: str, note: str | None) -> Proposal:
    """A checked proposal: the period exists and is open, the settings fit the rule set."""
    made = Proposal(overrides, start or TODAY, (note or "").strip()[:MAX_NOTE] or None)
    made.period  # noqa: B018 - checks the chosen period
    services.validate(overrides)
    return made


def preview(made: Proposal, editor_fields: list[EditorField]) -> Preview:
    """What the proposal changes on its first day and which drafts it would govern."""
    day = made.effective_from
    rule_set = services.own_rule_set()
    before = effective_settings(rule_set, settings_overrides(tenant(), day))
    after = effective_settings(rule_set, made.overrides)
    until = services.next_version_after(day)
    return Preview(labelled_diff(editor_fields, services.diff(before, after)),
                   affected.draft_counts(day, until), day, until)


def affected_by(version: SettingsVersion) -> list[tuple[Period, int]]:
    """The open evaluations a saved version governs (for its "terapkan ulang" buttons)."""
    return affected.draft_counts(version.effective_from, services.next_version_after(version.effective_from))


def save(made: Proposal, actor_id: int | None) -> SettingsVersion:
    period = made.period
    return services.save_version(made.overrides, effective_from=made.effective_from, period=period,
                                 note=made.note, source="editor", actor_id=actor_id)


# --- the signed proposal ------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=PREVIEW_PURPOSE)


def sign(made: Proposal) -> str:
    return _serializer().dumps({"t": tenant().id, "o": made.overrides, "s": made.start, "n": made.note})


def unsign(token: str | None) -> Proposal:
    """The proposal a preview signed; ``Invalid`` when it is missing, altered,
    too old or another tenant's."""
    try:
        data = _serializer().loads(token or "", max_age=PREVIEW_MAX_AGE)
    except (BadSignature, ValueError, TypeError) as exc:
        raise Invalid(_("Pratinjau sudah kedaluwarsa atau tidak sah. Buat pratinjau lagi.")) from exc
    if not isinstance(data, dict) or data.get("t") != tenant().id or not isinstance(data.get("o"), dict):
        raise Invalid(_("Pratinjau sudah kedaluwarsa atau tidak sah. Buat pratinjau lagi."))
    note = data.get("n") if isinstance(data.get("n"), str) else None
    return proposal(data["o"], str(data.get("s") or TODAY), note)
