"""Certificate pages for signed-in users: lists, downloads, requests, revocation, corrections."""

from io import BytesIO

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import undefer

from compliance import exports
from compliance.auth.permissions import can_manage_retailer, role_required
from compliance.certificates import bp, queries, services
from compliance.certificates.forms import ReissueForm, RevokeForm, StatementForm
from compliance.certificates.prepared import BUSINESS_ZIP
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Certificate, Premises, Retailer, Role
from compliance.urls import verify_url
from compliance.web import current_actor, managed_retailer_or_404, page_arg


def _certificate_or_404(code: str, *, with_pdf: bool = False) -> Certificate:
    stmt = select(Certificate).where(Certificate.code == code)
    if with_pdf:
        stmt = stmt.options(undefer(Certificate.pdf))
    cert = db.session.scalar(stmt)
    if cert is None:
        abort(404)
    if not queries.can_see(current_user, cert):
        abort(403)
    return cert


@bp.route("/")
@role_required(*Role)
def index():
    per_page = current_app.config["PAGE_SIZE"]
    pagination = queries.certificate_page(current_user, page_arg(), per_page,
                                          current_app.config["LIST_COUNT_CAP"])
    rows = queries.with_status(list(pagination.items))
    premises = None  # a manager's premises, a page at a time (a chain has hundreds)
    if current_user.role == Role.MANAGER:
        from compliance.business.services import premises_page  # its package imports this one

        premises = premises_page(current_user.retailer_id, page_arg("premises_page"), per_page)
    return render_template("certificates/index.html", rows=rows, pagination=pagination,
                           premises=premises)


@bp.route("/<code>")
@role_required(*Role)
def detail(code: str):
    found = queries.describe(_certificate_or_404(code))
    return render_template("certificates/detail.html", found=found, cert=found.cert,
                           status=found.status, pdf_state=services.pdf_state(found.cert))


@bp.route("/<code>.pdf")
@role_required(*Role)
def download(code: str):
    cert = _certificate_or_404(code, with_pdf=True)
    if cert.pdf is None:  # the job has not stored it yet (or could not): say so, never a 500
        state = services.pdf_state(cert)
        page = render_template("certificates/preparing.html", cert=cert, pdf_state=state)
        if state == "failed":  # not coming by itself: no Retry-After
            return page, 503, {"Cache-Control": "no-store"}
        return page, 202, {"Retry-After": "10", "Cache-Control": "no-store"}
    return send_file(BytesIO(cert.pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{cert.code}.pdf", etag=cert.sha256,
                     last_modified=cert.issued_at)


@bp.route("/<code>/ready.json")
@role_required(*Role)
def ready(code: str):
    """Whether the certificate's PDF is stored yet ("ready", "waiting" or "failed"): the pages
    that say it is being prepared ask every few seconds (static/js/ready-poll.js)."""
    cert = _certificate_or_404(code)  # the PDF's bytes stay unread
    return {"state": services.pdf_state(cert)}


@bp.post("/business.zip")
@role_required(Role.MANAGER, Role.ADMIN)
def bundle():
    """The ZIP is built by a job (certificates/prepared.py): a chain's thousands of PDFs are
    too much for a request. Its page (compliance/exports) offers it when ready."""
    retailer = managed_retailer_or_404()
    prepared = exports.prepare(BUSINESS_ZIP.name, {"retailer_id": retailer.id}, current_actor())
    db.session.commit()
    return redirect(url_for("exports.show", export_id=prepared.id))


@bp.route("/premises/<int:premises_id>", methods=["GET", "POST"])
@role_required(Role.MANAGER, Role.ADMIN)
def premises_certificate(premises_id: int):
    """A premises' records: the business's own statement, and the officer-verified certificate."""
    premises = db.get_or_404(Premises, premises_id)
    retailer = db.session.get_one(Retailer, premises.retailer_id)
    if not can_manage_retailer(current_user, retailer):
        abort(403)
    form = StatementForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            cert = services.issue_statement(premises, actor=current_actor(),
                                            verify_url=verify_url)
        except services.NotEligible as exc:
            problems = exc.reasons
        else:
            db.session.commit()
            flash(_("Self-assessment statement %(code)s issued", code=cert.code), "success")
            return redirect(url_for("certificates.detail", code=cert.code))
    return render_template("certificates/premises.html", premises=premises, form=form,
                           problems=problems, records=queries.premises_records(premises))


@bp.route("/<code>/revoke", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.ADMIN)
def revoke(code: str):
    cert = _certificate_or_404(code)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(cert, form.reason.data.strip(), current_actor())
        except services.AlreadyClosed:
            form.reason.errors.append(_("This certificate is already revoked or replaced"))
        else:
            db.session.commit()
            flash(_("Certificate %(code)s revoked", code=cert.code), "success")
            return redirect(url_for("certificates.detail", code=cert.code))
    return render_template("certificates/revoke.html", cert=cert, form=form)


@bp.route("/<code>/correct", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def correct(code: str):
    cert = _certificate_or_404(code)
    form = ReissueForm(data={"holder_name": cert.holder_name} if request.method == "GET"
                       else None)
    if form.validate_on_submit():
        try:
            new = services.reissue(cert, holder_name=form.holder_name.data,
                                   reason=form.reason.data.strip(), actor=current_actor(),
                                   verify_url=verify_url)
        except services.AlreadyClosed:
            form.reason.errors.append(_("This certificate is already revoked or replaced"))
        else:
            db.session.commit()
            flash(_("Corrected certificate %(code)s issued", code=new.code), "success")
            return redirect(url_for("certificates.detail", code=new.code))
    return render_template("certificates/correct.html", cert=cert, form=form)
