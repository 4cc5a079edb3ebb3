"""Writing a checked employee file in bulk: a few statements per file, not five per row.

The rows were checked in memory against one read of the tenant's employees
and positions (``validation.check``, run again inside the apply
transaction; the employees it read, with their versions and audited state,
come along in ``plan.existing``), so nothing is asked of the database row by
row:

* new employees go in with one multi-row ``INSERT … RETURNING`` per chunk
  (SQLAlchemy's insertmanyvalues) — on PostgreSQL with one
  ``INSERT … FROM json_to_recordset(…)``, their ids taken from the sequence
  first; a NIP another request committed
  meanwhile fails on the ``(tenant_id, nip)`` unique index, and
  ``services.apply_batch`` turns that into "changed by someone else,
  nothing written";
* updated employees are written with ``bulkwrite.update_checked`` (one
  executemany ``UPDATE``, on PostgreSQL one ``UPDATE … FROM
  json_to_recordset(…)``) that checks each row's ``version`` (a row changed
  meanwhile → ``StaleDataError``, the same outcome);
* rank history rows with one multi-row ``INSERT``;
* the audit entries with ``audit.bulk.record_many``: the very entries the
  row-by-row path (``app.org.services.save_employee`` and
  ``app.org.people.change_rank``) wrote, in the same order, chained in Python.

``ANALYZE`` of the touched tables follows a large import on PostgreSQL, so
the planner knows the tenant grew. (PostgreSQL only lets a table's owner
analyse it — before version 17's MAINTAIN privilege — so where the app
works as an application role that owns nothing, the server skips it with a
warning and autovacuum's analyse is what updates the statistics.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import insert, inspect, select, text
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.audit.bulk import Pending, record_many
from app.bulkwrite import insert_json, update_checked
from app.extensions import db
from app.imports.rows import CREATE, UPDATE, Plan
from app.org import people
from app.org.models import Employee, EmployeeRank, Position
from app.tenancy import current_tenant_id

CHUNK = 1000  # rows per INSERT / IN (...)
ANALYZE_FROM = 1000  # rows written: then ANALYZE the touched tables (PostgreSQL)
_TOUCHED = ("employee", "employee_rank", "audit_entry")


def audited_keys() -> list[str]:
    """The columns ``audit.snapshot`` puts in an employee's entry, in its order."""
    excluded = audit.services.NOT_AUDITED | frozenset(getattr(Employee, "__audit_exclude__", ()))
    return [attr.key for attr in inspect(Employee).column_attrs
            if attr.key not in excluded and not audit.services.SECRET_NAME.search(attr.key)]


def apply_employees(plan: Plan, progress: Callable[[int], None]) -> None:
    tenant_id = current_tenant_id()
    keys = audited_keys()
    position_ids = dict(db.session.execute(select(Position.code, Position.id)).all())
    position_ids = {code.upper(): pid for code, pid in position_ids.items()}
    current = _current_states([row.clean["nip"] for row in plan.rows if row.action == UPDATE], keys,
                              plan.existing)
    recorded_by = audit.current_actor().user_id

    creates: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    # Per row, in file order: (nip, before, after, rank change or None).
    writes: list[tuple[str, dict | None, dict, tuple | None]] = []
    blank = dict.fromkeys(keys)
    for done, row in enumerate(plan.rows, start=1):
        if row.action not in (CREATE, UPDATE):
            continue
        new = row.clean
        old = current.get(new["nip"])
        if old is None:
            state = blank.copy()
            state["active"] = True
            before = None
        else:
            state = old["state"]  # read for this write alone: becomes the entry's "after"
            before = dict(state)
            if "kode_jabatan" in row.changes:
                # As the row-by-row path did: everyone moving leaves their old position
                # first (so a file may swap two officials), and the entry shows that.
                before["position_id"] = None
        if "kode_jabatan" in new:
            state["position_id"] = position_ids[new["kode_jabatan"]] if new["kode_jabatan"] else None
        state["nip"] = new["nip"]
        state["name"] = new["nama"].strip()
        state["sex"] = new["jenis_kelamin"]
        state["employee_type"] = new["jenis_asn"]
        state["email"] = new.get("email", state.get("email")) or None
        after = state
        rank = None
        if "pangkat" in new or "tmt_pangkat" in new:
            code, day = people.check_rank(
                state["employee_type"], new.get("pangkat", state["rank_code"]),
                people.parse_tmt((new["tmt_pangkat"] or None) if "tmt_pangkat" in new else state["rank_tmt"]))
            if (code, day) != (state["rank_code"], state["rank_tmt"]):
                rank = ({"rank_code": state["rank_code"], "rank_tmt": state["rank_tmt"]},
                        {"rank_code": code, "rank_tmt": day})
                after = dict(state)  # the update's entry shows the rank as it was; the rank change its own
                state["rank_code"], state["rank_tmt"] = code, day
        if old is None:
            creates.append({"tenant_id": tenant_id, "active": True, "version": 1, "nip": state["nip"],
                            "name": state["name"], "sex": state["sex"], "employee_type": state["employee_type"],
                            "position_id": state["position_id"], "email": state["email"],
                            "rank_code": state["rank_code"], "rank_tmt": state["rank_tmt"]})
        else:
            updates.append({"b_id": old["id"], "b_version": old["version"], "version": old["version"] + 1,
                            "nip": state["nip"], "name": state["name"], "sex": state["sex"],
                            "employee_type": state["employee_type"], "position_id": state["position_id"],
                            "email": state["email"], "rank_code": state["rank_code"], "rank_tmt": state["rank_tmt"]})
        writes.append((new["nip"], before, after, rank))
        if done % CHUNK == 0:
            progress(done)

    ids = {nip: old["id"] for nip, old in current.items()}
    ids.update(_insert_employees(creates))
    _update_employees(updates)
    ranks = [{"tenant_id": tenant_id, "employee_id": ids[nip], "rank_code": rank[1]["rank_code"],
              "tmt": rank[1]["rank_tmt"], "recorded_by_id": recorded_by}
             for nip, _b, _a, rank in writes if rank is not None and rank[1]["rank_code"] is not None]
    for start in range(0, len(ranks), CHUNK):
        db.session.execute(insert(EmployeeRank), ranks[start:start + CHUNK])
    record_many(db.session, _entries(writes, ids), tenant_id)
    progress(len(plan.rows))
    if len(writes) >= ANALYZE_FROM and _postgres():
        for table in _TOUCHED:
            db.session.execute(text(f"ANALYZE {table}"))


def _entries(writes: list[tuple[str, dict | None, dict, tuple | None]], ids: dict[str, int]):
    for nip, before, after, rank in writes:
        employee_id = ids[nip]
        yield Pending("employee.create" if before is None else "employee.update", "employee",
                      employee_id, employee_id, before, after)
        if rank is not None:
            yield Pending("employee.rank_change", "employee", employee_id, employee_id, rank[0], rank[1],
                          skip_unchanged=False)


def _current_states(nips: list[str], keys: list[str], existing: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The employees a file updates: id, version and audited state (a dict of its own
    per employee) — from the records the check read (``plan.existing``), else in one
    query per chunk."""
    if existing and all(nip in existing for nip in nips):
        return _states((existing[nip] for nip in nips), keys)
    columns = [Employee.id, Employee.version, *(getattr(Employee, key) for key in keys)]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(nips), CHUNK):
        chunk = nips[start:start + CHUNK]
        found.update(_states(db.session.execute(select(*columns).where(Employee.nip.in_(chunk))), keys))
    return found


def _states(records: Iterable[Any], keys: list[str]) -> dict[str, dict[str, Any]]:
    """By NIP: id, version and the ``keys`` of result rows, read by position (a row's
    ``_mapping`` is built anew on every access)."""
    found: dict[str, dict[str, Any]] = {}
    pick = None
    for record in records:
        if pick is None:
            fields = record._fields
            at = [fields.index(key) for key in keys]
            pick = itemgetter(*at) if len(at) > 1 else (lambda record, i=at[0]: (record[i],))
            id_at, version_at, nip_at = fields.index("id"), fields.index("version"), fields.index("nip")
        found[record[nip_at]] = {"id": record[id_at], "version": record[version_at],
                                 "state": dict(zip(keys, pick(record), strict=True))}
    return found


def _insert_employees(rows: list[dict[str, Any]]) -> dict[str, int]:
    if rows and _postgres():
        return _insert_employees_postgres(rows)
    ids: dict[str, int] = {}
    for start in range(0, len(rows), CHUNK):
        result = db.session.execute(
            insert(Employee).returning(Employee.id, Employee.nip, sort_by_parameter_order=True),
            rows[start:start + CHUNK])
        ids.update((nip, employee_id) for employee_id, nip in result)
    return ids


def _update_employees(rows: list[dict[str, Any]]) -> None:
    try:
        update_checked(db.session, Employee.__table__, rows)
    except StaleDataError as exc:
        raise StaleDataError("An employee of the import was changed meanwhile") from exc


def _postgres() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def _insert_employees_postgres(rows: list[dict[str, Any]]) -> dict[str, int]:
    """PostgreSQL: ids from the table's sequence in one query (in the file's order,
    as the row-by-row inserts took them), then one ``INSERT … FROM json_to_recordset(…)``."""
    # As one text value: 10,000 one-column rows cost more to fetch and convert than to take.
    taken = db.session.scalar(
        text("SELECT string_agg(nextval(pg_get_serial_sequence('employee', 'id'))::text, ',') "
             "FROM generate_series(1, :n)"),
        {"n": len(rows)})
    ids = sorted(map(int, taken.split(",")))
    insert_json(db.session, Employee.__table__,
                [{"id": employee_id, **row} for employee_id, row in zip(ids, rows, strict=True)])
    return {row["nip"]: employee_id for employee_id, row in zip(ids, rows, strict=True)}
