"""Email through a real SMTP server on 127.0.0.1 (aiosmtpd), and the log backend."""

import logging

import pytest

from compliance.mail import Attachment, Email, LogMailer, SMTPMailer
from tests.smtp import smtp_server as real_smtp_server

pytestmark = pytest.mark.no_db


@pytest.fixture
def smtp_server():
    with real_smtp_server() as server:
        yield server


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


def test_log_mailer_is_heard_when_nobody_configured_logging(tmp_path):
    """As under gunicorn: the root logger at WARNING, no handlers configured by anyone."""
    import subprocess
    import sys

    from tests.conftest import key_settings

    config = {"SECRET_KEY": "x", "MAIL_BACKEND": "log",
              "PUBLIC_BASE_URL": "https://portal.example.org",
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}", **key_settings()}
    script = (
        "from compliance import create_app\n"
        "from compliance.mail import Email, get_mailer\n"
        f"app = create_app({config!r})\n"
        "with app.app_context():\n"
        "    get_mailer().send(Email(to='jo@example.com', subject='Reset your password',"
        " body='Link: https://example.org/r'))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("SECRET_KEY", "DATABASE_URL")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert "Email to jo@example.com: Reset your password" in done.stderr
    assert "https://example.org/r" in done.stderr
