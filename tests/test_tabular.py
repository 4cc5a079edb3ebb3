"""One writer for every CSV/XLSX the application produces: no cell is a live formula."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.tabular import csv_text, neutralise, xlsx_bytes
from app.tenancy import tenant_scope, utc_now

HOSTILE = ['=HYPERLINK("http://jahat.example","Klik")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_are_written_as_text(text):
    assert neutralise(text) == "'" + text
    assert neutralise(-5) == -5 and neutralise(3.5) == 3.5 and neutralise("Dinas") == "Dinas"


def test_csv_and_xlsx_carry_no_formula():
    rows = [["Unit", "Nilai"], *([text, 1] for text in HOSTILE)]
    parsed = list(csv.reader(io.StringIO(csv_text(rows, delimiter=",", bom=False), newline="")))
    assert [row[0] for row in parsed[1:]] == ["'" + text for text in HOSTILE]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(rows))).worksheets[0]
    cells = [sheet.cell(row=n, column=1) for n in range(2, len(HOSTILE) + 2)]
    assert all(cell.data_type == "s" and cell.value.startswith("'") for cell in cells)
    assert sheet.cell(row=2, column=2).value == 1


def test_the_public_download_neutralises_unit_names(app, client, two_tenants):
    from app.publik.models import Publication, PublicationKind

    a, _ = two_tenants
    with app.app_context(), tenant_scope(a.tenant):
        publication = Publication(
            kind=PublicationKind.PENGADUAN, year=2026, quarter=0, period_label="2026", published_at=utc_now(),
            data={"received": 9, "resolved": 7, "median_days": 3, "threshold": 5,
                  "units": [{"unit": HOSTILE[0], "received": 9, "resolved": 7, "median_days": 3}]})
        db.session.add(publication)
        db.session.commit()
        publication_id = publication.id
        db.session.remove()
    response = client.get(f"/kota-a/publik/unduh/{publication_id}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert rows[1][0] == "'" + HOSTILE[0]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for row in rows for cell in row)


def test_region_report_csvs_neutralise_formula_cells_too():
    """The region API's CSV renderers write through the same writer (issue #9 item 17)."""
    from dataclasses import replace

    from app.regions.api import render_score_recap_csv
    from app.regions.reports import render_predikat_recap_csv, sample_report_data

    data = sample_report_data()
    hostile = replace(data.evaluations[0], unit='=HYPERLINK("http://jahat.example","klik")',
                      employee_name="@SUM(A1)")
    data = replace(data, evaluations=(hostile, *data.evaluations[1:]))
    for text in (render_score_recap_csv(data), render_predikat_recap_csv(data, [("baik", "Baik")])):
        assert '\n=HYPERLINK' not in text and ',=HYPERLINK' not in text and '"=HYPERLINK' not in text
        assert "'=HYPERLINK" in text
    assert ",'@SUM(A1)," in render_score_recap_csv(data)
