"""Citizens' pages, without an account: /<slug>/publik/…

Survey per unit, complaint form, tracking page, and the transparency page
with what the admin has published. No page shows a NIP or a complainant's
contact; names appear only where a citizen picks the employee concerned.
"""

from __future__ import annotations

from flask import (
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.org.models import Unit
from app.publik import abuse, complaints, surveys, transparency
from app.publik.forms import (
    CATEGORY_LABELS,
    ELEMENT_NAMES,
    PUBLICATION_LABELS,
    STATUS_LABELS,
    ComplaintForm,
    SurveyForm,
    TrackForm,
)
from app.publik.models import Publication, PublicationKind
from app.tenancy import tenant_today
from app.tenancy.web import tenant_blueprint
from app.web.forms import form_status

bp = tenant_blueprint("publik", __name__, "/publik")

_SENT_CODE = "publik_complaint_code"


def _active_unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        abort(404)
    return unit


def _active_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name)))


def _too_many():
    return render_template("publik/message.html", title=_("Terlalu banyak kiriman"),
                           message=_("Terlalu banyak kiriman dari jaringan Anda dalam satu jam terakhir. "
                                     "Silakan coba lagi nanti.")), 429


@bp.route("/")
def transparency_page():
    publications = transparency.published()
    by_kind: dict[PublicationKind, list[Publication]] = {}
    for pub in publications:
        by_kind.setdefault(pub.kind, []).append(pub)
    return render_template("publik/transparency.html", by_kind=by_kind, kinds=PublicationKind,
                           publication_labels=PUBLICATION_LABELS, element_names=ELEMENT_NAMES)


@bp.route("/unduh/<int:publication_id>")
def download(publication_id: int):
    publication = db.session.get(Publication, publication_id)
    if publication is None or publication.withdrawn_at is not None:
        abort(404)
    slug = f"{g.tenant.slug}-{publication.kind.value}-{publication.year}"
    slug += f"-t{publication.quarter}" if publication.quarter else ""
    if publication.kind is PublicationKind.LAPORAN:
        # Rendered now by the region's public format from the aggregates published
        # for the period (already suppressed); never from per-employee records.
        data = publication.data
        try:
            content = transparency.render_public_report(publication)
        except KeyError:  # the tenant's rules no longer have this format
            abort(404)
        return Response(content, mimetype=data["media_type"], headers={
            "Content-Disposition": f'attachment; filename="{slug}.{data["extension"]}"'})
    return Response(transparency.aggregates_csv(publication), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.csv"'})


@bp.route("/survei")
def survey_units():
    return render_template("publik/survey_units.html", units=_active_units())


@bp.route("/survei/<int:unit_id>", methods=["GET", "POST"])
def survey(unit_id: int):
    unit = _active_unit_or_404(unit_id)
    form = SurveyForm()
    if form.validate_on_submit():
        outcome = surveys.submit_response(
            surveys.SurveyAnswers(unit.id, form.answers, form.comment.data, form.age_band.data,
                                  form.sex.data, form.education.data, form.occupation.data),
            submitted_on=tenant_today(), honeypot_filled=form.honeypot_filled)
        if outcome == surveys.SurveyOutcome.RATE_LIMITED:
            return _too_many()
        db.session.commit()
        if outcome == surveys.SurveyOutcome.DUPLICATE:
            flash(_("Jawaban yang sama sudah kami terima sebelumnya. Terima kasih."), "success")
        return redirect(url_for("publik.survey_thanks", unit_id=unit.id))
    return render_template("publik/survey.html", unit=unit, form=form, element_names=ELEMENT_NAMES)


@bp.route("/survei/<int:unit_id>/terima-kasih")
def survey_thanks(unit_id: int):
    unit = _active_unit_or_404(unit_id)
    return render_template("publik/survey_thanks.html", unit=unit)


@bp.route("/pengaduan", methods=["GET", "POST"])
def complaint_new():
    """Step 1 picks the unit (GET ?unit=…); step 2 shows its staff to choose from."""
    units = _active_units()
    unit_id = request.values.get("unit", type=int)
    unit = _active_unit_or_404(unit_id) if unit_id else None
    form = ComplaintForm()
    if unit is None:
        return render_template("publik/complaint_unit.html", units=units)
    staff = complaints.staff_of_unit(unit.id)
    form.employee_id.choices = [("", _("— tidak menyebut petugas —"))] + staff
    if form.validate_on_submit():
        if form.employee_id.data is not None and form.employee_id.data not in {i for i, _n in staff}:
            form.employee_id.errors.append(_("Pilih petugas dari daftar."))
        else:
            outcome, complaint = complaints.file_complaint(
                complaints.ComplaintData(form.category.data, unit.id, form.description.data,
                                         form.employee_id.data, form.contact.data),
                received_on=tenant_today(), honeypot_filled=form.honeypot_filled)
            if outcome == complaints.FilingOutcome.RATE_LIMITED:
                return _too_many()
            if outcome == complaints.FilingOutcome.DUPLICATE:
                return render_template("publik/message.html", title=_("Pengaduan sudah diterima"),
                                       message=_("Pengaduan yang sama dari jaringan Anda sudah kami terima. "
                                                 "Gunakan kode pelacakan yang Anda terima saat itu.")), 409
            db.session.commit()
            # Shown once on the next page, never put in a URL the browser keeps.
            session[_SENT_CODE] = complaint.tracking_code if complaint else complaints.new_tracking_code()
            return redirect(url_for("publik.complaint_sent"))
    return render_template("publik/complaint.html", unit=unit, form=form)


@bp.route("/pengaduan/terkirim")
def complaint_sent():
    code = session.pop(_SENT_CODE, None)
    if code is None:
        return redirect(url_for("publik.track"))
    return _private(render_template("publik/complaint_sent.html", code=complaints.display_tracking_code(code),
                                    form=TrackForm(formdata=None)), 200)


@bp.route("/lacak", methods=["GET", "POST"])
def track():
    """The tracking code is a secret: it comes in a POST body and the status is
    the answer to that POST — never a URL (history, access logs, Referer) and
    never stored by a cache."""
    form = TrackForm()
    if not form.validate_on_submit():
        return _private(render_template("publik/track.html", form=form), form_status(form))
    if abuse.is_rate_limited("track"):
        return _too_many()
    complaint = complaints.find_by_tracking_code(form.code.data)
    if complaint is None:
        # Failed lookups count against the client: guessing codes is slow.
        abuse.record_submission("track")
        db.session.commit()
        return _private(render_template("publik/track.html", form=TrackForm(formdata=None), not_found=True), 404)
    return _private(render_template(
        "publik/track_result.html", complaint=complaint, events=complaints.public_events(complaint),
        status_labels=STATUS_LABELS, category_labels=CATEGORY_LABELS,
        code=complaints.display_tracking_code(complaint.tracking_code)), 200)


def _private(body: str, status: int) -> Response:
    """A page only its reader may keep: no cache, shared or private, stores it."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store, max-age=0"
    response.headers["Pragma"] = "no-cache"
    return response
