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
    "plan": _l("SKP"),
    "plan_result": _l("RHK"),
    "plan_indicator": _l("IKI"),
    "plan_behaviour": _l("Perilaku kerja"),
    "indicator_assignment": _l("Penetapan indikator"),
    "realisation": _l("Realisasi"),
    "evidence": _l("Bukti dukung"),
    "feedback_session": _l("Sesi umpan balik"),
    "evaluation": _l("Penilaian"),
    "objection": _l("Keberatan"),
    "objection_file": _l("Lampiran keberatan"),
    "training": _l("Pelatihan"),
    "import": _l("Impor data"),
}

# What each action says, as a sentence: who did what to which object. Every
# action the application records has one (a test checks); an action without
# one reads by its verb, never by its code.
ACTION_SENTENCES = {
    "tenant.create": _l("%(actor)s mendaftarkan instansi %(name)s"),
    "tenant.update": _l("%(actor)s mengubah data instansi %(name)s"),
    "unit.create": _l("%(actor)s menambahkan unit kerja %(name)s"),
    "unit.update": _l("%(actor)s mengubah unit kerja %(name)s"),
    "unit.deactivate": _l("%(actor)s menonaktifkan unit kerja %(name)s"),
    "unit.reactivate": _l("%(actor)s mengaktifkan kembali unit kerja %(name)s"),
    "position.create": _l("%(actor)s menambahkan jabatan %(name)s"),
    "position.update": _l("%(actor)s mengubah jabatan %(name)s"),
    "position.deactivate": _l("%(actor)s menonaktifkan jabatan %(name)s"),
    "position.reactivate": _l("%(actor)s mengaktifkan kembali jabatan %(name)s"),
    "employee.create": _l("%(actor)s menambahkan pegawai %(name)s"),
    "employee.update": _l("%(actor)s mengubah data pegawai %(name)s"),
    "employee.deactivate": _l("%(actor)s menonaktifkan pegawai %(name)s"),
    "employee.reactivate": _l("%(actor)s mengaktifkan kembali pegawai %(name)s"),
    "acting_assignment.create": _l("%(actor)s menunjuk Plt/Plh %(name)s"),
    "user.create": _l("%(actor)s membuat akun %(name)s"),
    "user.update": _l("%(actor)s mengubah akun %(name)s"),
    "user.deactivate": _l("%(actor)s menonaktifkan akun %(name)s"),
    "user.reactivate": _l("%(actor)s mengaktifkan kembali akun %(name)s"),
    "user.password_change": _l("%(actor)s mengganti kata sandi akun %(name)s"),
    "user.two_factor_enable": _l("%(actor)s mengaktifkan verifikasi dua langkah akun %(name)s"),
    "user.two_factor_disable": _l("%(actor)s mematikan verifikasi dua langkah akun %(name)s"),
    "user.recovery_code_used": _l("%(actor)s masuk dengan kode pemulihan akun %(name)s"),
    "tenant.two_factor_rule": _l("%(actor)s mengubah aturan verifikasi dua langkah instansi %(name)s"),
    "import.apply": _l("%(actor)s menerapkan impor data %(name)s"),
    "period.open": _l("%(actor)s membuka periode %(name)s"),
    "period.update": _l("%(actor)s mengubah periode %(name)s"),
    "period.lock": _l("%(actor)s mengunci periode %(name)s"),
    "plan.create": _l("%(actor)s membuat SKP %(name)s"),
    "plan.copy": _l("%(actor)s menyalin SKP tahun lalu untuk %(name)s"),
    "plan.update": _l("%(actor)s mengubah SKP %(name)s"),
    "plan.submit": _l("%(actor)s mengajukan SKP %(name)s"),
    "plan.agree": _l("%(actor)s menyetujui SKP %(name)s"),
    "plan.return": _l("%(actor)s mengembalikan SKP %(name)s untuk diperbaiki"),
    "plan.reassign_penilai": _l("%(actor)s mengganti pejabat penilai SKP %(name)s"),
    "plan_result.create": _l("%(actor)s menambahkan RHK pada SKP %(name)s"),
    "plan_result.update": _l("%(actor)s mengubah RHK pada SKP %(name)s"),
    "plan_result.delete": _l("%(actor)s menghapus RHK dari SKP %(name)s"),
    "plan_indicator.create": _l("%(actor)s menambahkan IKI pada SKP %(name)s"),
    "plan_indicator.update": _l("%(actor)s mengubah IKI pada SKP %(name)s"),
    "plan_indicator.delete": _l("%(actor)s menghapus IKI dari SKP %(name)s"),
    "plan_behaviour.update": _l("%(actor)s mengubah ekspektasi perilaku kerja pada SKP %(name)s"),
    "indicator_assignment.create": _l("%(actor)s menetapkan indikator untuk %(name)s"),
    "realisation.create": _l("%(actor)s mencatat realisasi %(name)s"),
    "realisation.update": _l("%(actor)s mengubah realisasi %(name)s"),
    "evidence.create": _l("%(actor)s mengunggah bukti dukung %(name)s"),
    "evidence.review": _l("%(actor)s memeriksa bukti dukung %(name)s"),
    "evidence.delete": _l("%(actor)s menghapus bukti dukung %(name)s"),
    "feedback_session.create": _l("%(actor)s mencatat sesi umpan balik untuk %(name)s"),
    "evaluation.create": _l("%(actor)s memulai penilaian %(name)s"),
    "evaluation.rate": _l("%(actor)s mengisi penilaian %(name)s"),
    "evaluation.peer_rating": _l("%(actor)s memberi penilaian rekan/bawahan untuk %(name)s"),
    "evaluation.no_realisation": _l("%(actor)s mencatat \"tidak ada realisasi\" pada penilaian %(name)s"),
    "evaluation.finalise": _l("%(actor)s memfinalkan penilaian %(name)s"),
    "evaluation.reapply": _l("%(actor)s menerapkan ulang aturan daerah pada penilaian %(name)s"),
    "evaluation.organisation_predikat": _l("%(actor)s menetapkan predikat organisasi pada penilaian %(name)s"),
    "evaluation.objection_change": _l("%(actor)s mengubah hasil penilaian %(name)s karena keberatan"),
    "objection.lodge": _l("%(actor)s mengajukan keberatan atas penilaian %(name)s"),
    "objection.decide": _l("%(actor)s memutuskan keberatan %(name)s"),
    "objection.file_attach": _l("%(actor)s melampirkan berkas pada keberatan %(name)s"),
    "objection.file_download": _l("%(actor)s mengunduh lampiran keberatan %(name)s"),
    "training.recommend": _l("%(actor)s merekomendasikan pelatihan untuk %(name)s"),
    "training.recommended": _l("%(actor)s merekomendasikan pelatihan untuk %(name)s"),
    "training.enrolled": _l("%(actor)s mendaftarkan %(name)s ke pelatihan"),
    "training.completed": _l("%(actor)s mencatat pelatihan %(name)s selesai"),
    "training.declined": _l("%(actor)s mencatat pelatihan %(name)s tidak diikuti"),
    "training_course.create": _l("%(actor)s menambahkan pelatihan %(name)s ke katalog"),
    "training_course.update": _l("%(actor)s mengubah pelatihan %(name)s di katalog"),
    "training_course.activate": _l("%(actor)s mengaktifkan pelatihan %(name)s di katalog"),
    "training_course.deactivate": _l("%(actor)s menonaktifkan pelatihan %(name)s di katalog"),
}

# For an action without a sentence of its own: its verb, with the object's kind.
ACTION_VERBS = {
    "create": _l("%(actor)s membuat %(type)s %(name)s"),
    "update": _l("%(actor)s mengubah %(type)s %(name)s"),
    "delete": _l("%(actor)s menghapus %(type)s %(name)s"),
    "deactivate": _l("%(actor)s menonaktifkan %(type)s %(name)s"),
    "reactivate": _l("%(actor)s mengaktifkan kembali %(type)s %(name)s"),
}
GENERIC_SENTENCE = _l("%(actor)s mencatat perubahan pada %(type)s %(name)s")

ACTOR_LABELS = {
    "system": _l("Sistem"),
    "cli": _l("Operator server (baris perintah)"),
    "anonymous": _l("Pengunjung tanpa akun"),
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
    "rule_set_code": _l("Aturan daerah"),
    "settings": _l("Pengaturan"),
    "sex": _l("Jenis kelamin"),
    "slug": _l("Alamat singkat"),
    "starts_on": _l("Mulai"),
    "timezone": _l("Zona waktu"),
    "unit_id": _l("Unit kerja"),
    "username": _l("Nama pengguna"),
    "status": _l("Status"),
    "score": _l("Nilai"),
    "predikat_code": _l("Predikat"),
    "new_predikat_code": _l("Predikat baru"),
    "original_predikat_code": _l("Predikat semula"),
    "new_score": _l("Nilai baru"),
    "inputs": _l("Isian penilaian"),
    "rule_set_version": _l("Versi aturan"),
    "value": _l("Nilai realisasi"),
    "note": _l("Catatan"),
    "notes": _l("Catatan"),
    "review_note": _l("Catatan pemeriksaan"),
    "return_notes": _l("Catatan pengembalian"),
    "title": _l("Judul"),
    "description": _l("Uraian"),
    "year": _l("Tahun"),
    "quarter": _l("Triwulan"),
    "hours": _l("Jam pelajaran"),
    "topics": _l("Topik"),
    "provider": _l("Penyelenggara"),
    "course_id": _l("Pelatihan"),
    "reason": _l("Alasan"),
    "reasons": _l("Alasan"),
    "recommendation_code": _l("Rekomendasi"),
    "target_lower": _l("Target bawah"),
    "target_upper": _l("Target atas"),
    "aspect": _l("Aspek"),
    "expectation": _l("Ekspektasi"),
    "plan_id": _l("SKP"),
    "period_id": _l("Periode"),
    "evaluator_id": _l("Pejabat penilai"),
    "assigned_penilai_id": _l("Pejabat penilai"),
    "filename": _l("Berkas"),
    "applied": _l("Diterapkan"),
    "original_name": _l("Nama berkas"),
    "plans_lock_on": _l("Batas penyusunan SKP"),
    "evaluation_due_on": _l("Batas penilaian"),
    "min_group_size": _l("Ukuran kelompok terkecil"),
    "two_factor_required_for_admins": _l("Verifikasi dua langkah wajib bagi admin"),
    "two_factor": _l("Verifikasi dua langkah"),
    "recovery_code_used": _l("Kode pemulihan dipakai"),
    # plans and their parts
    "position_name": _l("Jabatan saat SKP disusun"),
    "unit_name": _l("Unit kerja saat SKP disusun"),
    "submitted_at": _l("Diajukan pada"),
    "agreed_at": _l("Disetujui pada"),
    "agreed_by_id": _l("Disetujui oleh"),
    "copied_from_id": _l("Disalin dari SKP"),
    "resources": _l("Dukungan sumber daya"),
    "accountability": _l("Skema pertanggungjawaban"),
    "consequences": _l("Konsekuensi"),
    "position": _l("Urutan"),
    "supports_id": _l("Mendukung RHK atasan"),
    "result_id": _l("RHK"),
    "indicator_id": _l("IKI"),
    "indicator_code": _l("Indikator dari pustaka"),
    "indicator_codes": _l("Indikator yang ditetapkan"),
    "direction": _l("Arah capaian"),
    "unit": _l("Satuan"),
    "behaviour_code": _l("Perilaku kerja"),
    "created_by_id": _l("Dibuat oleh"),
    # realisation and evidence
    "realisation_id": _l("Realisasi"),
    "url": _l("Tautan"),
    "content_type": _l("Jenis berkas"),
    "size": _l("Ukuran berkas (byte)"),
    "review": _l("Hasil pemeriksaan"),
    "uploaded_by_id": _l("Diunggah oleh"),
    "uploaded_at": _l("Diunggah pada"),
    "updated_at": _l("Terakhir diubah"),
    # feedback
    "author_id": _l("Penulis"),
    "body": _l("Isi pesan"),
    "held_on": _l("Tanggal sesi"),
    "face_to_face": _l("Tatap muka"),
    "agreed_actions": _l("Tindak lanjut yang disepakati"),
    "recorded_by_id": _l("Dicatat oleh"),
    # evaluations and what the penilai enters
    "result": _l("Rincian perhitungan"),
    "snapshot": _l("Salinan aturan daerah"),
    "predikat_label": _l("Predikat"),
    "finalised_at": _l("Difinalkan pada"),
    "finalised_by_id": _l("Difinalkan oleh"),
    "delivered_on": _l("Disampaikan pada"),
    "hasil_kerja_rating": _l("Hasil kerja"),
    "perilaku_rating": _l("Perilaku kerja"),
    "behaviour_scores": _l("Nilai perilaku kerja"),
    "components": _l("Komponen nilai"),
    "has_innovation": _l("Ada inovasi"),
    "additional_points": _l("Nilai tambahan"),
    "organisation_predikat": _l("Predikat organisasi"),
    "no_realisation": _l("IKI tanpa realisasi"),
    "rater_id": _l("Penilai"),
    "rater_role": _l("Peran penilai"),
    "role": _l("Peran penilai"),
    "scores": _l("Nilai perilaku kerja"),
    "rating": _l("Penilaian"),
    # objections
    "evaluation_id": _l("Penilaian"),
    "lodged_by_id": _l("Diajukan oleh"),
    "lodged_at": _l("Diajukan pada"),
    "deadline": _l("Batas waktu"),
    "decider_id": _l("Pemutus keberatan"),
    "objection_id": _l("Keberatan"),
    "side": _l("Pihak"),
    "decision_reasons": _l("Alasan keputusan"),
    "decided_at": _l("Diputuskan pada"),
    "decided_by_id": _l("Diputuskan oleh"),
    # periods, imports, accounts
    "sequence": _l("Urutan periode"),
    "total_rows": _l("Jumlah baris"),
    "processed_rows": _l("Baris diproses"),
    "rows": _l("Isi berkas"),
    "errors": _l("Kesalahan"),
    "summary": _l("Ringkasan"),
    "job_started_at": _l("Mulai diproses"),
    "finished_at": _l("Selesai diproses"),
    "create": _l("Ditambahkan"),
    "update": _l("Diubah"),
    "totp_enabled_at": _l("Verifikasi dua langkah aktif sejak"),
}

# Machine fields (JSON blobs, stored calculations): said in words, never dumped.
MACHINE_FIELDS = {
    "result": _l("rincian perhitungan diperbarui"),
    "snapshot": _l("salinan aturan daerah diperbarui"),
    "rows": _l("isi berkas diperbarui"),
    "errors": _l("daftar kesalahan diperbarui"),
    "summary": _l("ringkasan diperbarui"),
}


def object_type_label(code: str):
    """The kind of object in words; an unknown code reads as words, not as a code."""
    return OBJECT_TYPE_LABELS.get(code) or _humanise(code)


def actor_label(label: str) -> str:
    if label.startswith("platform:"):
        return str(_l("operator platform %(name)s", name=label.removeprefix("platform:")))
    return str(ACTOR_LABELS.get(label, label))


def sentence(action: str, object_type: str, actor: str, name: str) -> str:
    """ "admin mengubah jabatan Kepala Seksi" — who did what to which object."""
    template = ACTION_SENTENCES.get(action) or ACTION_VERBS.get(action.partition(".")[2]) or GENERIC_SENTENCE
    text = str(template) % {"actor": actor_label(actor), "name": name,
                            "type": str(object_type_label(object_type)).lower()}
    return " ".join(text.split())  # no double space where the object has no name


def field_label(name: str):
    return FIELD_LABELS.get(name) or _humanise(name)


def _humanise(code: str) -> str:
    words = code.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
