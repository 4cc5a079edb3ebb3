"""Charts (app/charts.py): valid SVG without script, the right bars and labels, the numbers in an
accessible table, and a chart that renders in WeasyPrint the way it does in the browser."""

from __future__ import annotations

import inspect
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from app import charts
from tests.reports_support import pdftotext

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - SVG we rendered ourselves


def _bars(svg: str) -> list[ET.Element]:
    return [r for r in _tree(svg).iter(f"{SVG}rect") if "rect" in (r.get("class") or "").split()]


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in _tree(svg).iter(f"{SVG}text")]


def _all_charts() -> list[charts.Chart]:
    return [
        charts.distribution_chart(LEVELS, [1, 2, 3, 10, 6], allowed=[0.05, 0.1, 0.15, 0.5, 0.2],
                                  title="Kurva Dinas Kesehatan", violations=["Sangat Baik"]),
        charts.trend_chart([("T I", 80.5), ("T II", None), ("T III", 82.1)], "IKM per triwulan", "IKM",
                           (25, 100), (25, 65, 76.61, 88.31, 100)),
        charts.rank_chart([("Triwulan I", 4), ("Triwulan II", 3), ("Tahun", None)], LEVELS, "Predikat saya"),
        charts.stacked_bars_chart(["Dinas A", "Dinas B"], [("Draf", [1, 2]), ("Disetujui", [3, 4])], "SKP"),
        charts.bars_chart(["Sesuai", "Tidak sesuai"], [4, 1], "Kurva per unit", "Unit"),
    ]


def test_distribution_svg_is_valid_xml_with_one_bar_per_predikat_and_the_labels():
    svg = charts.distribution_svg(LEVELS, [0, 1, 2, 7, 3], title="Kurva distribusi")
    assert isinstance(svg, str) and svg.startswith("<svg")
    assert len(_bars(svg)) == 5
    texts = _texts(svg)
    for label in [*LEVELS, "Frekuensi Pegawai", "Kurva distribusi"]:
        assert label in texts
    # The line of the curve: one path through the five bar centres, one dot each.
    lines = [p for p in _tree(svg).iter(f"{SVG}path") if "line" in (p.get("class") or "").split()
             and "reactive" in (p.get("class") or "")]
    assert len(lines) == 1
    assert len([c for c in _tree(svg).iter(f"{SVG}circle") if c.get("class") == "dot"]) == 5


def test_violations_are_marked_in_the_warning_colour_and_the_table():
    chart = charts.distribution_chart(LEVELS, [1, 2, 3, 10, 6], allowed=[0.05, 0.1, 0.15, 0.5, 0.2],
                                      violations=["Sangat Baik", 0])
    colours = [g.get("style") or "" for g in _tree(chart.svg).iter(f"{SVG}g") if g.get("class") == "bar"]
    assert [charts.WARN in c for c in colours] == [True, False, False, False, True]
    header, rows = chart.table
    assert header[1:3] == ("Jumlah pegawai", "Kurva yang diizinkan")
    # Shares become head counts of the 22 employees.
    assert rows[3] == ("Baik", 10, 11.0, "Sesuai")
    assert rows[4][-1] == "Tidak sesuai" and rows[0][-1] == "Tidak sesuai"
    assert "Tidak sesuai kurva" in _texts(chart.svg)  # the legend explains the colour


def test_allowed_counts_are_taken_as_counts():
    chart = charts.distribution_chart(LEVELS, [1, 1, 1, 1, 1], allowed=[0, 1, 1, 2, 1])
    assert [row[2] for row in chart.rows] == [0, 1, 1, 2, 1]


def test_the_accessible_table_holds_the_numbers():
    chart = charts.stacked_bars_chart(["Dinas A", "Dinas B"], [("Draf", [1, 2]), ("Disetujui", [3, 4])],
                                      "SKP per OPD")
    html = chart.__html__()
    assert 'alt="SKP per OPD"' in html and 'src="data:image/svg+xml;base64,' in html
    table = re.search(r'<div class="visually-hidden"><table>.*</table></div>', html, re.S).group(0)
    assert "<caption>SKP per OPD</caption>" in table
    assert '<th scope="row">Dinas A</th><td>1</td><td>3</td>' in table
    assert '<th scope="row">Dinas B</th><td>2</td><td>4</td>' in table
    # Four bars (two series × two units); the first unit is drawn at the top.
    assert len(_bars(chart.svg)) == 4


def test_labels_and_titles_are_escaped():
    chart = charts.bars_chart(['<script>alert("x")</script>', "B & C"], [1, 2], 'Judul "<b>"')
    html = chart.__html__()
    assert "<script>alert" not in html and "<b>" not in html
    _tree(chart.svg)  # still valid XML


def test_trend_leaves_gaps_and_rank_chart_labels_the_levels():
    trend = charts.trend_chart([("T I", 80.5), ("T II", None), ("T III", 82.1)], "IKM", "IKM")
    assert trend.rows == (("T I", 80.5), ("T II", None), ("T III", 82.1))
    assert "T II" in _texts(trend.svg)
    rank = charts.rank_chart([("Triwulan I", 4), ("Tahun", None)], LEVELS, "Predikat saya")
    assert rank.rows == (("Triwulan I", "Baik"), ("Tahun", None))
    assert set(LEVELS) <= set(_texts(rank.svg))


@pytest.mark.parametrize("chart", _all_charts(), ids=lambda c: c.title)
def test_no_chart_carries_script(chart):
    svg = str(chart.svg)
    _tree(svg)
    assert "<script" not in svg.lower() and "javascript" not in svg.lower()
    assert not re.search(r"\son\w+=", svg)  # no event handler attributes
    assert 'font-family' in svg and "DejaVu Sans" in svg


def test_every_chart_function_returns_a_chart():
    functions = [f for name, f in inspect.getmembers(charts, inspect.isfunction)
                 if name.endswith("_chart") and f.__module__ == charts.__name__]
    assert {f.__name__ for f in functions} >= {"distribution_chart", "trend_chart", "rank_chart",
                                               "stacked_bars_chart", "bars_chart"}
    assert all(inspect.signature(f).return_annotation in ("Chart", charts.Chart) for f in functions)


def test_a_chart_renders_in_weasyprint(tmp_path):
    from weasyprint import HTML

    svg = charts.distribution_svg(LEVELS, [1, 2, 3, 10, 6], allowed=[0.05, 0.1, 0.15, 0.5, 0.2],
                                  title="Kurva distribusi", violations=["Sangat Baik"])
    pdf = HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    text = pdftotext(pdf, tmp_path, "kurva")
    for label in ["Frekuensi Pegawai", "Butuh Perbaikan", "Sangat Baik", "Kurva distribusi"]:
        assert label in text
    # The violation colour reached the page: a red pixel in the rendered image.
    raw = subprocess.run(["pdftoppm", "-r", "40", "-singlefile", str(tmp_path / "kurva.pdf")],  # noqa: S603, S607
                         capture_output=True, check=True).stdout
    assert raw.startswith(b"P6") and _has_reddish(raw)

def _has_reddish(ppm: bytes) -> bool:
    """A P6 PPM with a pixel close to the warning colour."""
    header_end = 0
    for _ in range(3):  # magic, size, maxval lines
        header_end = ppm.index(b"\n", header_end) + 1
    data = ppm[header_end:]
    return any(data[i] > 150 and data[i + 1] < 80 and data[i + 2] < 80 for i in range(0, len(data) - 2, 3))


def test_a_chart_is_rendered_once_per_arguments_and_language(app):
    from flask_babel import force_locale

    with app.test_request_context():
        first = charts.bars_chart(["Sesuai", "Tidak sesuai"], [4, 1], "Kurva per unit", "Unit")
        again = charts.bars_chart(("Sesuai", "Tidak sesuai"), (4, 1), "Kurva per unit", "Unit")
        other = charts.bars_chart(["Sesuai", "Tidak sesuai"], [4, 2], "Kurva per unit", "Unit")
        with force_locale("en"):
            english = charts.distribution_chart(LEVELS, [1, 2, 3, 10, 6])
        indonesian = charts.distribution_chart(LEVELS, [1, 2, 3, 10, 6])
    assert again is first  # the same numbers: the same rendered chart
    assert other is not first and other.rows[1][1] == 2
    assert "Number of employees" in str(english.svg) and "Frekuensi Pegawai" not in str(english.svg)
    assert "Frekuensi Pegawai" in str(indonesian.svg)
