"""A final evaluation as the SIASN save body (../shared/DOCUMENTS.md §5.2, §5.3).

A period's evaluation goes to ``kinerjaperiodik/save``, the year's to
``skp22/save``; the two name the same things differently (``pnsDinilaiId`` /
``pnsDinilaiOrang``, ``penilaiJabatanNama`` / ``penilaiJabatan``) and only the
periodic one carries the period. ``path`` (the uploaded Dokumen Evaluasi) is
filled by the sender. What cannot be mapped is a ``NotReady`` with every
reason, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.periods.models import Period, PeriodKind
from app.regions.types import Expectation
from app.siasn.settings import SiasnConfig
from app.skp.evaluation.entries import entries_of
from app.skp.evaluation.models import Evaluation, EvaluationStatus
from app.skp.evaluation.outcome import outcome_of

PERIODIC = "kinerjaperiodik/save"
ANNUAL = "skp22/save"
RATING_VALUE = {Expectation.DI_BAWAH.value: 1, Expectation.SESUAI.value: 2, Expectation.DI_ATAS.value: 3}


class NotReady(Exception):
    """The evaluation cannot be sent yet; ``reasons`` says why, in the UI language."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))

    @property
    def message(self) -> str:
        return _("Belum dapat dikirim: %(reasons)s.", reasons="; ".join(self.reasons))


@dataclass(frozen=True)
class Payload:
    endpoint: str
    body: dict[str, Any]


def endpoint_for(evaluation: Evaluation) -> str:
    return ANNUAL if evaluation.period.kind is PeriodKind.YEAR else PERIODIC


def periodik_key(period: Period) -> str:
    if period.kind is PeriodKind.QUARTER:
        return f"triwulan_{period.sequence}"
    if period.kind is PeriodKind.SEMESTER:
        return f"semester_{period.sequence}"
    return "bulanan" if period.kind is PeriodKind.MONTH else "tahunan"


def ratings(evaluation: Evaluation, cfg: SiasnConfig) -> tuple[int, int] | None:
    """hasilKinerjaNilai and perilakuKerjaNilai: the stored ratings (1 di bawah, 2 sesuai,
    3 di atas); for a result without them (numeric regions, an annual result, a predikat
    an objection changed) the pair the tenant set for the predikat."""
    outcome = outcome_of(evaluation)
    changed = bool(outcome.predikat_code) and evaluation.predikat_code != outcome.predikat_code
    if not changed:
        period = outcome.period
        entries = entries_of(evaluation)
        hasil = (period.hasil_kerja_rating if period else None) or entries.hasil_kerja_rating
        perilaku = (period.perilaku_rating if period else None) or entries.perilaku_rating
        if hasil in RATING_VALUE and perilaku in RATING_VALUE:
            return RATING_VALUE[hasil], RATING_VALUE[perilaku]
    return cfg.ratings.get(evaluation.predikat_code or "")


def build(evaluation: Evaluation, cfg: SiasnConfig, remote_id: str | None = None) -> Payload:
    """The save body of a final evaluation, ``path`` empty; ``NotReady`` with every reason."""
    reasons: list[str] = []
    if evaluation.status is not EvaluationStatus.FINAL:
        raise NotReady([_("penilaian belum final")])
    pegawai = evaluation.plan.employee
    if not pegawai.siasn_id:
        reasons.append(_("ID SIASN pegawai belum diisi"))
    predikat = evaluation.predikat_code or ""
    kuadran = cfg.kuadran.get(predikat)
    if not kuadran:
        reasons.append(_("kode kuadran untuk predikat %(code)s belum diatur", code=predikat or "—"))
    pair = ratings(evaluation, cfg)
    if pair is None:
        reasons.append(_("nilai hasil kerja dan perilaku untuk predikat %(code)s belum diatur", code=predikat or "—"))
    penilai = evaluation.evaluator
    golongan = None
    if penilai is None:
        reasons.append(_("pejabat penilai tidak tercatat"))
    elif not penilai.rank_code:
        reasons.append(_("pangkat/golongan pejabat penilai belum diisi"))
    else:
        golongan = cfg.golongan.get(penilai.rank_code)
        if not golongan:
            reasons.append(_("ID golongan %(code)s belum diatur", code=penilai.rank_code))
    period = evaluation.period
    annual = period.kind is PeriodKind.YEAR
    periodik = None if annual else cfg.periodik.get(periodik_key(period))
    if not annual and not periodik:
        reasons.append(_("ID periodik untuk periode ini belum diatur"))
    if reasons:
        raise NotReady(reasons)
    position = penilai.position
    common = {
        "hasilKinerjaNilai": pair[0], "perilakuKerjaNilai": pair[1], "kuadranKinerjaNilai": _number(kuadran),
        "penilaiNipNrp": penilai.nip, "penilaiNama": penilai.name, "penilaiGolongan": golongan,
        "penilaiUnorNama": position.unit.name if position is not None else "",
        "statusPenilai": cfg.status_penilai, "path": [],
    }
    jabatan = position.name if position is not None else ""
    if annual:
        body = {"id": remote_id or "", "pnsDinilaiOrang": pegawai.siasn_id, "tahun": period.year,
                **common, "penilaiJabatan": jabatan}
        return Payload(ANNUAL, body)
    body = {"id": remote_id or "", "pnsDinilaiId": pegawai.siasn_id, "tahun": period.year,
            "periodikId": periodik,
            "bulanMulaiPenilaian": period.starts_on.month, "bulanSelesaiPenilaian": period.ends_on.month,
            "tahunMulaiPenilaian": period.starts_on.year, "tahunSelesaiPenilaian": period.ends_on.year,
            **common, "koefisienId": cfg.koefisien_id, "penilaiJabatanNama": jabatan}
    return Payload(PERIODIC, body)


def _number(code: str) -> int | str:
    """kuadranKinerjaNilai is a number in SIASN's examples; a non-numeric code goes as set."""
    return int(code) if code.isdigit() else code


def readiness(evaluation: Evaluation, cfg: SiasnConfig) -> str | None:
    """None when the evaluation can be sent, else the reason, for the list."""
    try:
        build(evaluation, cfg)
    except NotReady as exc:
        return exc.message
    return None
