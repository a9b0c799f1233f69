"""The public verify page: no sign-in, rate-limited, every look-up counted."""

from flask import current_app, redirect, render_template, request, url_for

from compliance.audit import Actor
from compliance.certificates import queries, services, status, verify_bp
from compliance.certificates.codes import normalise
from compliance.certificates.forms import VerifyForm
from compliance.extensions import db, limiter


def _limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


# The page, its JSON and the form draw on one budget per client, not three.
_verify_limit = limiter.shared_limit(_limit, scope="verify")


@verify_bp.route("", methods=["GET"])
@_verify_limit
def form():
    form = VerifyForm(formdata=request.args if request.args else None)
    if request.args and form.validate():
        return redirect(url_for("verify.show", code=normalise(form.code.data)))
    return render_template("certificates/verify_form.html", form=form)


def _lookup(code: str) -> queries.CertificateView | None:
    canonical = normalise(code)
    cert = services.verify_by_code(canonical) if canonical else None
    if cert is None:
        return None
    # The conditions are looked up once: for the audit of a change first seen here, and for
    # the status shown.
    reasons = status.suspension_reasons([cert])
    if cert.kind == status.PREMISES and cert.premises_id:  # audit a change first seen here
        # A premises has one current verified certificate (issuing one supersedes the last):
        # when it is this one, it is the one to audit; else the current one is looked up.
        current = status.status_of(cert, {}) == status.VALID
        status.record_changes([cert.premises_id], Actor(None, request.remote_addr),
                              reasons=reasons, certs=[cert] if current else None)
    # The certificate as loaded is what the page shows (its counter, updated in SQL, is not
    # shown): no need to select it again after the commit.
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    return queries.describe(cert, reasons)


def _not_found(code: str):
    return render_template("certificates/verify_unknown.html", code=code,
                           well_formed=normalise(code) is not None), 404


@verify_bp.route("/<code>.json")
@_verify_limit
def show_json(code: str):
    found = _lookup(code)
    if found is None:
        return {"error": "Not Found", "status": 404, "code": code,
                "message": "No certificate has this code. It may not be genuine."}, 404
    cert = found.cert
    return {
        "code": cert.code, "status": found.status, "kind": cert.kind, "title": found.title,
        "self_assessed": cert.kind == status.STATEMENT,
        "verified_by": cert.details.get("agency") if cert.kind == status.PREMISES else None,
        "visited_at": cert.details.get("visited_at") if cert.kind == status.PREMISES else None,
        "suspended_reasons": found.reasons, "holder": cert.holder_name,
        "business": cert.business_name, "premises": cert.premises_name,
        "issued_at": cert.issued_at.isoformat(), "expires_at": cert.expires_at.isoformat(),
        "revoked_at": cert.revoked_at.isoformat() if cert.revoked_at else None,
        "revoke_reason": cert.revoke_reason,
        "superseded_by": found.replacement.code if found.replacement else None,
        "sha256": cert.sha256, "pdf_ready": cert.pdf_ready,
    }


@verify_bp.route("/<code>")
@_verify_limit
def show(code: str):
    found = _lookup(code)
    if found is None:
        return _not_found(code)
    if found.cert.code != code:
        return redirect(url_for("verify.show", code=found.cert.code))
    return render_template("certificates/verify.html", found=found, cert=found.cert,
                           status=found.status)
