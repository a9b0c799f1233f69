"""Run the background jobs a test's work enqueued, as the end of a request would."""

from compliance.extensions import db
from compliance.jobs import outbox
from compliance.models import Certificate, JobOutbox


def settle() -> int:
    """Run the jobs the test's session enqueued (inline mode), then re-read their results.

    A request commits and its app context dispatches; a test holds its session open instead
    (its objects stay loaded), so the jobs are handed over directly after a flush: they run in
    sessions of their own on the test's connection and see its rows.
    """
    db.session.flush()
    ids = [row.id for row in db.session.info.pop(outbox.PENDING, [])]
    outbox._dispatch(ids)
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Certificate | JobOutbox):
            db.session.expire(obj)
    return len(ids)
