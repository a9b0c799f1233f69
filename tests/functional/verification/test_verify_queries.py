"""The public verify page and JSON look a premises certificate's conditions up once a request."""

from __future__ import annotations

from sqlalchemy import event

from compliance.extensions import db
from tests.functional.verification.test_verification import set_rating, shop, verified

__all__ = ["shop"]  # the fixture, used by name


def statements_during(client, path: str) -> list[str]:
    seen: list[str] = []
    engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine

    def _after(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "after_cursor_execute", _after)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "after_cursor_execute", _after)
    assert response.status_code == 200
    return seen


def test_verify_looks_up_each_condition_once(client, login_as, shop):
    cert = verified(client, login_as, shop)
    client.post("/auth/sign-out")
    for path in (f"/verify/{cert.code}", f"/verify/{cert.code}.json"):
        statements = statements_during(client, path)
        latest_rating = [s for s in statements if "FROM assessments" in s]
        unresolved = [s for s in statements if "FROM test_purchases" in s]
        assert len(latest_rating) == 1, path
        assert len(unresolved) == 1, path
        queries = [s for s in statements if "SAVEPOINT" not in s]
        assert len(queries) <= 7, queries
        # The certificate is not selected again after the commit (the page shows it as loaded).
        certificate_by_id = [s for s in queries if "FROM certificates" in s
                             and "WHERE certificates.id =" in " ".join(s.split())]
        assert certificate_by_id == [], path


def test_verify_still_audits_and_shows_a_lapse_first_seen_there(client, login_as, shop):
    from sqlalchemy import select

    from compliance.models import AuditEvent

    cert = verified(client, login_as, shop)
    set_rating(shop["premises"], "red")
    data = client.get(f"/verify/{cert.code}.json").json
    assert data["status"] == "suspended" and data["suspended_reasons"]
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_id == cert.id, AuditEvent.action == "certificate_suspended")))
    assert actions == ["certificate_suspended"]
    client.get(f"/verify/{cert.code}")  # seen again: no second audit entry
    assert db.session.scalar(select(db.func.count(AuditEvent.id)).where(
        AuditEvent.target_id == cert.id, AuditEvent.action == "certificate_suspended")) == 1
