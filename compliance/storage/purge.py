"""Removing evidence files that nothing refers to: the bytes a request wrote before it rolled
back (a failed upload, a race lost), and temporary files a crash left half-written.

A file is stored before its row is committed (compliance/storage), so a file with no row is
either one of those or an upload still in progress. Only files untouched for `older_than` are
removed, and storing bytes that are already on disk touches the file first, so a new upload of
the same bytes keeps it. Files with a row are never removed: evidence is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import EvidenceFile

_STORED = re.compile(r"[0-9a-f]{64}")
_TEMPORARY = (".upload-", ".purging-")  # a write or a purge a crash cut short
BATCH = 500  # names looked up a statement


@dataclass(frozen=True)
class Purged:
    files: int
    temporary: int
    kept_bytes: int  # of the orphans too recent to remove yet


def _untouched_since(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _remove(path: Path, cutoff: float) -> bool:
    """Move the file aside, then remove it only if still untouched: an upload of the same bytes
    either touched it first (it goes back) or finds it gone and writes it again."""
    aside = path.with_name(".purging-" + path.name)
    try:
        path.rename(aside)
    except FileNotFoundError:
        return False
    if _untouched_since(aside, cutoff):
        aside.unlink(missing_ok=True)
        return True
    aside.rename(path)
    return False


def _candidates(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and len(folder.name) == 2:
            yield from sorted(folder.iterdir())


def purge(root: Path, older_than: timedelta, now: datetime | None = None) -> Purged:
    """Remove the files under `root` with no evidence_files row, untouched for `older_than`."""
    cutoff = ((now or datetime.now(UTC)) - older_than).timestamp()
    removed = temporary = kept = 0
    batch: list[Path] = []

    def settle(paths: list[Path]) -> tuple[int, int]:
        known = set(db.session.scalars(select(EvidenceFile.sha256).where(
            EvidenceFile.sha256.in_([p.name for p in paths]))))
        gone = waiting = 0
        for path in paths:
            if path.name in known:
                continue
            if _untouched_since(path, cutoff) and _remove(path, cutoff):
                gone += 1
            else:
                waiting += path.stat().st_size if path.exists() else 0
        return gone, waiting

    for path in _candidates(root):
        if path.name.startswith(_TEMPORARY):
            if _untouched_since(path, cutoff):
                path.unlink(missing_ok=True)
                temporary += 1
        elif _STORED.fullmatch(path.name) and path.name.startswith(path.parent.name):
            batch.append(path)
            if len(batch) == BATCH:
                gone, waiting = settle(batch)
                removed, kept, batch = removed + gone, kept + waiting, []
    if batch:
        gone, waiting = settle(batch)
        removed, kept = removed + gone, kept + waiting
    return Purged(removed, temporary, kept)
