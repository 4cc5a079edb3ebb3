"""The shortcuts of the bulk audit path say exactly what the general code says:
a flat snapshot is reduced as ``plain`` reduces it without changing the
caller's dict, and the garbage collector pause of the apply step always ends as
it began."""

from __future__ import annotations

import gc
from datetime import date, datetime

from app.audit.bulk import _plain
from app.audit.services import plain
from app.bulkwrite import collector_paused


def test_a_flat_snapshot_is_reduced_as_plain_reduces_it_and_the_callers_dict_stays():
    unchanged = {"nip": "1", "name": "A", "position_id": None, "active": True, "version": 2}
    assert _plain(unchanged) == plain(unchanged)
    with_day = {"nip": "1", "rank_tmt": date(2021, 4, 1), "at": datetime(2026, 1, 2, 3, 4, 5, 6)}
    reduced = _plain(with_day)
    assert reduced == plain(with_day)
    assert with_day["rank_tmt"] == date(2021, 4, 1)  # the caller's dict is not changed
    assert _plain({"api_token": "x", "name": "A"}) == plain({"api_token": "x", "name": "A"})  # redacted


def test_the_collector_pause_nests_and_restores_the_state_it_found():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    try:
        with collector_paused():
            raise RuntimeError("the job failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
