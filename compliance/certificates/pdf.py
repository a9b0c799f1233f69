"""Rendering a certificate to PDF with WeasyPrint, from plain data and local files only."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import segno
from flask import current_app, render_template
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate; never ORM objects."""

    code: str
    kind: str  # staff | premises
    title: str
    holder_name: str
    business_name: str
    premises_name: str | None
    premises_address: str | None
    issued_on: str
    expires_on: str
    verify_url: str
    lines: tuple[str, ...] = ()


class StaticOnlyFetcher(URLFetcher):
    """Allows file: URLs inside the static folder and nothing else: no network, no /etc."""

    def __init__(self, static_root: Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = static_root.resolve()

    def fetch(self, url: str, headers=None):
        if not url.startswith("file://"):
            raise ValueError(f"refused to fetch {url!r}: only files under static/ are allowed")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"refused to fetch {url!r}: outside static/")
        return super().fetch(url, headers)


def qr_svg(url: str) -> Markup:
    """A vector QR code for the verify address, inline in the page."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, title="QR code: " + url)
    return Markup(svg)  # noqa: S704 - segno output, from a URL we built


def render_certificate_html(data: CertificateData) -> str:
    return render_template("certificates/certificate.html", cert=asdict(data),
                           qr=qr_svg(data.verify_url))


def render_certificate_pdf(data: CertificateData) -> bytes:
    static = Path(current_app.static_folder or "static")
    html = HTML(string=render_certificate_html(data), base_url=static.as_uri() + "/",
                url_fetcher=StaticOnlyFetcher(static))
    return html.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
