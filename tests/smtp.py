"""A real SMTP server (aiosmtpd) on a free port of 127.0.0.1, for the tests that send mail."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Inbox(Message):
    """Keeps every message the server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int | None = None,
                inbox: Inbox | None = None) -> Iterator[tuple[Controller, Inbox]]:
    """Serve SMTP on `port` (a free one by default) into `inbox` (a new one by default):
    pass both to bring back a server a test had down, keeping what it already received."""
    inbox = inbox if inbox is not None else Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()
