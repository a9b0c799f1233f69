"""Storage: the type from the bytes, the limit, one copy per content, a changed file refused."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from compliance import storage
from compliance.extensions import db
from compliance.models import EvidenceFile


@pytest.fixture(autouse=True)
def folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_STORAGE_DIR", str(tmp_path))
    return tmp_path


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("head, expected", [
    (b"\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\0\0", "image/png"),
    (b"RIFF\x10\0\0\0WEBPVP8 ", "image/webp"),
    (b"%PDF-1.7\n", "application/pdf"),
    (b"\0\0\0\x18ftypheic\0\0\0\0", "image/heic"),
    (b"\0\0\0\x18ftypmif1\0\0\0\0", "image/heif"),
    (b"\0\0\0\x18ftypisom\0\0\0\0", None),  # an MP4 video
    (b"<!doctype html><script>", None),
    (b'<svg xmlns="http://www.w3.org/2000/svg">', None),
    (b"GIF89a", None),
    (b"", None),
])
def test_sniff(head, expected):
    assert storage.sniff(head) == expected


@pytest.mark.parametrize("name, cleaned", [
    ("../../etc/passwd.jpg", "passwd.jpg"),
    ("C:\\Users\\pat\\sign.png", "sign.png"),
    ("bad\x00\x1bname.png", "badname.png"),
    ("", "photo"),
    (None, "photo"),
])
def test_clean_filename(name, cleaned):
    assert storage.clean_filename(name, "image/png") == cleaned


def test_store_keeps_one_copy_and_reads_it_back(folder):
    data = png()
    first = storage.store(data, "a.png")
    second = storage.store(data, "b.png")
    assert (first.created, second.created) == (True, False)
    assert first.id == second.id and second.filename == "b.png"
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 1
    assert [p.name for p in folder.rglob("*") if p.is_file()] == [first.sha256]
    assert storage.read(db.session.get(EvidenceFile, first.id)) == data


def test_a_changed_file_on_disk_is_not_served(folder):
    stored = storage.store(png(), "a.png")
    storage.path_for(stored.sha256).write_bytes(b"\x89PNG\r\n\x1a\nchanged")
    with pytest.raises(storage.StorageError):
        storage.read(db.session.get(EvidenceFile, stored.id))


def test_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 100)
    with pytest.raises(storage.FileTooLarge) as exc:
        storage.store(b"%PDF-" + b"0" * 100, "big.pdf")
    assert exc.value.max_bytes == 100
    with pytest.raises(storage.EmptyFile):
        storage.store(b"", "empty.pdf")
    with pytest.raises(storage.UnsupportedType):
        storage.store(b"<html>", "page.jpg")
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 0


def test_default_folder_is_the_instance_folder(app, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_STORAGE_DIR", None)
    assert storage.root() == __import__("pathlib").Path(app.instance_path) / "evidence"
