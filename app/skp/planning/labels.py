"""The labels of planning's enums and IKI fields, in one place (UI text)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.regions.types import Aspect, Direction
from app.skp.planning.models import PlanStatus, ResultKind

STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draf"),
    PlanStatus.SUBMITTED: _l("Diajukan"),
    PlanStatus.AGREED: _l("Disetujui"),
    PlanStatus.RETURNED: _l("Dikembalikan"),
}
KIND_LABELS = {ResultKind.UTAMA: _l("Utama"), ResultKind.TAMBAHAN: _l("Tambahan")}
ASPECT_LABELS = {
    Aspect.KUANTITAS: _l("Kuantitas"), Aspect.KUALITAS: _l("Kualitas"),
    Aspect.WAKTU: _l("Waktu"), Aspect.BIAYA: _l("Biaya"),
}
DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("Makin tinggi makin baik"),
    Direction.LOWER_IS_BETTER: _l("Makin rendah makin baik"),
}
