"""A PostgreSQL engine of its own (one pooled connection) for the connection-handling tests;
they skip on SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from compliance.extensions import db


@pytest.fixture
def pg_engine(app) -> Iterator[Engine]:
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL connection handling")
    engine = create_engine(url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()
