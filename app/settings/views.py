"""Pengaturan daerah: the admin instansi previews and saves a new version of
the region's settings, and reads their history. Thin: ``app.settings.editor``
does the work."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import User
from app.auth.roles import admin_required
from app.errors import Invalid
from app.extensions import db
from app.settings import editor, services
from app.settings.fields import describe, form_values, labelled_diff, parse
from app.settings.forms import SaveForm, editor_form
from app.tenancy import tenant, tenant_today
from app.tenancy.current import settings_overrides
from app.tenancy.models import SettingsVersion
from app.tenancy.web import tenant_blueprint
from app.web.forms import add_error, form_status, perform

bp = tenant_blueprint("settings", __name__, "/admin/pengaturan", template_folder="templates", guard=admin_required)


def _render(form, status: int = 200, *, shown_preview=None, save_form=None):
    editor_fields = describe(services.own_rule_set())
    rows = services.history_rows()
    authors = {u.id: u for u in db.session.scalars(
        select(User).where(User.id.in_({v.created_by_id for v, _c in rows if v.created_by_id})))}
    history = [(version, authors.get(version.created_by_id), labelled_diff(editor_fields, changes))
               for version, changes in rows]
    saved = None
    number = request.args.get("versi", type=int)
    if number is not None:
        saved = db.session.scalar(select(SettingsVersion).where(SettingsVersion.number == number))
    return render_template(
        "settings/editor.html", form=form, fields=editor_fields, preview=shown_preview, save_form=save_form,
        history=history, saved=saved, saved_affected=editor.affected_by(saved) if saved is not None else [],
        rule_set=services.own_rule_set()), status


def _form(**kwargs):
    editor_fields = describe(services.own_rule_set())
    if kwargs.get("formdata", True) is None:  # not read from the request: open with the overrides in force
        kwargs["data"] = form_values(editor_fields, settings_overrides(tenant(), tenant_today()))
    in_force = services.in_force_on(tenant_today())
    return editor_fields, editor_form(editor_fields, in_force, editor.start_choices(), **kwargs)


@bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return _render(_form(formdata=None)[1])
    editor_fields, form = _form()
    if not form.validate_on_submit():
        return _render(form, form_status(form))
    overrides, problems = parse(editor_fields, request.form)
    for name, message in problems.items():
        add_error(form, message, name)
    if problems:
        return _render(form, 422)
    try:
        made = editor.proposal(overrides, form.start.data, form.note.data)
        shown = editor.preview(made, editor_fields)
    except Invalid as exc:
        add_error(form, exc, exc.field if exc.field in form else None)
        return _render(form, 422)
    if not shown.changes:
        form.form_errors.append(_("Tidak ada pengaturan yang berubah pada tanggal mulai berlaku itu."))
        return _render(form, 422)
    save_form = SaveForm(formdata=None, data={"token": editor.sign(made)})
    return _render(form, shown_preview=shown, save_form=save_form)


@bp.route("/simpan", methods=["POST"])
def save():
    save_form = SaveForm()
    _fields, form = _form(formdata=None)
    if save_form.validate_on_submit():
        done = perform(save_form, lambda: editor.save(editor.unsign(save_form.token.data), current_user.id),
                       success=lambda version: _("Pengaturan daerah versi %(n)d disimpan; berlaku mulai %(day)s.",
                                                 n=version.number, day=version.effective_from.strftime("%d-%m-%Y")),
                       redirect_to=lambda version: url_for("settings.index", versi=version.number))
        if done.ok:
            return done.response
    form.form_errors.extend(save_form.form_errors)
    if getattr(getattr(save_form, "csrf_token", None), "errors", None):
        form.form_errors.append(_("Formulir kedaluwarsa. Kirim ulang."))
    return _render(form, 422)
