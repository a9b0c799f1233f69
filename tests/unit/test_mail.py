"""Email through a real SMTP server on 127.0.0.1 (aiosmtpd), and the log backend."""

import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from compliance.mail import Attachment, Email, LogMailer, SMTPMailer

pytestmark = pytest.mark.no_db


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def test_smtp_mailer_sends_text_and_attachments(app, smtp_server):
    controller, inbox = smtp_server
    settings = {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": controller.port,
                "MAIL_SMTP_STARTTLS": False, "MAIL_SMTP_USERNAME": None,
                "MAIL_SENDER": "portal@example.com"}
    original = {k: app.config.get(k) for k in settings}
    app.config.update(settings)
    try:
        SMTPMailer(app).send(Email(to="jo@example.com", subject="Your certificate",
                                   body="Attached.", attachments=(Attachment(
                                       "c.pdf", "application/pdf", b"%PDF-1.7 x"),)))
    finally:
        app.config.update(original)
    message = inbox.messages[0]
    assert message["To"] == "jo@example.com" and message["From"] == "portal@example.com"
    parts = list(message.walk())
    assert any(p.get_filename() == "c.pdf" for p in parts)


def test_log_mailer_writes_to_the_log(app, caplog):
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        LogMailer(app).send(Email(to="jo@example.com", subject="Hello", body="Link: x",
                                  attachments=(Attachment("c.pdf", "application/pdf", b""),)))
    assert "Email to jo@example.com: Hello" in caplog.text and "[attached: c.pdf]" in caplog.text
