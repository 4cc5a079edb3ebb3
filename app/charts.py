"""Charts rendered on the server as SVG (pygal), the same in a page and in a PDF.

Every chart function returns a :class:`Chart`: the SVG (no script, fixed size, DejaVu Sans, a
print-friendly grey palette with one accent) and the same numbers as a table. In a template,
``{{ chart }}`` prints a ``<figure>`` with the SVG as an image (its alt text the title) and a
visually hidden table beside it for screen readers; ``{{ chart.svg }}`` is the bare SVG (for a PDF that prints
its own table). ``distribution_svg`` is the SVG string of the kurva distribusi alone.

This module sits in the base layer: it knows charts, not the domain. Labels are passed in.
"""

from __future__ import annotations

import base64
import functools
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from threading import Lock

import pygal
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.graph.bar import Bar
from pygal.style import Style

WIDTH, HEIGHT = 640, 320
FONT = "DejaVu Sans, sans-serif"
INK, GREY, LIGHT, ACCENT, WARN = "#1d2733", "#8a96a3", "#c9d1d9", "#0b5cab", "#b3261e"

# Greys first, the accent for the series that matters; stacked bars cycle through these.
STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle="#dde3ea",
    opacity="1",
    opacity_hover="1",
    transition="none",
    colors=(ACCENT, "#4d5b6a", GREY, LIGHT, "#e7ebef", WARN),
    label_font_size=11,
    major_label_font_size=11,
    value_font_size=12,
    legend_font_size=12,
    title_font_size=14,
    tooltip_font_size=12,
)

_CONFIG = {
    "width": WIDTH,
    "height": HEIGHT,
    "style": STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "explicit_size": True,
    "legend_at_bottom": True,
    "print_values": True,
    "show_y_guides": True,
    "truncate_label": -1,
    "truncate_legend": -1,
    "margin": 12,
    "print_values_position": "top",
    # pygal's own stylesheet draws black dashed guides; grey solid ones print better.
    "css": ("file://style.css", "file://graph.css",
            "inline:svg .axis .guide.line{stroke:#dde3ea !important;stroke-dasharray:none !important}"
            "svg .axis .axis.line{stroke:#8a96a3 !important}"),
}



def _palette(*colours: str) -> Style:
    """The house style with the series colours in this order."""
    return Style(**{**{k: getattr(STYLE, k) for k in _STYLE_KEYS}, "colors": colours})


_STYLE_KEYS = ("font_family", "background", "plot_background", "foreground", "foreground_strong",
               "foreground_subtle", "opacity", "opacity_hover", "transition", "label_font_size",
               "major_label_font_size", "value_font_size", "legend_font_size", "title_font_size",
               "tooltip_font_size")


_ROW_HEAD, _CELL = Markup('<th scope="row">{}</th>'), Markup("<td>{}</td>")


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG and its numbers as a table (``header``, ``rows``)."""

    svg: Markup
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    @property
    def table(self) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
        return self.header, self.rows

    def table_html(self, css_class: str = "visually-hidden") -> Markup:
        head = Markup("").join(Markup('<th scope="col">{}</th>').format(h) for h in self.header)
        body = Markup("").join(
            Markup("<tr>{}</tr>").format(Markup("").join(
                (_ROW_HEAD if i == 0 else _CELL).format(_cell(c))
                for i, c in enumerate(row)))
            for row in self.rows)
        # Wrapped in a block: a table box ignores the width and overflow that hide it.
        return Markup('<div class="{}"><table><caption>{}</caption><thead><tr>{}</tr></thead>'
                      "<tbody>{}</tbody></table></div>").format(css_class, self.title, head, body)

    @property
    def image_src(self) -> str:
        """The SVG as a ``data:`` URI for an ``<img>`` (a page, a PDF)."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()

    def __html__(self) -> str:
        return self._figure

    @functools.cached_property
    def _figure(self) -> Markup:
        # In a page the SVG goes in as an image: its own stylesheet (the series
        # colours) then applies under the page's Content-Security-Policy, which
        # refuses inline <style>; the numbers follow as a table for screen readers.
        # Made once per chart (a memoised chart is shown again and again).
        source = self.image_src
        return Markup('<figure class="chart"><img src="{}" alt="{}" width="{}" height="{}">{}</figure>').format(
            source, self.title, WIDTH, HEIGHT, self.table_html())


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


# Rendered charts kept per process, keyed by their arguments and the UI language: a chart is a pure
# function of both, and a home or dashboard shows the same numbers view after view. Each entry is a
# few tens of kB of SVG; the least recently used go first.
CACHED_CHARTS = 128
_cache: OrderedDict[tuple, Chart] = OrderedDict()
_cache_lock = Lock()


def _key(value: object) -> object:
    """A hashable stand-in for an argument: sequences and mappings as tuples, anything else
    that is not a plain number as its text (labels may be lazy strings)."""
    if isinstance(value, (list, tuple)):
        return tuple(_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _key(v)) for k, v in value.items()))
    if value is None or isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    return str(value)


def memoised(function: Callable[..., Chart]) -> Callable[..., Chart]:
    """``function``'s chart, rendered once per distinct arguments and language (LRU)."""

    @functools.wraps(function)
    def chart(*args, **kwargs) -> Chart:
        key = (function.__name__, str(get_locale()), _key(args), _key(kwargs))
        with _cache_lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        made = function(*args, **kwargs)
        with _cache_lock:
            _cache[key] = made
            while len(_cache) > CACHED_CHARTS:
                _cache.popitem(last=False)
        return made

    return chart


def _render(chart: pygal.graph.graph.Graph) -> Markup:
    svg = chart.render(is_unicode=True)
    # pygal always links its tooltip script unless js is empty; make sure nothing slipped through.
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    return Markup(svg)  # noqa: S704 - pygal escapes every label and value it writes


class _BarsWithCurve(Bar):
    """Bars of the first series, and every further series drawn as a line through the bar
    centres (pygal has no combined bar + line chart)."""

    def _bar(self, serie, parent, x, y, i, zero, secondary=False):  # noqa: ARG002 - pygal's signature
        width = (self.view.x(1) - self.view.x(0)) / self._len
        x, y = self.view((x, y))
        margin = width * 0.18
        x += margin
        width -= 2 * margin
        height = self.view.y(zero) - y
        # A value's own colour ({"value": …, "color": …}) is set on the bar's group by pygal.
        self.svg.node(parent, "rect", x=x, y=y, width=width, height=height, class_="rect reactive tooltip-trigger")
        return x, y, width, height

    def _plot(self):
        bars, *curves = self.series
        self.bar(bars)
        for serie in curves:
            node = self.svg.serie(serie)
            coords = [self.view(((i + 0.5) / self._len, v)) for i, v in enumerate(serie.values)
                      if v is not None]
            coords = [c for c in coords if None not in c]
            if len(coords) > 1:
                self.svg.line(node["plot"], coords, class_="line reactive nofill",
                              style=f"stroke: {INK}; stroke-width: 2.5; stroke-dasharray: 7 4; fill: none")
            dots = self.svg.node(node["overlay"], class_="dots")
            for cx, cy in coords:
                self.svg.node(dots, "circle", cx=cx, cy=cy, r=4, class_="dot",
                              style=f"fill: #ffffff; stroke: {INK}; stroke-width: 2")


def _expected(allowed: Sequence[float] | None, total: int, n: int) -> list[float] | None:
    """Expected head counts: ``allowed`` as counts, or as shares (0–1, summing to 1) of ``total``."""
    if allowed is None:
        return None
    values = [float(v) for v in allowed][:n]
    values += [0.0] * (n - len(values))
    if values and all(0 <= v <= 1 for v in values) and abs(sum(values) - 1) < 1e-6:
        values = [v * total for v in values]
    return [round(v, 2) for v in values]


@memoised
def distribution_chart(labels: Sequence[str], counts: Sequence[int], allowed: Sequence[float] | None = None,
                       title: str = "", violations: Sequence[str | int] = ()) -> Chart:
    """The kurva distribusi: the predikat labels worst → best on the x axis, the number of employees
    on the y axis; bars of the actual counts (offending columns in the warning colour) and the
    dashed line of the curve ``allowed`` gives (expected counts, or shares of the total), else a
    line through the bars."""
    labels = [str(lb) for lb in labels]
    counts = [int(c or 0) for c in counts][: len(labels)]
    counts += [0] * (len(labels) - len(counts))
    expected = _expected(allowed, sum(counts), len(labels))
    offending = {labels[v] if isinstance(v, int) and 0 <= v < len(labels) else str(v) for v in violations}
    top = max([*counts, *(expected or []), 1])
    chart = _BarsWithCurve(
        **{**_CONFIG, "style": _palette(ACCENT, INK, WARN)},
        title=title or None,
        x_title=_("Predikat Kinerja Pegawai"),
        y_title=_("Frekuensi Pegawai"),
        **_count_axis(top * 1.12),
        value_formatter=_cell,
    )
    chart.x_labels = labels
    chart.add(_("Jumlah pegawai"), [
        {"value": c, "color": WARN} if lb in offending else {"value": c, "color": ACCENT}
        for lb, c in zip(labels, counts, strict=True)])
    chart.add(_("Kurva yang diizinkan") if expected is not None else _("Kurva distribusi"),
              expected if expected is not None else counts, print_values=False)
    if offending & set(labels):
        chart.add(_("Tidak sesuai kurva"), [None] * len(labels))  # a legend entry for the warning colour
    if expected is not None:
        header = (_("Predikat"), _("Jumlah pegawai"), _("Kurva yang diizinkan"), _("Keterangan"))
        rows = tuple((lb, c, e, pgettext("distribution curve", "Tidak sesuai") if lb in offending
                       else pgettext("distribution curve", "Sesuai"))
                     for lb, c, e in zip(labels, counts, expected, strict=True))
    else:
        header = (_("Predikat"), _("Jumlah pegawai"), _("Keterangan"))
        rows = tuple((lb, c, pgettext("distribution curve", "Tidak sesuai") if lb in offending else "")
                     for lb, c in zip(labels, counts, strict=True))
    return Chart(_render(chart), title or _("Kurva distribusi"), header, rows)


def distribution_svg(labels: Sequence[str], counts: Sequence[int], allowed: Sequence[float] | None = None,
                     title: str = "", violations: Sequence[str | int] = ()) -> str:
    """The SVG of :func:`distribution_chart` alone (for a PDF that prints its own table)."""
    return str(distribution_chart(labels, counts, allowed, title, violations).svg)


def _count_axis(top: float) -> dict:
    """Whole-number ticks for head counts (pygal would label 0.1, 0.2, … for small counts)."""
    top = max(int(top + 0.999), 1)
    step = max(1, -(-top // 8))
    ticks = list(range(0, top + step, step))
    return {"y_labels": ticks, "range": (0, ticks[-1])}


def _height_for(n: int, per_row: int = 34, base: int = 130) -> int:
    return max(HEIGHT // 2, min(base + per_row * n, 1400))


@memoised
def trend_chart(points: Sequence[tuple[str, float | None]], title: str, y_title: str = "",
                y_range: tuple[float, float] | None = None, guides: Sequence[float] = ()) -> Chart:
    """A line over periods (IKM per triwulan, a score per period); gaps stay gaps."""
    chart = pygal.Line(**{**_CONFIG, "margin_right": 48}, title=title or None, y_title=y_title or None,
                       show_legend=False,
                       allow_interruptions=True, dots_size=4, value_formatter=_cell,
                       **({"range": y_range} if y_range else {}),
                       **({"y_labels": sorted(guides)} if guides else {}))
    chart.x_labels = [str(label) for label, _v in points]
    chart.add(title or y_title, [None if v is None else float(v) for _label, v in points])
    header = (_("Periode"), y_title or title)
    return Chart(_render(chart), title, header, tuple((str(label), v) for label, v in points))


@memoised
def rank_chart(points: Sequence[tuple[str, int | None]], levels: Sequence[str], title: str) -> Chart:
    """Ordinal results over periods (a predikat per period): ``levels`` worst → best label the y axis,
    each point is the 1-based position of its level (None: no result)."""
    levels = [str(lb) for lb in levels]
    chart = pygal.Line(**{**_CONFIG, "print_values": False, "margin_right": 48}, title=title or None,
                       show_legend=False, allow_interruptions=True, dots_size=5,
                       range=(0.5, len(levels) + 0.5),
                       y_labels=[{"label": lb, "value": i} for i, lb in enumerate(levels, start=1)],
                       value_formatter=lambda v: levels[int(v) - 1] if v and 1 <= int(v) <= len(levels) else "")
    chart.x_labels = [str(label) for label, _v in points]
    chart.add(title, [v if v is None or 1 <= v <= len(levels) else None for _label, v in points])
    rows = tuple((str(label), levels[v - 1] if v and 1 <= v <= len(levels) else None) for label, v in points)
    return Chart(_render(chart), title, (_("Periode"), _("Predikat")), rows)


@memoised
def stacked_bars_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str,
                       colours: Sequence[str] | None = None) -> Chart:
    """Horizontal stacked bars, one per category (plans per status per OPD): the numbers add up
    along each bar; the table has one row per category and one column per series."""
    categories = [str(c) for c in categories]
    style = _palette(*colours) if colours else STYLE
    chart = pygal.HorizontalStackedBar(
        **{**_CONFIG, "style": style, "print_values": False,
           "height": _height_for(len(categories)) + 22 * ((len(series) + 2) // 3),
           "margin_bottom": 12 + 18 * ((len(series) + 2) // 3 - 1)},  # pygal leaves no room for a 2nd legend row
        title=title or None, value_formatter=_cell, legend_at_bottom_columns=min(len(series), 3) or 1,
        **_count_axis(max([sum(int(v[i] or 0) for _n, v in series) for i in range(len(categories))] or [1])))
    chart.x_labels = categories[::-1]  # pygal draws the first category at the bottom
    for name, values in series:
        chart.add(str(name), [int(v or 0) for v in values][::-1])
    header = (_("Unit"), *(str(name) for name, _values in series))
    rows = tuple((cat, *(int(values[i] or 0) for _name, values in series)) for i, cat in enumerate(categories))
    return Chart(_render(chart), title, header, rows)


@memoised
def bars_chart(labels: Sequence[str], values: Sequence[float | None], title: str, y_title: str = "",
               colours: Sequence[str] | None = None, counts: bool = True) -> Chart:
    """Plain vertical bars, one per label (units Sesuai / Tidak sesuai, complaints open / overdue);
    ``colours`` per bar; ``counts``: whole-number ticks."""
    labels = [str(lb) for lb in labels]
    chart = pygal.Bar(**{**_CONFIG, "height": HEIGHT * 3 // 4}, title=title or None, y_title=y_title or None,
                      show_legend=False, value_formatter=_cell,
                      **(_count_axis(max([v or 0 for v in values] or [1]) * 1.1) if counts else {}))
    chart.x_labels = labels
    chart.add(title, [{"value": v, "color": colours[i]} if colours and i < len(colours) and v is not None
                      else v for i, v in enumerate(values)])
    return Chart(_render(chart), title, (_("Kategori"), y_title or title), tuple(zip(labels, values, strict=True)))
