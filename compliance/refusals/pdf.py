"""The refusals register as an A4 PDF for an officer or a court (WeasyPrint), prepared as an
export (compliance/exports): a long register takes WeasyPrint seconds, so a job builds it.

Rendered from a plain dict (refusals.export.register_data), never ORM objects, with a URL
fetcher that only opens files inside the app's static folder: no network, no file:///etc/….
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template, url_for
from sqlalchemy.orm import joinedload
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from compliance.auth.permissions import can_read_premises_records
from compliance.exports import Built, ExportKind, Subject, register
from compliance.extensions import db
from compliance.i18n import lazy_gettext as _l
from compliance.models import Premises
from compliance.models.base import utcnow
from compliance.refusals import export, services, signoff
from compliance.web import premises_or_404


class StaticOnlyFetcher(URLFetcher):
    """Fetch file: URLs under one folder; refuse everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers=None):
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or parts.netloc not in ("", "localhost") or not path.is_relative_to(
                self.root) or not path.is_file():
            raise FatalURLFetchingError(f"Refused to fetch {url}")
        return super().fetch(path.as_uri(), headers)


def render_register_pdf(data: dict[str, Any]) -> bytes:
    static = Path(current_app.static_folder or "static")
    html = render_template("refusals/register_pdf.html", data=data)
    document = HTML(string=html, base_url=static.resolve().as_uri() + "/",
                    url_fetcher=StaticOnlyFetcher(static))
    return document.write_pdf()


def _subject(params: dict[str, Any]) -> Subject:
    premises = premises_or_404(params["premises_id"], can_read_premises_records)
    return Subject(premises.name, url_for("refusals.index", premises_id=premises.id))


def _build(params: dict[str, Any], out: BinaryIO) -> Built:
    premises = db.session.get(Premises, params["premises_id"],
                              options=[joinedload(Premises.retailer)])
    data = export.register_data(premises, premises.retailer.name,
                                services.all_entries(premises.id),
                                signoff.sign_offs(premises.id), generated_at=utcnow())
    out.write(render_register_pdf(data))
    return Built(f"refusals-register-{premises.id}.pdf", "application/pdf")


REGISTER_PDF = register(ExportKind("refusals.register_pdf", _l("Refusals register (PDF)"),
                                   _subject, _build))
