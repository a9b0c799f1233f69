"""Evidence files through HTTP: a manager's photo on a follow-up, an officer's on a finding."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import AuditEvent, EvidenceFile, EvidenceLink, FollowUp
from compliance.storage import path_for, sniff
from tests.functional.visits.helpers import lock_from, start_visit
from tests.visit_factories import FollowUpFactory, VisitFactory

KB = 1024


def picture(fmt: str, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=fmt)
    return out.getvalue()


def tiny_pdf() -> bytes:
    """A real one-page PDF (pypdf reads it back)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_STORAGE_DIR", str(tmp_path / "evidence"))
    return tmp_path / "evidence"


@pytest.fixture
def follow_up(cast):
    visit = VisitFactory(premises=cast["shop"], officer=cast["officer"])
    return FollowUpFactory(visit=visit)


def answer(client, follow_up, content: bytes | None, name: str = "sign.jpg",
           note: str = "Sign is up by the till"):
    data = {"response_note": note}
    if content is not None:
        data["evidence"] = (io.BytesIO(content), name)
    return client.post(f"/visits/follow-ups/{follow_up.id}/answer", data=data,
                       content_type="multipart/form-data")


def links() -> list[EvidenceLink]:
    return list(db.session.scalars(select(EvidenceLink).order_by(EvidenceLink.id)))


@pytest.mark.parametrize("fmt, content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                               ("WEBP", "image/webp")])
def test_a_manager_answers_with_a_photo_the_officer_sees_it(client, login_as, cast, follow_up,
                                                            evidence_dir, fmt, content_type):
    content = picture(fmt)
    login_as(cast["manager"])
    page = client.get(f"/visits/follow-ups/{follow_up.id}").text
    assert 'enctype="multipart/form-data"' in page and 'accept="image/*,application/pdf"' in page
    assert answer(client, follow_up, content, name="../../IMG 001.jpg").status_code == 302
    [link] = links()
    assert (link.file.content_type, link.filename) == (content_type, "IMG 001.jpg")
    sha = hashlib.sha256(content).hexdigest()
    assert path_for(sha).read_bytes() == content
    assert path_for(sha).is_relative_to(evidence_dir)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "evidence_added"))
    assert event.details["follow_up_id"] == follow_up.id

    login_as(cast["officer"])
    page = client.get(f"/visits/follow-ups/{follow_up.id}").text
    assert f'href="/evidence/{link.id}"' in page and "IMG 001.jpg" in page
    served = client.get(f"/evidence/{link.id}")
    assert served.status_code == 200 and served.data == content
    assert served.mimetype == content_type
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert served.headers["Content-Disposition"].startswith("inline")


def test_a_pdf_is_downloaded_never_shown(client, login_as, cast, follow_up):
    content = tiny_pdf()
    login_as(cast["manager"])
    assert answer(client, follow_up, content, name="training log.pdf").status_code == 302
    [link] = links()
    served = client.get(f"/evidence/{link.id}")
    assert served.mimetype == "application/pdf" and served.data == content
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_html_named_as_a_photo_is_refused_and_the_answer_kept(client, login_as, cast,
                                                              follow_up):
    login_as(cast["manager"])
    refused = answer(client, follow_up, b"<html><script>alert(1)</script></html>",
                     name="photo.jpg", note="Kept note")
    assert refused.status_code == 200
    assert "The selected file must be a JPG, PNG, WebP or HEIC photo, or a PDF" in refused.text
    assert 'href="#evidence"' in refused.text  # in the error summary
    assert "Kept note" in refused.text
    assert links() == [] and db.session.scalar(select(func.count(EvidenceFile.id))) == 0
    db.session.expire_all()
    assert db.session.get(FollowUp, follow_up.id).status == "open"
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    assert sniff(svg) is None


def test_an_oversized_file_is_refused_clearly_and_earlier_evidence_kept(app, client, login_as,
                                                                        cast, follow_up,
                                                                        monkeypatch):
    login_as(cast["manager"])
    assert answer(client, follow_up, picture("PNG")).status_code == 302
    db.session.get(FollowUp, follow_up.id).status = "returned"
    db.session.flush()
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 100 * KB)
    big = picture("JPEG") + b"\0" * (100 * KB + 10)  # still a JPEG by its first bytes
    refused = answer(client, follow_up, big, note="Second try")
    assert refused.status_code == 200
    assert "The selected file must be smaller than 100KB" in refused.text
    assert "Second try" in refused.text
    huge = picture("JPEG") + b"\0" * (400 * KB)  # bigger than the body limit itself
    too_big = answer(client, follow_up, huge)
    assert too_big.status_code == 413
    assert "The selected file must be smaller than 100KB" in too_big.text
    assert len(links()) == 1  # the photo sent with the first answer is still there


def test_the_same_file_twice_is_stored_once(client, login_as, cast, follow_up, evidence_dir):
    content = picture("JPEG")
    other = FollowUpFactory(visit=follow_up.visit, action="Train the Saturday staff")
    login_as(cast["manager"])
    answer(client, follow_up, content, name="a.jpg")
    answer(client, other, content, name="b.jpg")
    assert [link.filename for link in links()] == ["a.jpg", "b.jpg"]
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 1
    stored = [p for p in evidence_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_another_shops_manager_and_staff_cannot_see_the_file(client, login_as, cast,
                                                             follow_up):
    login_as(cast["manager"])
    answer(client, follow_up, picture("PNG"))
    [link] = links()
    login_as(cast["other_manager"])
    assert client.get(f"/evidence/{link.id}").status_code in (403, 404)
    assert client.get("/evidence/999999").status_code == 404


def test_an_officer_attaches_a_photo_to_a_checklist_finding(client, login_as, cast, checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"])
    item = checklist[0]
    url = f"/visits/{visit.id}/checklist/{item.group_position}"
    page = client.get(url).text
    assert f'name="evidence_{item.id}"' in page and 'enctype="multipart/form-data"' in page
    content = picture("JPEG", colour=(10, 120, 10))
    saved = client.post(url, content_type="multipart/form-data", data={
        f"item_{item.id}": "no", f"note_{item.id}": "No sign", "lock_version": lock_from(page),
        f"evidence_{item.id}": (io.BytesIO(content), "no-sign.jpg")})
    assert saved.status_code == 302
    [link] = links()
    assert (link.visit_id, link.item_key) == (visit.id, item.key)
    detail = client.get(f"/visits/{visit.id}").text
    assert f'href="/evidence/{link.id}"' in detail and "no-sign.jpg" in detail
    assert client.get(f"/evidence/{link.id}").data == content
    # The shop's managers never see officers' checklist evidence.
    login_as(cast["manager"])
    assert client.get(f"/evidence/{link.id}").status_code in (403, 404)


def test_a_refused_checklist_file_keeps_the_findings_typed(client, login_as, cast, checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"])
    item = checklist[0]
    url = f"/visits/{visit.id}/checklist/{item.group_position}"
    page = client.get(url).text
    refused = client.post(url, content_type="multipart/form-data", data={
        f"item_{item.id}": "no", f"note_{item.id}": "Typed note",
        "lock_version": lock_from(page),
        f"evidence_{item.id}": (io.BytesIO(b"MZ\x90\0 not a photo"), "x.png")})
    assert refused.status_code == 200
    assert "must be a JPG, PNG, WebP or HEIC photo, or a PDF" in refused.text
    assert "Typed note" in refused.text and links() == []
    assert re.search(rf'name="item_{item.id}" type="radio" value="no" checked', refused.text)


def test_the_same_photo_sent_twice_for_one_check_is_listed_once(client, login_as, cast,
                                                                 checklist):
    login_as(cast["officer"])
    visit = start_visit(client, cast["shop"])
    item = checklist[0]
    url = f"/visits/{visit.id}/checklist/{item.group_position}"
    content = picture("PNG")
    for _ in range(2):  # a double tap, or the page sent again
        page = client.get(url).text
        client.post(url, content_type="multipart/form-data", data={
            f"item_{item.id}": "yes", "lock_version": lock_from(page),
            f"evidence_{item.id}": (io.BytesIO(content), "shelf.png")})
    assert len(links()) == 1
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_added"))
    assert len(list(events)) == 1
