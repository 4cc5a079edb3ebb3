"""The official documents the regions print (SKP, Evaluasi Kinerja Pegawai, Dokumen Evaluasi):
real PDFs from WeasyPrint, read back with pdftotext; the HTML they are printed from for the
struck-through options; each region's own difference; the conformance kit's document checks."""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import replace
from functools import cache

import pytest
from openpyxl import load_workbook

from app.regions.api import (
    PP30_BANDS,
    Approach,
    ComponentLine,
    DocumentSubject,
    FeedbackNote,
    Letterhead,
    ObjectionBlock,
    RenderedDocument,
    ReportAudience,
    ReportFormat,
    baseline_rule_set,
    document_format,
    is_jpt,
    matrix_predikat_labels,
    render_html,
    sample_evaluation_document,
    sample_skp_document,
    skp_approach,
    standard_report_formats,
)
from app.regions.conformance import check_rule_set
from app.regions.documents import SAMPLE_NIP, Choice
from app.regions.manager import build_registry
from app.regions.reports import sample_data_for, sample_report_data
from app.regions.snapshot import restore, snapshot

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5d6f4b90000000049454e44ae426082")


@cache
def registry():
    return build_registry()


def rules(code: str):
    return registry().for_rule_set(code)


def pdf_text(content: bytes) -> str:
    run = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(run.stdout.decode("utf-8").split())


@cache
def rendered(code: str, fmt: str, variant: str = "") -> str:
    """The pdftotext of a region's format on a sample (rendered once per test run)."""
    data = {
        "": None,
        "kualitatif": sample_skp_document(Approach.KUALITATIF),
        "jpt": sample_skp_document(jpt=True),
        "jpt-kualitatif": sample_skp_document(Approach.KUALITATIF, jpt=True),
        "numeric": sample_evaluation_document(numeric=True),
        "annual": sample_evaluation_document(annual=True, numeric=code != "nasional"),
    }[variant]
    if data is None:
        fmt_obj = rules(code).rule_set.report_format(fmt)
        data = sample_data_for(fmt_obj, rules(code).rule_set)
    out = rules(code).render_report(fmt, data)
    assert isinstance(out, RenderedDocument) and out.media_type == "application/pdf"
    assert out.content.startswith(b"%PDF-")
    return pdf_text(out.content)


IDENTITY = ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "PANGKAT/GOL. RUANG", "UNIT KERJA",
            "Rina Marlina, S.Kep.", SAMPLE_NIP, "Penata Muda Tk. I / III/b", "dr. Hendra Wijaya",
            "DINAS KESEHATAN KOTA CONTOH", "PERIODE PENILAIAN: 1 JANUARI S.D. 31 DESEMBER 2026")
BEHAVIOURS = ("PERILAKU KERJA", "Berorientasi Pelayanan", "Melakukan perbaikan tiada henti", "Kolaboratif",
              "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
              "Ekspektasi Khusus Pimpinan:", "Menjadi panutan dalam pelayanan prima kepada pasien")


# --- the SKP: four variants ---------------------------------------------------------------------


@pytest.mark.parametrize(("variant", "approach", "form"), [
    ("", "KUANTITATIF", "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"),
    ("kualitatif", "KUALITATIF", "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"),
    ("jpt", "KUANTITATIF", "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"),
    ("jpt-kualitatif", "KUALITATIF", "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"),
])
def test_the_four_skp_variants(variant, approach, form):
    text = rendered("nasional", "skp", variant)
    assert f"SASARAN KINERJA PEGAWAI PENDEKATAN HASIL KERJA {approach} {form}" in text
    for label in (*IDENTITY, *BEHAVIOURS, "HASIL KERJA", "A. UTAMA", "B. TAMBAHAN",
                  "Terlaksananya pelayanan imunisasi dasar bagi bayi di wilayah kerja",
                  "Jumlah bayi yang mendapat imunisasi dasar lengkap"):
        assert label in text, label
    # The footnotes (§1.8), the signatures with place and date (§1.7), the LAMPIRAN page (§1.9).
    assert "* Dalam hal rencana hasil kerja Pimpinan yang diintervensi" in text
    assert "** Pimpinan dapat memberikan Ekspektasi khusus" in text
    assert "Contoh, 20 Januari 2026" in text and "Pegawai yang Dinilai" in text
    assert "NIP 197805102003121004" in text
    lampiran = text.split("LAMPIRAN SASARAN KINERJA PEGAWAI", 1)[1]
    for label in ("DUKUNGAN SUMBER DAYA", "Vaksin dan rantai dingin", "SKEMA PERTANGGUNGJAWABAN",
                  "Hasil kerja dilaporkan setiap bulan", "KONSEKUENSI", "Pejabat Penilai Kinerja"):
        assert label in lampiran, label
    kuantitatif = approach == "KUANTITATIF"
    assert ("ASPEK INDIKATOR KINERJA INDIVIDU TARGET" in text) is kuantitatif
    assert "120 bayi" in text and ("Kuantitas" in text) is (kuantitatif or variant.startswith("jpt"))
    # The "intervened" column is dropped on the JPT kuantitatif form (and its value with it).
    intervened_column = "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI" in text
    assert intervened_column is (kuantitatif and not variant.startswith("jpt"))
    if not kuantitatif:
        caption = ("Ukuran keberhasilan/Indikator Kinerja Individu, Target, dan Perspektif:" if "jpt" in variant
                   else "Ukuran keberhasilan/ Indikator Kinerja Individu, dan Target:")
        assert caption in text
    assert ("Meningkatnya cakupan imunisasi dasar lengkap" in text) is (not variant.startswith("jpt"))


def test_skp_filename_and_a_rasterisable_page(tmp_path):
    out = rules("nasional").render_report("skp", sample_skp_document())
    assert out.filename == f"skp-{SAMPLE_NIP}-2026.pdf"
    (tmp_path / "skp.pdf").write_bytes(out.content)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(tmp_path / "skp.pdf"),  # noqa: S603, S607
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 1000


# --- evaluation documents: matrix and numeric regions --------------------------------------------


@pytest.mark.parametrize(("code", "variant"), [("nasional", ""), ("sawahlunto", "numeric")])
def test_the_detailed_evaluation_form(code, variant):
    text = rendered(code, "evaluasi-kinerja", variant)
    assert "EVALUASI KINERJA PEGAWAI PENDEKATAN HASIL KERJA KUANTITATIF" in text
    assert "pegawai yang dinilai" in text.casefold() and "Evaluasi Kinerja" in text
    assert f"Evaluasi Kinerja Pegawai Triwulan I 2026 · Dokumen milik Rina Marlina, S.Kep. (NIP {SAMPLE_NIP})" in text
    for label in (*IDENTITY[2:-1], "PERIODE PENILAIAN: 1 JANUARI S.D. 31 MARET 2026",
                  "PERIODE: TRIWULAN I/ II/ III/ IV/ AKHIR", "CAPAIAN KINERJA ORGANISASI*",
                  "POLA DISTRIBUSI:", "REALISASI BERDASARKAN BUKTI DUKUNG",
                  "UMPAN BALIK BERKELANJUTAN BERDASARKAN BUKTI DUKUNG", "RATING HASIL KERJA*",
                  "DIATAS EKSPEKTASI/ SESUAI EKSPEKTASI/ DIBAWAH EKSPEKTASI", "RATING PERILAKU KERJA*",
                  "PREDIKAT KINERJA PEGAWAI*", "SANGAT BAIK/ BAIK/ BUTUH PERBAIKAN/ KURANG/MISCONDUCT/ SANGAT KURANG",
                  "118 bayi", "Pertahankan; perbaiki pencatatan sasaran bayi baru.", "Frekuensi Pegawai",
                  "Sesuai ekspektasi; ramah kepada pasien.", "Contoh, 10 April 2026"):
        assert label in text, label
    numeric = variant == "numeric"
    assert ("98.33 %" in text) is numeric and ("102.47" in text) is numeric
    assert ("CAPAIAN NILAI" in text) is numeric


@pytest.mark.parametrize(("code", "variant"), [("nasional", ""), ("sawahlunto", "numeric"),
                                               ("nasional", "annual"), ("sawahlunto", "annual")])
def test_the_one_page_evaluation_document(code, variant):
    text = rendered(code, "dokumen-evaluasi", variant)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert "pegawai yang dinilai" in text.casefold() and "Evaluasi Kinerja" in text
    for section in ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "ATASAN PEJABAT PENILAI KINERJA",
                    "EVALUASI KINERJA", "CATATAN/ REKOMENDASI"):
        assert section in text, section
    html = _html(code, "dokumen-evaluasi", sample_evaluation_document())
    numbered = [re.search(rf"<b>{n}\.</b></td><td colspan=\"3\" class=\"group\">([^<]+)<", html).group(1)
                for n in range(1, 6)]
    assert numbered == ["PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "ATASAN PEJABAT PENILAI KINERJA",
                        "EVALUASI KINERJA", "CATATAN/ REKOMENDASI"]
    for label in ("CAPAIAN KINERJA ORGANISASI", "PREDIKAT KINERJA PEGAWAI", SAMPLE_NIP,
                  "dr. Sri Handayani, M.Kes.", "Tingkatkan ketepatan pencatatan sasaran imunisasi.",
                  "Pegawai yang Dinilai", "Pejabat Penilai Kinerja"):
        assert label in text, label
    annual = variant == "annual"
    assert ("Triwulan III 2026" in text and "Sangat Baik" in text) is annual
    assert ("NILAI KINERJA PEGAWAI" in text and "102.47" in text) is (code == "sawahlunto")
    assert len(re.findall(r"Halaman \d dari (\d)", text)) == 1  # one page


# --- struck-through options, draft, verification, logo, escaping ---------------------------------


def test_rejected_options_are_struck_through_and_the_chosen_one_is_not():
    html = render_html("documents/evaluasi.html", sample_evaluation_document())
    assert '<b class="chosen">SESUAI EKSPEKTASI</b>' in html
    assert '<s class="rejected">DIATAS EKSPEKTASI</s>' in html and '<s class="rejected">DIBAWAH EKSPEKTASI</s>' in html
    assert '<b class="chosen">BAIK</b>' in html and '<s class="rejected">KURANG/MISCONDUCT</s>' in html
    assert '<b class="chosen">TRIWULAN I</b>' in html and '<s class="rejected">AKHIR</s>' in html
    assert not re.search(r"<s[^>]*>(SESUAI EKSPEKTASI|TRIWULAN I)</s>", html)
    annual = render_html("documents/dokumen_evaluasi.html", sample_evaluation_document(annual=True))
    assert '<b class="chosen">AKHIR</b>' in annual and '<s class="rejected">TRIWULAN I</s>' in annual
    undecided = replace(sample_evaluation_document(), predikat=Choice((("a", "PILIHAN A"), ("b", "PILIHAN B")), None))
    blank = render_html("documents/evaluasi.html", undecided)
    assert "PILIHAN A/ PILIHAN B" in blank and not re.search(r"<[sb]( [^>]*)?>PILIHAN", blank)


def test_draft_mark_verification_footer_and_logo():
    draft = rendered_pdf(replace(sample_evaluation_document(verified=True), final=False), "dokumen-evaluasi")
    assert "DRAF — belum final" in draft
    assert "Dokumen ini dapat diverifikasi di https://kinerja.example.go.id/contoh/verifikasi/K7Q2-9XPA" in draft
    assert "K7Q2-9XPA" in draft
    final = render_html("documents/skp.html", sample_skp_document())
    assert "DRAF" not in final and "diverifikasi" not in final
    with_logo = replace(sample_skp_document(), letterhead=Letterhead("Pemerintah Kota Contoh", "DINAS",
                                                                      "Contoh", PNG_1PX))
    html = render_html("documents/skp.html", with_logo)
    assert 'src="data:image/png;base64,' in html and "PEMERINTAH KOTA CONTOH" in html
    verified = render_html("documents/skp.html", sample_skp_document(verified=True))
    assert 'src="data:image/svg+xml;base64,' in verified


def rendered_pdf(data, fmt: str, code: str = "nasional") -> str:
    return pdf_text(rules(code).render_report(fmt, data).content)


def test_values_are_escaped():
    data = sample_skp_document()
    data = replace(data, pegawai=replace(data.pegawai, name='<script>alert("x")</script>'))
    html = render_html("documents/skp.html", data)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_canonical_guides_fill_only_empty_behaviours():
    data = sample_skp_document()
    own = replace(data.behaviours[0], guides=("Panduan daerah satu", "Panduan daerah dua", "Panduan daerah tiga"))
    html = render_html("documents/skp.html", replace(data, behaviours=(own, *data.behaviours[1:])))
    assert "Panduan daerah dua" in html and "Memahami dan memenuhi kebutuhan masyarakat" not in html
    assert "Membantu orang lain belajar" in html  # Kompeten, empty: filled from BERAKHLAK_GUIDES


def test_the_distribution_curve_is_an_svg_image_from_app_charts():
    html = render_html("documents/evaluasi.html", sample_evaluation_document())
    assert 'alt="Kurva distribusi predikat kinerja pegawai"' in html and "data:image/svg+xml;base64," in html


# --- each region's own documents ------------------------------------------------------------------


def _html(code: str, fmt: str, data) -> str:
    render = rules(code).rule_set.report_format(fmt).render
    template, search_path = render.keywords["template"], render.keywords["search_path"]
    return render_html(template, data, search_path, dict(render.keywords["labels"]),
                       **dict(render.keywords["context"]))


def test_walesi_says_atasan_and_has_a_semester_recap():
    text = rendered("walesi", "skp")
    assert "RENCANA HASIL KERJA ATASAN YANG DIINTERVENSI" in text
    assert "RENCANA HASIL KERJA PIMPINAN YANG DIINTERVENSI" in rendered("nasional", "skp")
    data = sample_report_data()
    two = replace(data, period_label="Tahun 2026", evaluations=data.evaluations + tuple(
        replace(e, period_label="Semester II 2026", predikat_label="Baik") for e in data.evaluations))
    two = replace(two, evaluations=tuple(replace(e, period_label="Semester I 2026") for e in data.evaluations)
                  + two.evaluations[len(data.evaluations):])
    out = rules("walesi").render_report("rekap-semester-xlsx", two)
    assert out.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(out.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == "Rekap Predikat Kinerja per Semester" and rows[4][:3] == ["No", "NIP", "Nama"]
    assert rows[4][-2:] == ["Semester I 2026", "Semester II 2026"]
    assert rows[5][1] == "198004112005012001" and sheet.cell(6, 2).data_type == "s"  # NIP as text
    assert rows[5][-2:] == ["Baik (95.50)", "Baik (95.50)"]


SALOR = (ComponentLine("hasil_kerja", "Hasil Kerja", "50", "103.53", "51.77"),
         ComponentLine("perilaku", "Perilaku Kerja", "20", "100.00", "20.00"),
         ComponentLine("disiplin", "Disiplin", "10", "95.00", "9.50"),
         ComponentLine("kompetensi", "Kompetensi", "10", "100.00", "10.00"),
         ComponentLine("inovasi", "Inovasi", "10", "80.00", "8.00"))


def test_salor_prints_discipline_competence_and_innovation():
    data = replace(sample_evaluation_document(numeric=True), components=SALOR)
    text = rendered_pdf(data, "evaluasi-kinerja", "salor")
    assert "PENILAIAN DISIPLIN, KOMPETENSI DAN INOVASI" in text and "DISIPLIN KOMPETENSI INOVASI" in text
    assert "95.00 100.00 80.00" in text
    one_page = _html("salor", "dokumen-evaluasi", data)
    assert "NILAI DISIPLIN" in one_page and "NILAI INOVASI" in one_page
    assert "DISIPLIN, KOMPETENSI" not in _html("sawahlunto", "evaluasi-kinerja", data)


def test_sawahlunto_prints_the_score_table_steps_and_bands():
    text = rendered("sawahlunto", "evaluasi-kinerja", "numeric")
    assert "TABEL NILAI KINERJA PEGAWAI (PP 30/2019)" in text and "LANGKAH PERHITUNGAN" in text
    assert "PREDIKAT MENURUT NILAI" in text and "110 ≤ nilai ≤ 120 (dengan inovasi)" in text
    assert "90 ≤ nilai ≤ 120 ✓" in text  # the band of the chosen predikat (Baik)
    assert len(PP30_BANDS) == 5
    assert "TABEL NILAI KINERJA" not in _html("palangkaraya", "evaluasi-kinerja",
                                              sample_evaluation_document(numeric=True))


def test_palangkaraya_lists_the_face_to_face_sessions():
    data = replace(sample_evaluation_document(numeric=True), feedback_sessions=(
        FeedbackNote(sample_evaluation_document().finalised_on, True, "Dialog kinerja bulan Maret"),))
    text = rendered_pdf(data, "dokumen-evaluasi", "palangkaraya")
    assert "6. CATATAN SESI UMPAN BALIK TATAP MUKA" in text and "Dialog kinerja bulan Maret" in text
    form = _html("palangkaraya", "evaluasi-kinerja", data)
    assert "NILAI PROSES DAN HASIL KERJA" in form and "Tatap muka" in form
    assert "TATAP MUKA" not in _html("nasional", "dokumen-evaluasi", data)


def test_ambon_prints_the_objection_sections_and_the_atasan_signs():
    data = replace(sample_evaluation_document(numeric=True), objection=ObjectionBlock(
        "Saya keberatan atas predikat Baik.", "Predikat sesuai bukti dukung.", "Keberatan ditolak."))
    text = rendered_pdf(data, "dokumen-evaluasi", "ambon")
    for label in ("6. KEBERATAN Saya keberatan atas predikat Baik.",
                  "7. PENJELASAN PEJABAT PENILAI ATAS KEBERATAN Predikat sesuai bukti dukung.",
                  "8. KEPUTUSAN ATASAN PEJABAT PENILAI KINERJA Keberatan ditolak.",
                  "Atasan Pejabat Penilai Kinerja"):
        assert label in text, label
    assert "KEBERATAN" not in _html("nasional", "dokumen-evaluasi", data)


def test_a_region_template_overrides_baseline_blocks(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "skp.html").write_text('{% extends "nasional/documents/skp.html" %}'
                                     '{% block footnotes %}<p>CATATAN DAERAH CONTOH</p>{% endblock %}')
    (folder / "rekap_contoh.html").write_text('{% extends "documents/dokumen_evaluasi.html" %}'
                                              '{% block notes %}{{ super() }}<tr><td>EXTRA {{ tag }}</td></tr>'
                                              '{% endblock %}')
    html = render_html("documents/skp.html", sample_skp_document(), tmp_path)
    assert "CATATAN DAERAH CONTOH" in html and "Dalam hal rencana" not in html
    fmt = document_format("contoh", "Contoh", DocumentSubject.EVALUATION, "documents/rekap_contoh.html",
                          templates=tmp_path, context={"tag": "Z"}, labels={"draft": "CONCEPT"})
    out = fmt.render(replace(sample_evaluation_document(), final=False))
    text = pdf_text(out.content)
    assert "EXTRA Z" in text and "CATATAN/ REKOMENDASI" in text and "CONCEPT" in text
    with pytest.raises(ValueError, match="SKP or an evaluation"):
        document_format("x", "X", DocumentSubject.REPORT, "documents/skp.html")


# --- the format contract: subjects, variants, runtime, conformance ------------------------------------


def test_report_format_subject_and_audience_agree():
    public = ReportFormat("p", "P", "text/html", str, audience=ReportAudience.PUBLIC)
    assert public.subject is DocumentSubject.PUBLIC
    assert ReportFormat("q", "Q", "text/html", str, subject=DocumentSubject.PUBLIC).audience is ReportAudience.PUBLIC
    assert ReportFormat("r", "R", "text/csv", str).subject is DocumentSubject.REPORT


def test_the_runtime_checks_the_data_type_and_lists_formats_by_subject():
    walesi = rules("walesi")
    with pytest.raises(TypeError, match="renders SkpDocumentData, not EvaluationDocumentData"):
        walesi.render_report("skp", sample_evaluation_document())
    assert [f.code for f in walesi.formats_for(DocumentSubject.REPORT)] == [
        "rekap-predikat", "rekap-predikat-xlsx", "rekap-semester-xlsx"]
    assert [f.code for f in walesi.formats_for(DocumentSubject.PUBLIC)] == ["laporan-publik"]
    html = walesi.render_report("laporan-publik", sample_report_data())
    assert "Siti Aminah" not in html


def test_the_skp_variant_rule():
    nasional, walesi = registry().get("nasional"), registry().get("walesi")
    assert is_jpt("jpt") and is_jpt(" JPT ") and not is_jpt("administrator") and not is_jpt("")
    assert skp_approach(nasional, "jpt") is Approach.KUANTITATIF
    assert skp_approach(walesi, "jpt") is Approach.KUALITATIF
    assert skp_approach(walesi, "pelaksana") is Approach.KUANTITATIF
    stored = json.loads(json.dumps(snapshot(walesi)))
    assert stored["qualitative_position_kinds"] == ["jpt"]
    assert restore(stored).qualitative_position_kinds == ("jpt",)
    del stored["qualitative_position_kinds"]  # a snapshot made before API 1.2
    assert restore(stored).qualitative_position_kinds == ()
    odd = baseline_rule_set("contoh", "Contoh", "1", qualitative_position_kinds=("kepala",),
                            report_formats=standard_report_formats(matrix_predikat_labels())[3:])
    assert check_rule_set(odd) == ["qualitative_position_kinds names unknown position kinds kepala "
                                   "(known: jpt, administrator, pengawas, pelaksana, fungsional)"]


def test_every_region_ships_the_documents_and_an_xlsx_recap():
    for code in ("nasional", "walesi", "salor", "sawahlunto", "palangkaraya", "ambon"):
        formats = {f.code: f for f in registry().get(code).report_formats}
        assert {"skp", "evaluasi-kinerja", "dokumen-evaluasi", "rekap-predikat", "rekap-predikat-xlsx"} <= set(formats)
        assert formats["skp"].subject is DocumentSubject.SKP and formats["skp"].media_type == "application/pdf"
        assert formats["dokumen-evaluasi"].name == "Dokumen Evaluasi Kinerja Pegawai"
    out = rules("nasional").render_report("rekap-predikat-xlsx", sample_report_data())
    rows = list(load_workbook(io.BytesIO(out.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Pemerintah Kota Contoh" and rows[4][:3] == ("Unit kerja", "Sangat Baik", "Baik")
    assert rows[5][0] == "Dinas Kesehatan" and rows[5][-1] == 2


def test_sample_data_follows_the_subject_and_the_scheme():
    fmt = registry().get("sawahlunto").report_format("evaluasi-kinerja")
    assert sample_data_for(fmt, registry().get("sawahlunto")).numeric
    assert not sample_data_for(fmt, registry().get("nasional")).numeric
    assert sample_data_for(registry().get("nasional").report_format("skp")).pegawai.nip == SAMPLE_NIP


def _kit(*formats: ReportFormat) -> list[str]:
    base = standard_report_formats(matrix_predikat_labels())[3:]  # the recaps only: fast
    return check_rule_set(baseline_rule_set("contoh", "Contoh", "1", report_formats=base + formats))


def test_the_kit_checks_what_documents_hold():
    def doc(media_type: str, content: bytes, subject=DocumentSubject.EVALUATION, **kw):
        return ReportFormat("dok", "Dok", media_type, lambda d: RenderedDocument(content, "dok.bin", media_type),
                            subject=subject, **kw)

    assert _kit() == []
    assert _kit(doc("application/pdf", b"not a pdf"))[0].startswith("report 'dok' is not a readable PDF")
    assert _kit(doc("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK junk"))[0].startswith(
        "report 'dok' is not a readable XLSX workbook")
    skp_pdf = rules("nasional").render_report("skp", sample_skp_document()).content
    assert _kit(doc("application/pdf", skp_pdf)) == [  # an SKP handed in as an evaluation document
        "report 'dok' lacks the label \"Evaluasi Kinerja\""]
    assert _kit(doc("application/pdf", skp_pdf, subject=DocumentSubject.SKP)) == []
    leaky = ReportFormat("bocor", "B", "application/pdf", lambda d: RenderedDocument(skp_pdf, "b.pdf", "application/pdf"),
                         audience=ReportAudience.PUBLIC)
    assert _kit(leaky) == ["public report 'bocor' shows a name or NIP"]
    nameless = doc("application/pdf", skp_pdf, subject=DocumentSubject.SKP)
    nameless = replace(nameless, render=lambda d: RenderedDocument(skp_pdf, "", "application/pdf"))
    assert _kit(nameless) == ["report 'dok' gives no file name"]
