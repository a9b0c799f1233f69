"""Real parts for job tests: Redis (db 5, emptied per test), RQ workers in burst mode, SMTP."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import redis
from aiosmtpd.controller import Controller

from compliance.jobs import queue
from compliance.models import Role
from tests.factories import PremisesFactory, UserFactory
from tests.functional.training.test_routes import (  # noqa: F401 - content is a fixture
    answer_all,
    content,
    open_attempt,
    read_all,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


class Inbox:
    """What a real SMTP server (aiosmtpd) received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


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
        controller: Controller | None = None

        def start(self) -> None:
            self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

    server = Server()
    yield server
    if server.controller is not None:
        server.controller.stop()
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
