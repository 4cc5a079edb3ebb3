"""JSON search for the pickers (``app/static/picker.js``): /<slug>/cari/<kind>?q=…

Admin only, like every form that uses a picker (Plt/Plh, change of penilai,
accounts, complaint assignment). The answer is a list the widget shows as
suggestions; the form still takes the typed NIP or id and validates it on
the server, so the page works without JavaScript.
"""

from __future__ import annotations

from flask import abort, jsonify, request

from app.auth.roles import admin_required
from app.org.pickers import FINDERS, LIMIT, find_employees
from app.tenancy.web import tenant_blueprint

bp = tenant_blueprint("pilih", __name__, "/cari", guard=admin_required)


@bp.route("/<kind>")
def search(kind: str):
    finder = FINDERS.get(kind)
    if finder is None:
        abort(404)
    term = request.args.get("q", "")
    if kind == "pegawai":
        unit_id = request.args.get("unit", type=int)
        found = find_employees(term, unit_id if unit_id and 0 < unit_id < 2**31 else None)
    else:
        found = finder(term)
    response = jsonify({"results": [c.as_dict() for c in found], "limit": LIMIT})
    response.headers["Cache-Control"] = "private, no-store"
    return response
