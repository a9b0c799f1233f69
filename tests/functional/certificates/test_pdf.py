"""Real certificate PDFs: text, QR code, accessibility tags, and the locked URL fetcher."""

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from compliance.certificates.pdf import CertificateData, StaticOnlyFetcher, render_certificate_pdf

DATA = CertificateData(
    code="KSC-2345-6789-ABC8", kind="staff",
    title="Responsible knife sales training certificate", holder_name="Jo Bloggs",
    business_name="Sharp & Co Ltd", premises_name="Market Street",
    premises_address="12 Market Street, Leeds, LS1 6DT", issued_on="25 November 2026",
    expires_on="25 November 2027", verify_url="http://localhost/verify/KSC-2345-6789-ABC8",
    lines=("passed the responsible knife sales assessment with a score of 93%.",))


@pytest.fixture(scope="module")
def pdf(app) -> bytes:
    with app.test_request_context():
        return render_certificate_pdf(DATA)


@pytest.mark.slow
def test_certificate_pdf_has_the_printed_facts(pdf):
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for fact in ("Jo Bloggs", "Sharp & Co Ltd", "KSC-2345-6789-ABC8", "25 November 2026",
                 "25 November 2027", "Market Street", "93%"):
        assert fact in text, fact
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


@pytest.mark.slow
def test_certificate_pdf_is_tagged_with_title_and_language(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower().startswith("en")
    assert reader.metadata.title == "Responsible knife sales training certificate " \
                                    "KSC-2345-6789-ABC8"


@pytest.mark.slow
def test_qr_code_decodes_to_the_verify_address(pdf, tmp_path):
    (tmp_path / "c.pdf").write_bytes(pdf)
    pdf_path, prefix = str(tmp_path / "c.pdf"), str(tmp_path / "page")
    # poppler-utils (installed by .ci/run) turns the page into an image, as a phone camera sees it
    subprocess.run(["pdftoppm", "-png", "-r", "150", pdf_path, prefix], check=True)  # noqa: S607
    image = Image.open(next(tmp_path.glob("page*.png")))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == ["http://localhost/verify/KSC-2345-6789-ABC8"]


@pytest.mark.slow
def test_pdf_uses_only_local_fonts(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
             if "/BaseFont" in f.get_object()}
    assert fonts and all("Certificate-Sans" in f for f in fonts)  # our @font-face files


def test_fetcher_refuses_anything_outside_static(app, tmp_path):
    static = Path(app.static_folder)
    fetcher = StaticOnlyFetcher(static)
    ok = fetcher.fetch((static / "css" / "certificate.css").as_uri())
    assert ok is not None
    for url in ("file:///etc/passwd", (static / ".." / "pyproject.toml").as_uri(),
                "http://127.0.0.1:9/x.css", "https://example.com/font.ttf",
                "data:text/css,body{}"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
