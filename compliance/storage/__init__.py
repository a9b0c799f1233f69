"""Evidence file storage: `store(bytes, filename)` keeps a photo or PDF once, by SHA-256.

The type comes from the bytes (JPEG, PNG, WebP, HEIC/HEIF, PDF), never from the name or
what the browser claims, so a page of HTML called photo.jpg is refused. Files live under
EVIDENCE_STORAGE_DIR (the instance folder's evidence/ by default) at <sha[:2]>/<sha>; the row
in evidence_files is the index. A file written by a request that then rolls back is left for
the next upload of the same bytes to reuse: it is named by its content, so it is never wrong;
`flask --app compliance evidence purge` removes such files once untouched for a day
(storage/purge.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from compliance.extensions import db
from compliance.models import EvidenceFile

# Brands of an ISO base media file that are still pictures from a phone camera.
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


class StorageError(Exception):
    """The file cannot be kept as evidence."""


class EmptyFile(StorageError):
    pass


class FileTooLarge(StorageError):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes)
        self.max_bytes = max_bytes


class UnsupportedType(StorageError):
    """Not a JPEG, PNG, WebP, HEIC/HEIF picture or a PDF, whatever its name says."""


@dataclass(frozen=True)
class StoredFile:
    id: int
    sha256: str
    content_type: str
    size: int
    filename: str  # the name it was uploaded with, cleaned, for showing and downloading
    created: bool  # False when the same bytes were already stored


def sniff(data: bytes) -> str | None:
    """The file's type from its first bytes, or None when it is not one we keep."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIC_BRANDS:
            return "image/heic"
        if brand in _HEIF_BRANDS:
            return "image/heif"
    return None


def max_bytes() -> int:
    return int(current_app.config["EVIDENCE_MAX_BYTES"])


def check(data: bytes) -> str:
    """The sniffed type of an acceptable file; raises a StorageError otherwise."""
    if not data:
        raise EmptyFile
    if len(data) > max_bytes():
        raise FileTooLarge(max_bytes())
    content_type = sniff(data)
    if content_type is None:
        raise UnsupportedType
    return content_type


def clean_filename(filename: str | None, content_type: str) -> str:
    """The last part of the uploaded name, without control characters, at most 200 long."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(c for c in name if c.isprintable()).strip()[-200:]
    return name or ("evidence.pdf" if content_type == "application/pdf" else "photo")


def root() -> Path:
    configured = current_app.config.get("EVIDENCE_STORAGE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "evidence"


def path_for(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def _write(sha256: str, data: bytes) -> None:
    target = path_for(sha256)
    if target.exists():
        # Touched, so the purge of files no row names (storage/purge.py) leaves the bytes this
        # upload is about to name.
        try:
            os.utime(target)
            return
        except FileNotFoundError:  # purged just now: write it again
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target, then renamed: a reader never sees half a file.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store(data: bytes, filename: str | None) -> StoredFile:
    """Keep a file (once per content) and return what the evidence links need."""
    content_type = check(data)
    sha256 = hashlib.sha256(data).hexdigest()
    _write(sha256, data)
    name = clean_filename(filename, content_type)
    existing = db.session.scalar(select(EvidenceFile).where(EvidenceFile.sha256 == sha256))
    if existing is not None:
        return StoredFile(existing.id, sha256, existing.content_type, existing.size, name, False)
    row = EvidenceFile(sha256=sha256, content_type=content_type, size=len(data))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same bytes, uploaded at the same moment by someone else
        row = db.session.scalars(select(EvidenceFile).where(EvidenceFile.sha256 == sha256)).one()
        return StoredFile(row.id, sha256, row.content_type, row.size, name, False)
    return StoredFile(row.id, sha256, content_type, len(data), name, True)


def read(evidence: EvidenceFile) -> bytes:
    """A stored file's bytes, checked against its name (a changed file is not served)."""
    data = path_for(evidence.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise StorageError("stored file does not match its hash")
    return data


__all__ = ["EmptyFile", "FileTooLarge", "StorageError", "StoredFile", "UnsupportedType",
           "check", "max_bytes", "read", "sniff", "store"]
