"""The refusals register as an A4 PDF for an officer or a court (WeasyPrint).

Rendered from a plain dict (refusals.export.register_data), never ORM objects, with a URL
fetcher that only opens files inside the app's static folder: no network, no file:///etc/….
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher


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
