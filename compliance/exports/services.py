"""Asking for an export, reading its state, and building it (the job's work)."""

from __future__ import annotations

import gzip
import hashlib
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from compliance import jobs
from compliance.audit import Actor
from compliance.exports.kinds import kind_named
from compliance.extensions import db
from compliance.models import Export, JobOutbox
from compliance.models.base import utcnow

BUILD_JOB = "exports.build"
# A second press of the button while the first is still being prepared gets the first.
SAME_REQUEST = timedelta(minutes=5)


def keep_days() -> int:
    return int(current_app.config["EXPORT_KEEP_DAYS"])


def folder() -> Path:
    configured = current_app.config.get("EXPORT_STORAGE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "exports"


def path_of(export: Export) -> Path | None:
    return folder() / export.stored_name if export.stored_name else None


def compressible(content_type: str | None) -> bool:
    """Text (a CSV) shrinks about tenfold gzipped; a PDF or ZIP is compressed already."""
    return bool(content_type) and content_type.split(";")[0].strip().startswith("text/")


def gzip_path_of(export: Export) -> Path | None:
    """The gzipped copy kept beside a text export's file, if it has one (exports built before
    copies were kept have none)."""
    path = path_of(export)
    if path is None or not compressible(export.content_type):
        return None
    gz = path.with_name(path.name + ".gz")
    return gz if gz.is_file() else None


def prepare(kind: str, params: dict[str, Any], actor: Actor) -> Export:
    """An export of `kind` for the actor, built by a job after the caller commits."""
    kind_named(kind)  # an unknown kind fails here, in the request
    waiting = db.session.scalar(
        select(Export).outerjoin(JobOutbox, Export.job_id == JobOutbox.id)
        .where(Export.requested_by_id == actor.user_id, Export.kind == kind,
               Export.ready_at.is_(None), JobOutbox.dead_at.is_(None),
               Export.requested_at >= utcnow() - SAME_REQUEST)
        .order_by(Export.id.desc()).limit(1))
    if waiting is not None and waiting.params == params:
        return waiting
    export = Export(kind=kind, params=params, requested_by_id=actor.user_id)
    db.session.add(export)
    db.session.flush()
    job = jobs.enqueue(BUILD_JOB, export_id=export.id)
    db.session.flush()
    export.job_id = job.id
    db.session.flush()
    return export


def load(export_id: int, user_id: int) -> tuple[Export, JobOutbox | None] | None:
    """The export and its job, if it is this user's (nobody else's exports are visible)."""
    row = db.session.execute(
        select(Export, JobOutbox).outerjoin(JobOutbox, Export.job_id == JobOutbox.id)
        .where(Export.id == export_id, Export.requested_by_id == user_id)).first()
    return (row[0], row[1]) if row else None


def state(export: Export, job: JobOutbox | None) -> str:
    if export.ready_at is not None:
        return "ready"
    if job is None or job.dead_at is not None:
        return "failed"
    return "preparing"


class _Hashing:
    """The file being written, counting and hashing what goes in."""

    def __init__(self, raw) -> None:
        self.raw, self.sha, self.size = raw, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:  # zipfile flushes as it goes (it writes without seeking here)
        self.raw.flush()


@jobs.job(BUILD_JOB)
def build(export_id: int) -> None:
    """Build and keep the file (idempotent: a built export is left as it is), and forget
    exports older than EXPORT_KEEP_DAYS while here. The file is written under a temporary
    name and renamed when complete, so a download never sees half a file."""
    export = db.session.get(Export, export_id)
    if export is None or export.ready_at is not None:
        return
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target, prefix=".building-", delete=False) as raw:
        try:
            out = _Hashing(raw)
            built = kind_named(export.kind).build(export.params, out)
        except BaseException:
            os.unlink(raw.name)
            raise
    name = f"{export.id}-{secrets.token_hex(8)}"
    if compressible(built.content_type):
        _gzip_copy(Path(raw.name), target / f"{name}.gz")
    os.replace(raw.name, target / name)
    export.stored_name, export.size, export.sha256 = name, out.size, out.sha.hexdigest()
    export.filename, export.content_type = built.filename, built.content_type
    export.ready_at = utcnow()
    purge()
    db.session.flush()


def _gzip_copy(source: Path, target: Path) -> None:
    """A gzipped copy of the file for clients that accept it (every browser): a 500,000-row
    CSV is about 30 MB, its copy about 3. Written a chunk at a time under a temporary name,
    renamed when complete."""
    partial = target.with_name(".building-" + target.name)
    try:
        # Readable by this user only, like the file itself (it may hold officers' notes).
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with source.open("rb") as raw, open(fd, "wb") as file, \
                gzip.GzipFile(fileobj=file, mode="wb", compresslevel=6, mtime=0) as out:
            while chunk := raw.read(1 << 20):
                out.write(chunk)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def purge() -> int:
    """Forget exports older than EXPORT_KEEP_DAYS, files and rows."""
    old = list(db.session.scalars(select(Export).where(
        Export.requested_at < utcnow() - timedelta(days=keep_days()))))
    for export in old:
        path = path_of(export)
        if path is not None:
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".gz").unlink(missing_ok=True)
    if old:
        db.session.execute(delete(Export).where(Export.id.in_([e.id for e in old])))
    return len(old)
