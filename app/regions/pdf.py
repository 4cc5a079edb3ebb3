"""Rendering the official documents: Jinja templates (HTML + CSS) → PDF with WeasyPrint.

The templates are looked up in the region's own folders first, then in the
national baseline (``app/regions/templates``). A region's template extends a
baseline one and overrides its blocks::

    {# plugins/contoh/templates/documents/evaluasi_contoh.html #}
    {% extends "documents/evaluasi.html" %}
    {% block after_results %}…{% endblock %}

A region template that keeps the baseline's name (it replaces it) reaches the
baseline under the ``nasional/`` prefix: ``{% extends "nasional/documents/skp.html" %}``.

Autoescaping is on: every value of the data is text, never markup. Images (the
logo, the QR code, the distribution curve) go in as ``data:`` URIs. Fonts are
the ones Debian ships (Liberation, DejaVu). Plain code: no Flask, no database.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, select_autoescape

from app.regions.berakhlak import canonical_guides

BASELINE_TEMPLATES = Path(__file__).resolve().parent / "templates"
BASELINE_PREFIX = "nasional"

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")

# The labels a region may change without a template of its own (``labels=`` of a document format).
DEFAULT_LABELS: dict[str, str] = {
    "intervened": "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI",
    "pegawai_signatory": "Pegawai yang Dinilai",
    "penilai_signatory": "Pejabat Penilai Kinerja",
    "atasan_signatory": "Atasan Pejabat Penilai Kinerja",
    "penilai_block": "PEJABAT PENILAI KINERJA",
    "group_utama": "A. UTAMA",
    "group_tambahan": "B. TAMBAHAN",
    "draft": "DRAF — belum final",
}


def tanggal(value: date | None) -> str:
    """A date as the forms print it: "20 Januari 2026" ("" for None)."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def data_uri(content: bytes | str, media_type: str) -> str:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return f"data:{media_type};base64,{base64.b64encode(raw).decode('ascii')}"


def distribution_chart_uri(figure: Any) -> str:
    """The kurva distribusi of a ``DistributionFigure`` as an SVG data URI (app.charts)."""
    if figure is None or not figure.columns:
        return ""
    from app import charts  # base layer; imported here so that rendering text needs no pygal

    maker = getattr(charts, "distribution_svg", None)
    if maker is None:
        return ""
    title = ""
    if figure.organisation_predikat:
        title = ("KURVA DISTRIBUSI PREDIKAT KINERJA PEGAWAI DENGAN CAPAIAN KINERJA ORGANISASI "
                 + figure.organisation_predikat.upper())
    svg = maker([label for _c, label in figure.columns], list(figure.counts), None, title)
    return data_uri(svg, "image/svg+xml")


@lru_cache(maxsize=64)
def environment(search_path: tuple[str, ...] = ()) -> Environment:
    """The template environment for a region's folders (first) over the baseline's."""
    env = Environment(
        loader=ChoiceLoader([
            FileSystemLoader([*search_path, str(BASELINE_TEMPLATES)]),
            PrefixLoader({BASELINE_PREFIX: FileSystemLoader(str(BASELINE_TEMPLATES))}),
        ]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = tanggal
    env.filters["data_uri"] = data_uri
    env.globals["guides_of"] = lambda behaviour: canonical_guides(behaviour.name, behaviour.guides)
    env.globals["distribution_chart_uri"] = distribution_chart_uri
    return env


def _paths(search_path: str | Path | Sequence[str | Path] | None) -> tuple[str, ...]:
    if search_path is None:
        return ()
    if isinstance(search_path, str | Path):
        search_path = (search_path,)
    return tuple(str(Path(p).resolve()) for p in search_path)


def render_html(template: str, data: Any, search_path: str | Path | Sequence[str | Path] | None = None,
                labels: Mapping[str, str] | None = None, **context: Any) -> str:
    """The HTML of ``template`` for ``data`` (what ``render_pdf`` prints)."""
    env = environment(_paths(search_path))
    return env.get_template(template).render(data=data, labels={**DEFAULT_LABELS, **(labels or {})},
                                             **context)


def render_pdf(template: str, data: Any, search_path: str | Path | Sequence[str | Path] | None = None,
               labels: Mapping[str, str] | None = None, **context: Any) -> bytes:
    """The PDF of ``template`` for ``data`` (A4, text kept as text)."""
    from weasyprint import HTML  # imported on first use: it loads Pango

    html = render_html(template, data, search_path, labels, **context)
    return HTML(string=html, base_url=str(BASELINE_TEMPLATES)).write_pdf()
