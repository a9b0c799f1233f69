"""Every GET page that writes is declared, so that on SQLite it takes the write lock first
(compliance.sqlite): a deferred read-then-write transaction fails under concurrent users."""

from flask import has_request_context, request
from sqlalchemy import event

from compliance.extensions import db
from compliance.sqlite import WRITING_GET_ENDPOINTS, begin_statement
from tests.functional.test_access_matrix import ROUTES, WHO, _ids


def test_every_get_page_that_writes_is_declared(app, client, login_as, people):
    ids = _ids(people)
    writers = set()

    def _before(_conn, _cursor, statement, *_args):
        if has_request_context() and request.method == "GET" and \
                statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writers.add(request.endpoint)

    engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine
    event.listen(engine, "before_cursor_execute", _before)
    try:
        for url, codes in ROUTES.items():
            for who, code in zip(WHO, codes, strict=True):
                if code == 200:
                    with client.session_transaction() as session:
                        session.clear()
                        if who != "anonymous":
                            session["_user_id"] = people[who].get_id()
                    client.get(url.format(**ids))
    finally:
        event.remove(engine, "before_cursor_execute", _before)
    assert writers, "the verify pages count look-ups"
    assert writers <= WRITING_GET_ENDPOINTS


def test_writing_requests_begin_immediately(app):
    with app.test_request_context("/x", method="POST"):
        assert begin_statement() == "BEGIN IMMEDIATE"
    with app.test_request_context("/x", method="GET"):
        assert begin_statement() == "BEGIN"
    assert begin_statement() == "BEGIN"  # outside requests (CLI, tests)
