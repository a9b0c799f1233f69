"""A business's certificates as one ZIP (every PDF and an index.csv), prepared as an export
(compliance/exports): a chain's thousands of PDFs are tens of megabytes, built by a job a
chunk at a time rather than in memory inside a request; its page offers the file."""

from __future__ import annotations

from typing import Any, BinaryIO

from flask import abort, url_for
from flask_login import current_user

from compliance.auth.permissions import can_manage_retailer
from compliance.certificates.queries import write_business_bundle
from compliance.exports import Built, ExportKind, Subject, register
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import lazy_gettext as _l
from compliance.models import Retailer


def filename(retailer_id: int) -> str:
    return f"certificates-{retailer_id}.zip"


def _subject(params: dict[str, Any]) -> Subject:
    retailer = db.session.get(Retailer, params["retailer_id"])
    if retailer is None:
        abort(404)
    if not can_manage_retailer(current_user, retailer):
        abort(403)  # a manager who has left the business, or another business's
    return Subject(_("Certificates of %(business)s", business=retailer.name),
                   url_for("certificates.index"))


def _build(params: dict[str, Any], out: BinaryIO) -> Built:
    write_business_bundle(params["retailer_id"], out)
    return Built(filename(params["retailer_id"]), "application/zip")


BUSINESS_ZIP = register(ExportKind("certificates.business_zip",
                                   _l("All certificates (ZIP with an index)"), _subject, _build))
