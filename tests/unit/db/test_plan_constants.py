"""plan_constants.with_fixed_words: a statement's own words go into its SQL text as quoted
literals, values bound per request stay parameters, and SQLAlchemy's compiled-statement cache
never hands one statement's words to another of the same shape."""

from __future__ import annotations

from sqlalchemy import Integer, bindparam, event, func, select

from compliance.extensions import db
from compliance.models import Visit
from compliance.plan_constants import with_fixed_words
from tests.visit_factories import OfficerFactory, VisitFactory

OFFICER = bindparam("officer", type_=Integer())


def _count(status: str):
    return with_fixed_words(select(func.count(Visit.id)).where(
        Visit.status == status, Visit.officer_id == OFFICER))


def _sent(statement, values) -> tuple[str, dict]:
    sent: list[tuple[str, dict]] = []
    engine = db.engine

    def _capture(_conn, _cursor, sql, parameters, _context, _many):
        sent.append((sql, parameters))

    event.listen(engine, "before_cursor_execute", _capture)
    try:
        db.session.execute(statement, values).all()
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    return sent[-1]


def test_the_words_are_in_the_text_and_the_values_are_parameters(app):
    officer = OfficerFactory()
    sql, parameters = _sent(_count("submitted"), {"officer": officer.id})
    values = list(parameters.values() if isinstance(parameters, dict) else parameters)
    assert "'submitted'" in sql
    assert "submitted" not in values
    assert values == [officer.id]


def test_statements_of_one_shape_keep_their_own_words(app):
    """The compiled form is cached by shape; each statement still runs with its own word."""
    officer = OfficerFactory()
    VisitFactory(officer=officer)  # submitted
    for _ in range(2):
        VisitFactory(officer=officer, status="draft", submitted_at=None)
    db.session.flush()
    for _ in range(3):
        assert db.session.scalar(_count("submitted"), {"officer": officer.id}) == 1
        assert db.session.scalar(_count("draft"), {"officer": officer.id}) == 2


def test_a_quote_in_a_word_is_quoted(app):
    officer = OfficerFactory()
    assert db.session.scalar(_count("it's"), {"officer": officer.id}) == 0


def test_a_list_of_words_is_written_in_the_text_too(app):
    officer = OfficerFactory()
    VisitFactory(officer=officer)
    statement = with_fixed_words(select(func.count(Visit.id)).where(
        Visit.status.in_(("submitted", "draft")), Visit.officer_id == OFFICER))
    sql, parameters = _sent(statement, {"officer": officer.id})
    assert "'submitted', 'draft'" in sql
    assert list(parameters.values() if isinstance(parameters, dict) else parameters) == [
        officer.id]
    assert db.session.scalar(statement, {"officer": officer.id}) == 1
