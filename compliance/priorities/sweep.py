"""The job worker's upkeep of the priority table: store the new scores of shops whose dates
have passed (the same as `flask --app compliance priorities rescore`, without the cron entry)."""

from __future__ import annotations

from compliance.extensions import db
from compliance.jobs.registry import sweep
from compliance.priorities.scoring import rescore


@sweep("priorities.rescore")
def rescore_stale() -> int:
    """How many premises were rescored (none when no stored score has gone stale)."""
    return rescore(db.session.connection(), only_stale=True)
