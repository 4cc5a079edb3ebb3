"""How the trail reads to an admin: object types, actions and field names in words.

A new audited object type or action adds its label here; until it does,
the raw code ("plan.submit") is shown, so nothing is ever hidden.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OBJECT_TYPE_LABELS = {
    "tenant": _l("Instansi"),
    "unit": _l("Unit kerja"),
    "position": _l("Jabatan"),
    "employee": _l("Pegawai"),
    "acting_assignment": _l("Plt/Plh"),
    "user": _l("Akun"),
    "import_batch": _l("Impor data"),
    "period": _l("Periode"),
    "skp_plan": _l("SKP"),
    "skp_result": _l("RHK"),
    "skp_indicator": _l("IKI"),
    "skp_behaviour": _l("Perilaku kerja"),
    "skp_indicator_assignment": _l("Penetapan indikator"),
    "skp_realisation": _l("Realisasi"),
    "skp_evidence": _l("Bukti dukung"),
    "skp_feedback_session": _l("Sesi umpan balik"),
    "skp_evaluation": _l("Penilaian"),
    "skp_objection": _l("Keberatan"),
    "training_course": _l("Katalog pelatihan"),
    "training_record": _l("Pelatihan"),
}

ACTION_VERBS = {
    "create": _l("dibuat"),
    "update": _l("diubah"),
    "deactivate": _l("dinonaktifkan"),
    "reactivate": _l("diaktifkan kembali"),
    "password_change": _l("kata sandi diganti"),
    "submit": _l("diajukan"),
    "lodge": _l("diajukan"),
    "agree": _l("disetujui"),
    "return": _l("dikembalikan"),
    "apply": _l("diterapkan"),
    "copy": _l("disalin dari tahun lalu"),
    "reassign_penilai": _l("pejabat penilai diganti"),
    "open": _l("dibuka"),
    "lock": _l("dikunci"),
    "delete": _l("dihapus"),
    "review": _l("diperiksa"),
    "rate": _l("dinilai"),
    "peer_rating": _l("dinilai rekan/bawahan"),
    "finalise": _l("difinalkan"),
    "organisation_predikat": _l("predikat organisasi ditetapkan"),
    "reapply": _l("aturan diterapkan ulang"),
    "decide": _l("diputuskan"),
    "enrol": _l("didaftarkan"),
    "complete": _l("diselesaikan"),
}

FIELD_LABELS = {
    "active": _l("Aktif"),
    "code": _l("Kode"),
    "decree": _l("Surat"),
    "email": _l("Email"),
    "employee_id": _l("Pegawai"),
    "employee_type": _l("Jenis ASN"),
    "ends_on": _l("Selesai"),
    "has_password": _l("Punya kata sandi"),
    "is_admin": _l("Admin instansi"),
    "is_platform_operator": _l("Operator platform"),
    "kind": _l("Jenis"),
    "level": _l("Tingkat"),
    "locale": _l("Bahasa"),
    "name": _l("Nama"),
    "nip": _l("NIP"),
    "parent_id": _l("Unit induk"),
    "password_set": _l("Kata sandi ditetapkan"),
    "position_id": _l("Jabatan"),
    "province": _l("Provinsi"),
    "reports_to_id": _l("Jabatan atasan"),
    "rule_set_code": _l("Rule set"),
    "settings": _l("Pengaturan"),
    "sex": _l("Jenis kelamin"),
    "slug": _l("Slug"),
    "starts_on": _l("Mulai"),
    "timezone": _l("Zona waktu"),
    "unit_id": _l("Unit kerja"),
    "username": _l("Nama pengguna"),
}


def object_type_label(code: str):
    return OBJECT_TYPE_LABELS.get(code, code)


def action_label(action: str, object_type: str | None = None):
    """ "Pegawai diubah" for ("employee.update", "employee"); the raw action when
    its verb or object has no label yet."""
    object_code, _, verb = action.partition(".")
    noun = OBJECT_TYPE_LABELS.get(object_type or "") or OBJECT_TYPE_LABELS.get(object_code)
    verb_label = ACTION_VERBS.get(verb)
    if verb_label is None or noun is None:
        return action
    return f"{noun} {verb_label}"


def field_label(name: str):
    return FIELD_LABELS.get(name, name)
