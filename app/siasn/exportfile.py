"""The batch file for manual upload when no SIASN credentials are set: a ZIP with
``payloads.jsonl`` (one save body per line, with its endpoint and its document),
``belum-siap.jsonl`` (what cannot be sent yet, and why) and the Dokumen Evaluasi
PDFs under ``dokumen/``."""

from __future__ import annotations

import io
import json
import zipfile

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import User
from app.errors import Invalid
from app.extensions import db
from app.reports import issuing
from app.siasn.mapping import NotReady, build
from app.siasn.sender import KIND, finals, require_admin
from app.siasn.settings import config
from app.skp.evaluation.models import Evaluation

MAX_EVALUATIONS = 500  # one request issues every document: larger periods go unit by unit or by API


def export_file(user: User, period_id: int | None) -> bytes:
    require_admin(user)
    total = db.session.scalar(select(func.count()).select_from(finals(period_id).subquery())) or 0
    if not total:
        raise Invalid(_("Tidak ada penilaian final untuk diekspor."))
    if total > MAX_EVALUATIONS:
        raise Invalid(_("Terlalu banyak penilaian untuk satu berkas (%(n)s, paling banyak %(max)s): pilih periode.",
                        n=total, max=MAX_EVALUATIONS))
    cfg = config()
    ready, waiting = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for evaluation in db.session.scalars(finals(period_id).order_by(Evaluation.id)):
            try:
                payload = build(evaluation, cfg)
            except NotReady as exc:
                waiting.append({"evaluation_id": evaluation.id, "reason": exc.message})
                continue
            document = issuing.download(KIND, evaluation, user)
            name = f"dokumen/{evaluation.id}-{document.filename}"
            archive.writestr(name, document.content)
            ready.append({"evaluation_id": evaluation.id, "endpoint": payload.endpoint,
                          "document": name, "body": payload.body})
        archive.writestr("payloads.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ready))
        archive.writestr("belum-siap.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in waiting))
    return buffer.getvalue()
