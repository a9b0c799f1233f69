"""Real parts for job tests: Redis (db 5, emptied per test), RQ workers in burst mode, SMTP
(tests/smtp.py's server, started when the test says the mail server is back)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import redis

from compliance.jobs import queue
from compliance.models import Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.training.test_routes import (  # noqa: F401 - content is a fixture
    answer_all,
    content,
    open_attempt,
    read_all,
)
from tests.smtp import Inbox, free_port, smtp_server


@pytest.fixture
def redis_mode(app, monkeypatch) -> Iterator[redis.Redis]:
    """JOBS_MODE "redis" on the test Redis database, empty before and after the test."""
    monkeypatch.setitem(app.config, "JOBS_MODE", "redis")
    app.extensions.pop("jobs_redis", None)
    conn = queue.connection()
    conn.flushdb()  # a real Redis is required, as for the rate-limit test
    yield conn
    conn.flushdb()
    app.extensions.pop("jobs_redis", None)


@pytest.fixture
def smtp(app, monkeypatch):
    """Mail goes over SMTP to 127.0.0.1:<port>; nothing listens there until start() is called."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_SMTP_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_SMTP_STARTTLS", False)
    app.extensions.pop("mailer", None)

    class Server:
        inbox = Inbox()
        running = ExitStack()

        def start(self) -> None:
            self.running.enter_context(smtp_server(port, self.inbox))

    server = Server()
    with server.running:
        yield server
    app.extensions.pop("mailer", None)


@pytest.fixture
def learner(login_as):
    premises = PremisesFactory()
    return login_as(UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                                email="nia.learner@example.com"))


def pass_quiz(client, user):
    """Read every module, answer every question right, and submit: the real pages."""
    read_all(client)
    client.post("/training/quiz")
    attempt = open_attempt(user)
    answer_all(client, attempt, right=True)
    return attempt, client.post(f"/training/quiz/{attempt.id}/check")
