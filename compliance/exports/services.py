"""Asking for an export, reading its state, and building it (the job's work)."""

from __future__ import annotations

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
    os.replace(raw.name, target / name)
    export.stored_name, export.size, export.sha256 = name, out.size, out.sha.hexdigest()
    export.filename, export.content_type = built.filename, built.content_type
    export.ready_at = utcnow()
    purge()
    db.session.flush()


def purge() -> int:
    """Forget exports older than EXPORT_KEEP_DAYS, files and rows."""
    old = list(db.session.scalars(select(Export).where(
        Export.requested_at < utcnow() - timedelta(days=keep_days()))))
    for export in old:
        path = path_of(export)
        if path is not None:
            path.unlink(missing_ok=True)
    if old:
        db.session.execute(delete(Export).where(Export.id.in_([e.id for e in old])))
    return len(old)
