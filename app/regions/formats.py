"""Document formats: a ``ReportFormat`` that prints a template of the official
documents as PDF (``document_format``), and the three every region gets from
the national baseline (``document_formats``): ``skp``, ``evaluasi-kinerja`` and
``dokumen-evaluasi``.

A region passes its own template folder (``templates``), searched before the
baseline's, and the labels it words differently (``labels``, see
``app.regions.pdf.DEFAULT_LABELS``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from app.regions.documents import (
    DocumentSubject,
    EvaluationDocumentData,
    RenderedDocument,
    SkpDocumentData,
)
from app.regions.pdf import render_pdf
from app.regions.types import ReportFormat

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SKP_TEMPLATE = "documents/skp.html"
EVALUATION_TEMPLATE = "documents/evaluasi.html"
EVALUATION_DOCUMENT_TEMPLATE = "documents/dokumen_evaluasi.html"


def slug(text: str) -> str:
    """A file-name part: lower case, ASCII letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "dokumen"


def document_filename(code: str, data: Any, extension: str = "pdf") -> str:
    """``skp-<nip>-2026.pdf``, ``dokumen-evaluasi-<nip>-triwulan-i-2026.pdf``."""
    if isinstance(data, SkpDocumentData):
        return f"{slug(code)}-{data.pegawai.nip}-{data.year}.{extension}"
    if isinstance(data, EvaluationDocumentData):
        return f"{slug(code)}-{data.pegawai.nip}-{slug(data.period_label)}.{extension}"
    return f"{slug(code)}.{extension}"


def render_document(data: Any, *, code: str, template: str, search_path: tuple[str, ...] = (),
                    labels: tuple[tuple[str, str], ...] = (),
                    context: tuple[tuple[str, Any], ...] = ()) -> RenderedDocument:
    """The PDF of ``template`` for ``data`` with its file name."""
    pdf = render_pdf(template, data, search_path, dict(labels), **dict(context))
    return RenderedDocument(pdf, document_filename(code, data), PDF)


def _search_path(templates: str | Path | Sequence[str | Path] | None) -> tuple[str, ...]:
    if templates is None:
        return ()
    if isinstance(templates, str | Path):
        templates = (templates,)
    return tuple(str(Path(t).resolve()) for t in templates)


def document_format(code: str, name: str, subject: DocumentSubject, template: str, *,
                    templates: str | Path | Sequence[str | Path] | None = None,
                    labels: Mapping[str, str] | None = None,
                    context: Mapping[str, Any] | None = None) -> ReportFormat:
    """A PDF format printing ``template`` (found in ``templates`` first, then the baseline)
    from the data of ``subject`` (``SKP`` or ``EVALUATION``); ``labels`` reword the
    baseline's labels, ``context`` gives the templates further (plain) values."""
    if subject not in (DocumentSubject.SKP, DocumentSubject.EVALUATION):
        raise ValueError(f"A document format prints an SKP or an evaluation, not {subject.value!r}")
    render = partial(render_document, code=code, template=template, search_path=_search_path(templates),
                     labels=tuple(sorted((labels or {}).items())),
                     context=tuple(sorted((context or {}).items())))
    return ReportFormat(code, name, PDF, render, file_extension="pdf", subject=subject)


def document_formats(templates: str | Path | Sequence[str | Path] | None = None,
                     labels: Mapping[str, str] | None = None,
                     evaluation_title: str = "Dokumen Evaluasi Kinerja Pegawai",
                     context: Mapping[str, Any] | None = None,
                     skp_template: str = SKP_TEMPLATE,
                     evaluation_template: str = EVALUATION_TEMPLATE,
                     evaluation_document_template: str = EVALUATION_DOCUMENT_TEMPLATE) -> tuple[ReportFormat, ...]:
    """The official documents: ``skp`` (the SKP and its LAMPIRAN), ``evaluasi-kinerja``
    (the detailed form) and ``dokumen-evaluasi`` (the one-page document)."""
    common: dict[str, Any] = {"templates": templates, "labels": labels, "context": context}
    return (
        document_format("skp", "Sasaran Kinerja Pegawai", DocumentSubject.SKP, skp_template, **common),
        document_format("evaluasi-kinerja", "Evaluasi Kinerja Pegawai", DocumentSubject.EVALUATION,
                        evaluation_template, **common),
        document_format("dokumen-evaluasi", evaluation_title, DocumentSubject.EVALUATION,
                        evaluation_document_template, **common),
    )
