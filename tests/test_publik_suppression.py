"""Small-group suppression: small groups hidden, nothing derivable by subtraction."""

import random

import pytest

from app.publik.suppression import TOTAL, leaks, protect_table, suppress_count

COLUMNS = ["sangat_baik", "baik", "butuh_perbaikan", "kurang"]


def test_a_single_count_is_hidden_below_the_threshold():
    assert suppress_count(4, 5) is None
    assert suppress_count(5, 5) == 5
    assert suppress_count(0, 5) == 0


def test_a_small_cell_gets_a_complement_in_its_row_and_column():
    table = protect_table({"Dinas A": {"sangat_baik": 1, "baik": 10, "butuh_perbaikan": 6},
                           "Dinas B": {"sangat_baik": 7, "baik": 12, "butuh_perbaikan": 8}}, COLUMNS[:3], 5)
    assert table.cell("Dinas A", "sangat_baik") is None  # primary
    # Without a complement, 17 - 10 - 6 would give the hidden 1 away.
    hidden_in_row = [c for c in COLUMNS[:3] if table.cell("Dinas A", c) is None]
    hidden_in_column = [r for r in table.rows if table.cell(r, "sangat_baik") is None]
    assert len(hidden_in_row) >= 2 or table.row_total("Dinas A") is None
    assert len(hidden_in_column) >= 2 or table.column_total("sangat_baik") is None
    assert leaks(table) == []


def test_a_unit_smaller_than_the_threshold_is_hidden_entirely():
    table = protect_table({"Puskesmas Kecil": {"baik": 3, "kurang": 0},
                           "Dinas Besar": {"baik": 20, "kurang": 6},
                           "Dinas Lain": {"baik": 9, "kurang": 7}}, ["baik", "kurang"], 5)
    # "0 kurang" would tell that all three are "baik".
    assert table.cell("Puskesmas Kecil", "baik") is None
    assert table.cell("Puskesmas Kecil", "kurang") is None
    assert table.row_total("Puskesmas Kecil") is None
    assert leaks(table) == []
    # The grand total minus the other units' totals must not reveal the small unit.
    shown_totals = [table.row_total(r) for r in table.rows if table.row_total(r) is not None]
    assert table.grand_total is None or len(shown_totals) <= len(table.rows) - 2


def test_the_subtraction_attack_finds_nothing():
    """Try every way a reader could subtract shown numbers to learn a hidden one."""
    rng = random.Random(20260415)
    for _ in range(300):
        rows = {f"U{i}": {c: rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14]) for c in COLUMNS}
                for i in range(rng.randint(1, 6))}
        threshold = rng.choice([3, 5, 10])
        table = protect_table(rows, COLUMNS, threshold)
        for r, row in rows.items():
            for c, v in row.items():
                if 0 < v < threshold:
                    assert table.cell(r, c) is None
        assert leaks(table) == [], (rows, threshold)
        # Single-line attack, spelled out: a shown total minus shown cells.
        for r in table.rows:
            hidden = [c for c in COLUMNS if table.cell(r, c) is None]
            assert not (len(hidden) == 1 and table.row_total(r) is not None)
        for c in COLUMNS:
            hidden = [r for r in table.rows if table.cell(r, c) is None]
            assert not (len(hidden) == 1 and table.column_total(c) is not None)
        hidden_totals = [r for r in table.rows if table.row_total(r) is None]
        assert not (len(hidden_totals) == 1 and table.grand_total is not None)


def test_leaks_detects_a_derivable_cell():
    # A hand-made unsafe table: one hidden cell under a shown row total.
    table = protect_table({"A": {"baik": 10, "kurang": 10}}, ["baik", "kurang"], 5)
    table.cells[("A", "kurang")] = None
    assert ("A", "kurang") in leaks(table)


@pytest.mark.parametrize("threshold", [2, 5])
def test_large_groups_are_shown_as_they_are(threshold):
    table = protect_table({"A": {"baik": 10, "kurang": 0}, "B": {"baik": 8, "kurang": 12}}, ["baik", "kurang"],
                          threshold)
    assert table.cell("A", "baik") == 10 and table.cell("A", "kurang") == 0
    assert table.cells[(TOTAL, TOTAL)] == 30
