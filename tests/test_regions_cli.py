"""``flask regions list|show|check|new``."""

from __future__ import annotations


def test_regions_list_show_check_new(app, tmp_path):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["regions", "list"])
    assert listed.exit_code == 0
    for code in ("nasional", "sawahlunto", "ambon", "salor", "palangkaraya", "walesi"):
        assert code in listed.output
    shown = runner.invoke(args=["regions", "show", "walesi"])
    assert shown.exit_code == 0
    assert "Semester I 2026" in shown.output and "Laporan Kinerja untuk Publik" in shown.output
    assert "public_report_within_days = 30" in shown.output
    missing = runner.invoke(args=["regions", "show", "tidak-ada"])
    assert missing.exit_code != 0 and "not installed" in missing.output
    checked = runner.invoke(args=["regions", "check"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.count("ok   ") >= 6
    created = runner.invoke(args=["regions", "new", "kota-baru", "--dir", str(tmp_path)])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "kinerja-region-kota-baru" / "pyproject.toml").exists()
