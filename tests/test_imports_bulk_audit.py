"""The shortcuts of the bulk audit path say exactly what the general code says:
an entry's hash written by hand equals ``chain.compute_hash``, a flat snapshot
is reduced as ``plain`` reduces it without changing the caller's dict, and the
garbage collector pause of the apply step always ends as it began."""

from __future__ import annotations

import gc
import itertools
from datetime import date, datetime
from types import SimpleNamespace

from app.audit.bulk import _hash, _number, _plain, _text
from app.audit.chain import compute_hash
from app.audit.services import plain
from app.imports.services import _collector_paused


def _entry(**changes) -> dict:
    values = {"tenant_id": 3, "seq": 12, "occurred_at": datetime(2026, 12, 7, 5, 0, 0, 0), "actor_user_id": 7,
              "actor_label": "admin", "action": "employee.update", "object_type": "employee", "object_id": 42,
              "employee_id": 42, "before": {"name": "Lama"}, "after": {"name": "Baru"}, "reason": None,
              "prev_hash": "ab" * 32}
    values.update(changes)
    return values


def _fixed(values: dict) -> tuple[str, str]:
    return (f'"actor_label":{_text(values["actor_label"])},"actor_user_id":{_number(values["actor_user_id"])},',
            f',"tenant_id":{_number(values["tenant_id"])}}}')


def test_the_hand_written_document_hashes_as_compute_hash_does():
    states = [None, {}, {"nip": "199103152015031002", "name": "Ä \"é\" \\ \n\u2028 😀", "position_id": None,
                         "active": True, "rank_tmt": "2021-04-01", "z": [1, {"b": None, "a": 1.5}]}]
    moments = [datetime(2026, 12, 7, 5, 0, 0, 0), datetime(2026, 1, 2, 3, 4, 5, 60)]
    for before, after, reason, label, user_id, object_id, moment in itertools.product(
            states, states, [None, "alasan \"kutip\" ü"], ["admin", "platform:ä\t"], [None, 7], [None, 42],
            moments):
        values = _entry(before=before, after=after, reason=reason, actor_label=label, actor_user_id=user_id,
                        object_id=object_id, employee_id=object_id, occurred_at=moment)
        assert _hash(values, _fixed(values)) == compute_hash(SimpleNamespace(**values))


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
    with _collector_paused():
        assert not gc.isenabled()
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    try:
        with _collector_paused():
            raise RuntimeError("the job failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
