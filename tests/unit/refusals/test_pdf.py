"""The refusals register PDF: a real WeasyPrint render, read back with pypdf."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint.urls import FatalURLFetchingError

from compliance.refusals.pdf import StaticOnlyFetcher, render_register_pdf

DATA = {
    "business": "Alpha Tools Ltd", "premises": "Alpha High Street",
    "address": "1 Market Street, Testbury, TE1 1ST", "generated_at": "2026-11-25 10:00",
    "entries": [
        {"id": 7, "occurred_at": "2026-11-20 14:30", "product": "Craft knife",
         "reason": "No ID", "description": "Boy, about 15", "refused_by": "Sid Staff",
         "recorded_by": "Sid Staff", "recorded_at": "2026-11-20 14:32", "corrects": "",
         "corrected_by": 8, "week": "2026-11-16", "signed_by": "Mo Manager",
         "signed_at": "2026-11-23 09:00"},
        {"id": 8, "occurred_at": "2026-11-20 14:30", "product": "Craft knife (snap-off)",
         "reason": "No ID", "description": "", "refused_by": "Sid Staff",
         "recorded_by": "Mo Manager", "recorded_at": "2026-11-21 09:00", "corrects": 7,
         "corrected_by": "", "week": "2026-11-16", "signed_by": "", "signed_at": ""},
    ],
    "sign_offs": [{"week": "2026-11-16", "signed_by": "Mo Manager",
                   "signed_at": "2026-11-23 09:00", "entries": 1, "note": "Reviewed"}],
}


@pytest.mark.slow
def test_the_register_renders_as_a_real_a4_pdf(app):
    with app.test_request_context():
        pdf = render_register_pdf(DATA)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("Refusals register", "Alpha Tools Ltd", "Alpha High Street",
                     "Craft knife (snap-off)", "Corrects entry 7", "Corrected by entry 8",
                     "Weekly sign-offs", "Mo Manager", "Reviewed", "Page 1 of"):
        assert expected in text, expected
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape


def test_the_fetcher_only_opens_files_in_the_static_folder(app, tmp_path):
    static = Path(app.static_folder)
    fetcher = StaticOnlyFetcher(static)
    response = fetcher.fetch((static / "css" / "refusals-register.css").as_uri())
    assert b"@page" in response.read()
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (outside.as_uri(), "file:///etc/passwd", "https://example.com/x.css",
                (static / ".." / "pyproject.toml").as_uri(),
                (static / "css" / "missing.css").as_uri(), "data:text/css,body{}"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
