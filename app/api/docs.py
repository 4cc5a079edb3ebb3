"""The API reference page: Swagger UI from vendored files, no CDN.

``app/api/static/swagger-ui/`` holds swagger-ui-dist (Apache-2.0; version,
source and checksums in its README.md). The page loads only files of this
application, so it works on an intranet; its own script (``docs.js``) reads
the address of the OpenAPI document from the page.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {
    "swagger-ui-bundle.js": STATIC / "swagger-ui",
    "swagger-ui.css": STATIC / "swagger-ui",
    "docs.js": STATIC,
}
# Swagger UI sets inline styles; everything else stays as strict as the app's default.
DOCS_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1", template_folder="templates")


@bp.route("/docs")
def reference():
    return render_template("api/docs.html"), 200, {"Content-Security-Policy": DOCS_POLICY}


def _asset_view(name: str):
    def asset():
        return send_from_directory(ASSETS[name], name, max_age=86400)

    return asset


for _name in ASSETS:  # fixed URLs, no URL parameter: /api/v1/docs/<file>
    bp.add_url_rule(f"/docs/{_name}", "asset_" + _name.replace(".", "_").replace("-", "_"), _asset_view(_name))
