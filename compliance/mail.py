"""One small interface for email: logged in development, SMTP in production, kept in tests.

Pages send through `queued_mailer()`: the email becomes a background job written in the same
transaction, so a dead mail server never breaks a page and the email goes out when it is back.
`get_mailer()` is the transport itself, used by jobs and commands.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from flask import Flask, current_app


@dataclass(frozen=True)
class Attachment:
    filename: str
    mimetype: str
    content: bytes


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...


class LogMailer:
    """Writes each message to the application log (development and demo).

    Its own logger sits at INFO: under gunicorn the app logger inherits WARNING from the root
    logger, and reset and invitation emails would otherwise vanish. Records still reach the
    app logger's handlers (Flask's default handler writes to the server's error stream).
    """

    def __init__(self, app: Flask) -> None:
        self.logger = logging.getLogger(f"{app.logger.name}.mail")
        if self.logger.level == logging.NOTSET:
            self.logger.setLevel(logging.INFO)

    def send(self, email: Email) -> None:
        self.logger.info("Email to %s: %s\n%s%s", email.to, email.subject, email.body,
                             "".join(f"\n[attached: {a.filename}]" for a in email.attachments))


class MemoryMailer:
    """Keeps messages in a list, for tests."""

    def __init__(self) -> None:
        self.outbox: list[Email] = []

    def send(self, email: Email) -> None:
        self.outbox.append(email)


class SMTPMailer:
    def __init__(self, app: Flask) -> None:
        self.config = app.config

    def send(self, email: Email) -> None:
        msg = EmailMessage()
        msg["From"] = self.config["MAIL_SENDER"]
        msg["To"] = email.to
        msg["Subject"] = email.subject
        msg.set_content(email.body)
        for a in email.attachments:
            maintype, subtype = a.mimetype.split("/", 1)
            msg.add_attachment(a.content, maintype=maintype, subtype=subtype,
                               filename=a.filename)
        with smtplib.SMTP(self.config["MAIL_SMTP_HOST"], int(self.config["MAIL_SMTP_PORT"])) as s:
            if self.config.get("MAIL_SMTP_STARTTLS"):
                s.starttls()
            if self.config.get("MAIL_SMTP_USERNAME"):
                s.login(self.config["MAIL_SMTP_USERNAME"], self.config["MAIL_SMTP_PASSWORD"])
            s.send_message(msg)


def get_mailer() -> Mailer:
    """The app's transport, created once per app from MAIL_BACKEND: it sends now."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    mailer = app.extensions.get("mailer")
    if mailer is None:
        backend = app.config["MAIL_BACKEND"]
        mailer = {"log": LogMailer, "smtp": SMTPMailer}.get(backend, lambda _a: MemoryMailer())(app)
        app.extensions["mailer"] = mailer
    return mailer


SEND_JOB = "mail.send"


class OutboxMailer:
    """A Mailer for pages: `send` writes a job; the transport sends after the commit."""

    def send(self, email: Email) -> None:
        from compliance import jobs

        jobs.enqueue(SEND_JOB, email=email_to_json(email))


def queued_mailer() -> Mailer:
    return OutboxMailer()


def email_to_json(email: Email) -> dict[str, Any]:
    return {"to": email.to, "subject": email.subject, "body": email.body,
            "attachments": [{"filename": a.filename, "mimetype": a.mimetype,
                             "content": base64.b64encode(a.content).decode()}
                            for a in email.attachments]}


def email_from_json(data: dict[str, Any]) -> Email:
    return Email(to=data["to"], subject=data["subject"], body=data["body"],
                 attachments=tuple(Attachment(a["filename"], a["mimetype"],
                                              base64.b64decode(a["content"]))
                                   for a in data.get("attachments", ())))


def _send_job(email: dict[str, Any]) -> None:
    get_mailer().send(email_from_json(email))


def _register() -> None:
    from compliance.jobs import job

    job(SEND_JOB)(_send_job)


_register()
