"""The public verify page: no sign-in, rate-limited, every look-up counted."""

from flask import abort, current_app, redirect, render_template, request, url_for

from compliance.certificates import queries, services, verify_bp
from compliance.certificates.codes import normalise
from compliance.certificates.forms import VerifyForm
from compliance.extensions import db, limiter
from compliance.models import Certificate


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


def _lookup(code: str) -> tuple[Certificate, str, Certificate | None]:
    canonical = normalise(code)
    cert = services.find_by_code(canonical) if canonical else None
    if cert is None:
        abort(404)
    services.record_verification(cert)
    db.session.commit()
    (_c, status), = queries.with_status([cert])
    replacement = db.session.get(Certificate, cert.superseded_by_id) \
        if cert.superseded_by_id else None
    return cert, status, replacement


@verify_bp.route("/<code>.json")
@_verify_limit
def show_json(code: str):
    cert, status, replacement = _lookup(code)
    return {
        "code": cert.code, "status": status, "kind": cert.kind, "holder": cert.holder_name,
        "business": cert.business_name, "premises": cert.premises_name,
        "issued_at": cert.issued_at.isoformat(), "expires_at": cert.expires_at.isoformat(),
        "revoked_at": cert.revoked_at.isoformat() if cert.revoked_at else None,
        "revoke_reason": cert.revoke_reason,
        "superseded_by": replacement.code if replacement else None,
        "sha256": cert.sha256,
    }


@verify_bp.route("/<code>")
@_verify_limit
def show(code: str):
    cert, status, replacement = _lookup(code)
    if cert.code != code:
        return redirect(url_for("verify.show", code=cert.code))
    return render_template("certificates/verify.html", cert=cert, status=status,
                           replacement=replacement)
