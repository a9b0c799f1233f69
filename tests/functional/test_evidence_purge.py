"""`flask --app compliance evidence purge`: the files a rolled-back upload left behind go once
they have been untouched for a day; evidence a row names, recent uploads and a new upload of
the same bytes are kept."""

from __future__ import annotations

import os
import time

import pytest

from compliance import storage
from compliance.extensions import db
from compliance.storage.purge import _remove
from tests.functional.visits.test_evidence import picture

DAY = 24 * 3600


@pytest.fixture(autouse=True)
def _own_folder(app, tmp_path, monkeypatch):
    """A storage folder of this test's own (other tests' rolled-back uploads are orphans too)."""
    monkeypatch.setitem(app.config, "EVIDENCE_STORAGE_DIR", str(tmp_path))


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _rolled_back_upload(data: bytes, name: str = "photo.png"):
    """Bytes stored by a request that then failed: on disk, with no row."""
    nested = db.session.begin_nested()
    stored = storage.store(data, name)
    nested.rollback()
    return storage.path_for(stored.sha256)


def test_the_purge_removes_only_old_files_no_evidence_names(app, runner):
    kept = storage.store(picture("PNG", (10, 20, 30)), "kept.png")
    db.session.flush()
    kept_path = storage.path_for(kept.sha256)
    old_orphan = _rolled_back_upload(picture("PNG", (40, 50, 60)))
    new_orphan = _rolled_back_upload(picture("PNG", (70, 80, 90)))
    half_written = kept_path.parent / ".upload-abc123"
    half_written.write_bytes(b"half")
    for path in (kept_path, old_orphan, half_written):
        _age(path, 2 * DAY)
    _age(new_orphan, 3600)  # an hour: perhaps an upload still in progress

    result = runner.invoke(args=["evidence", "purge"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 file(s) no evidence refers to and 1 unfinished write(s)" in result.output
    assert kept_path.exists() and new_orphan.exists()
    assert not old_orphan.exists() and not half_written.exists()
    assert storage.read(db.session.get(storage.EvidenceFile, kept.id)) == \
        picture("PNG", (10, 20, 30))

    assert "Removed 1 file(s)" in runner.invoke(
        args=["evidence", "purge", "--older-than-hours", "1"]).output
    assert not new_orphan.exists()


def test_a_new_upload_of_an_old_orphans_bytes_keeps_them(app, runner):
    data = picture("PNG", (1, 2, 3))
    orphan = _rolled_back_upload(data)
    _age(orphan, 2 * DAY)
    # Another upload of the same bytes, its row not committed yet (the purge cannot see it):
    # storing them touched the file it is about to name.
    assert _rolled_back_upload(data) == orphan
    assert "Removed 0 file(s)" in runner.invoke(args=["evidence", "purge"]).output
    again = storage.store(data, "again.png")
    db.session.flush()
    assert storage.read(db.session.get(storage.EvidenceFile, again.id)) == data


def test_a_file_touched_while_it_is_set_aside_goes_back(app):
    """The purge moves a file aside before removing it: if it was touched in between (an
    upload of the same bytes), it goes back where it was."""
    orphan = _rolled_back_upload(picture("PNG", (4, 5, 6)))
    _age(orphan, 2 * DAY)
    cutoff = time.time() - DAY
    os.utime(orphan)  # the upload's touch lands after the purge looked at the age
    assert _remove(orphan, cutoff) is False
    assert orphan.exists() and not orphan.with_name(".purging-" + orphan.name).exists()
    _age(orphan, 2 * DAY)
    assert _remove(orphan, cutoff) is True and not orphan.exists()
