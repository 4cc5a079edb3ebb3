"""Tenant settings: what a Pemda may override in its rule set.

Each rule set names a marshmallow schema (``RuleSet.settings_schema``), a
subclass of ``TenantSettingsSchema``. The common fields default to ``None``,
meaning "the rule set's own value"; a region adds its own fields with
``load_default`` values. ``effective_settings`` validates a tenant's saved
``settings`` and returns every value in force; ``apply_settings`` returns the
rule set with the overrides applied — the one to score and snapshot with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from marshmallow import Schema, ValidationError, fields, missing, validate

from app.regions.types import (
    AnnualAggregation,
    Component,
    DistributionMode,
    DistributionPolicy,
    PendingEvidencePolicy,
    Rater,
    RuleSet,
    SmallUnitRounding,
)


class SettingsError(ValueError):
    """A tenant's settings do not fit its rule set. ``problems`` maps field → messages."""

    def __init__(self, rule_set_code: str, problems: Mapping[str, Any]) -> None:
        self.rule_set_code = rule_set_code
        self.problems = dict(problems)
        self.detail = "; ".join(f"{k}: {_flatten(v)}" for k, v in self.problems.items())
        super().__init__(f"Pengaturan untuk aturan daerah {rule_set_code} tidak valid — {self.detail}")


def _flatten(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_flatten(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return " ".join(_flatten(v) for v in value)
    return str(value)


class TenantSettingsSchema(Schema):
    """Settings every rule set accepts. ``None`` keeps the rule set's value."""

    objection_window_days = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=90),
        metadata={"description": "Batas waktu pengajuan keberatan (hari)."})
    annual_aggregation = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([a.value for a in AnnualAggregation]),
        metadata={"description": "Cara hasil tahunan diturunkan dari hasil periodik."})
    distribution_mode = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([m.value for m in DistributionMode]),
        metadata={"description": "Kurva distribusi: off, warn atau block."})
    distribution_rounding = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([r.value for r in SmallUnitRounding]),
        metadata={"description": "Pembulatan kuota untuk unit kecil."})
    weights = fields.Dict(
        keys=fields.String(), values=fields.Float(validate=validate.Range(min=0, max=100)),
        load_default=None, allow_none=True,
        metadata={"description": "Bobot komponen (kode → persen), berjumlah 100."})
    rater_weights = fields.Dict(
        keys=fields.String(validate=validate.OneOf([r.value for r in Rater])),
        values=fields.Float(validate=validate.Range(min=0, max=100)),
        load_default=None, allow_none=True,
        metadata={"description": "Bobot penilai 360° (atasan, rekan, bawahan, masyarakat), berjumlah 100."})
    required_training_hours = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=200),
        metadata={"description": "Jam pelajaran (JP) pengembangan kompetensi yang diwajibkan per tahun."})
    early_finalisation = fields.Boolean(
        load_default=None, allow_none=True,
        metadata={"description": "Penilaian periode boleh difinalkan sebelum periodenya berakhir."})
    pending_evidence = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf([p.value for p in PendingEvidencePolicy]),
        metadata={"description": "Bukti dukung yang belum diperiksa: block (finalisasi ditolak) "
                                 "atau warn (hanya peringatan)."})
    unit_head_sets_organisation_predikat = fields.Boolean(
        load_default=None, allow_none=True,
        metadata={"description": "Kepala unit boleh menetapkan predikat organisasi unit yang dipimpinnya "
                                 "(admin instansi selalu boleh)."})
    evaluation_meeting_required = fields.Boolean(
        load_default=None, allow_none=True,
        metadata={"description": "Penilaian suatu periode baru dapat difinalkan setelah rapat evaluasi kinerja "
                                 "unit pegawai (atau unit di atasnya) untuk periode itu terlaksana."})
    # Not a rule-set field: a region whose rules consult employees on criteria
    # (Sawahlunto) sets ``load_default=True`` in its own schema; any tenant may switch it on.
    criteria_consultation = fields.Boolean(
        load_default=False,
        metadata={"label": "Konsultasi kriteria dengan pegawai",
                  "description": "Admin instansi dapat membuka konsultasi kriteria penilaian (set indikator "
                                 "atau pengaturan) kepada pegawai sebelum berlaku."})


def _schema_for(rule_set: RuleSet) -> Schema:
    return (rule_set.settings_schema or TenantSettingsSchema)()


def default_problems(rule_set: RuleSet) -> list[str]:
    """Every ``load_default`` the rule set's own schema rejects. marshmallow
    never validates defaults, so a default outside its own range would reach
    every tenant unchecked: each is put through the schema as if a tenant had
    entered it."""
    schema = _schema_for(rule_set)
    problems = []
    for name, field in schema.fields.items():
        default = field.load_default
        if default is missing or default is None:
            continue
        value = default() if callable(default) else default
        try:
            schema.load(schema.dump({name: value}), partial=True)
        except ValidationError as exc:
            messages = exc.messages_dict.get(name, exc.messages_dict)
            problems.append(f"setting '{name}': default {value!r} is rejected by its own schema: "
                            f"{_flatten(messages)}")
        except (TypeError, ValueError, AttributeError) as exc:
            problems.append(f"setting '{name}': default {value!r} cannot be used: {exc}")
    return problems


def effective_settings(rule_set: RuleSet, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate ``settings`` against the rule set's schema and return every
    setting in force (overrides merged over defaults). Raises ``SettingsError``."""
    try:
        loaded = _schema_for(rule_set).load(dict(settings or {}))
    except ValidationError as exc:
        raise SettingsError(rule_set.code, exc.messages_dict) from exc
    problems: dict[str, str] = {}
    weights = loaded.get("weights")
    if weights is not None:
        known = {c.code for c in rule_set.components}
        if set(weights) != known:
            problems["weights"] = f"Bobot harus untuk tepat komponen: {', '.join(sorted(known)) or '-'}."
        elif abs(sum(weights.values()) - 100) > 1e-6:
            problems["weights"] = f"Bobot komponen harus berjumlah 100 (sekarang {sum(weights.values()):g})."
    rater = loaded.get("rater_weights")
    if rater is not None:
        if not rule_set.rater_weights:
            problems["rater_weights"] = "Rule set ini tidak memakai penilaian 360°."
        elif set(rater) != {r.value for r, _ in rule_set.rater_weights}:
            known = ", ".join(r.value for r, _ in rule_set.rater_weights)
            problems["rater_weights"] = f"Bobot harus untuk tepat penilai: {known}."
        elif abs(sum(rater.values()) - 100) > 1e-6:
            problems["rater_weights"] = f"Bobot penilai harus berjumlah 100 (sekarang {sum(rater.values()):g})."
    if problems:
        raise SettingsError(rule_set.code, problems)
    own = {
        "objection_window_days": rule_set.objection_window_days,
        "annual_aggregation": rule_set.annual_aggregation.value,
        "distribution_mode": rule_set.distribution.mode.value,
        "distribution_rounding": rule_set.distribution.rounding.value,
        "weights": {c.code: c.weight for c in rule_set.components},
        "rater_weights": {r.value: w for r, w in rule_set.rater_weights},
        "required_training_hours": rule_set.required_training_hours,
        "early_finalisation": rule_set.early_finalisation,
        "pending_evidence": rule_set.pending_evidence.value,
        "unit_head_sets_organisation_predikat": rule_set.unit_head_sets_organisation_predikat,
        "evaluation_meeting_required": rule_set.evaluation_meeting_required,
    }
    return {**loaded, **{k: v for k, v in own.items() if loaded.get(k) is None}}


def apply_settings(rule_set: RuleSet, settings: Mapping[str, Any] | None) -> RuleSet:
    """The rule set with a tenant's overrides applied (validated first)."""
    eff = effective_settings(rule_set, settings)
    components = tuple(
        Component(c.code, c.name, float(eff["weights"][c.code]), c.source) for c in rule_set.components
    )
    rater_weights = tuple((r, float(eff["rater_weights"][r.value])) for r, _ in rule_set.rater_weights)
    distribution = DistributionPolicy(
        mode=DistributionMode(eff["distribution_mode"]),
        quotas=rule_set.distribution.quotas,
        rounding=SmallUnitRounding(eff["distribution_rounding"]),
    )
    return replace(
        rule_set,
        objection_window_days=int(eff["objection_window_days"]),
        annual_aggregation=AnnualAggregation(eff["annual_aggregation"]),
        distribution=distribution,
        components=components,
        rater_weights=rater_weights,
        required_training_hours=float(eff["required_training_hours"]),
        early_finalisation=bool(eff["early_finalisation"]),
        pending_evidence=PendingEvidencePolicy(eff["pending_evidence"]),
        unit_head_sets_organisation_predikat=bool(eff["unit_head_sets_organisation_predikat"]),
        evaluation_meeting_required=bool(eff["evaluation_meeting_required"]),
    )


def settings_fields(rule_set: RuleSet) -> list[tuple[str, Any, str]]:
    """(name, default, description) of every setting, for ``flask regions show``."""
    eff = effective_settings(rule_set, {})
    schema = _schema_for(rule_set)
    return [(name, eff.get(name), f.metadata.get("description", "")) for name, f in schema.fields.items()]
