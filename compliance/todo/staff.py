"""A member of staff's to-dos: the next step of their training, their certificate, refusals."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select

from compliance.certificates.status import STAFF
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.models import Certificate, User
from compliance.models.base import utcnow
from compliance.quiz.services import quiz_state
from compliance.refusals.clock import to_uk
from compliance.todo.items import DONE, DUE, INFO, OVERDUE, TODO, ToDo, day
from compliance.training.services import progress


def training_cause(completion_id: int) -> str:
    return f"training-expiring:{completion_id}"


def items(user: User) -> list[ToDo]:
    return [training_item(user), certificate_item(user), ToDo(
        "refusal", _("Record a refusal"),
        _("When you refuse to sell a knife or blade, record it in the register the same day."),
        url_for("refusals.record_start"), INFO, _("Refused sales"))]


def training_item(user: User) -> ToDo:
    """The one next step of a person's training (a fixed number of queries)."""
    group = _("Your training")
    state = quiz_state(user)
    now = utcnow()
    completion = state.completion
    warn = timedelta(days=int(current_app.config["TRAINING_EXPIRY_WARNING_DAYS"]))
    if state.completion_current and state.status != "in_progress":
        expires = completion.expires_at  # type: ignore[union-attr]
        if expires <= now + warn:
            return ToDo("training", _("Renew your training before %(day)s", day=day(expires)),
                        _("Read the modules again and pass the quiz to stay trained."),
                        url_for("training.index"), DUE, group, expires.date(),
                        cause_key=training_cause(completion.id))  # type: ignore[union-attr]
        return ToDo("training", _("Your training is up to date"),
                    _("You are trained until %(day)s.", day=day(expires)),
                    url_for("training.index"), DONE, group, expires.date())
    expired = completion is not None
    if state.status == "in_progress":
        return ToDo("training", _("Finish your quiz"),
                    _("You have started the quiz; carry on where you stopped."),
                    url_for("quiz.start"), OVERDUE if expired else TODO, group)
    if state.status == "cooling_off":
        when = to_uk(state.retry_at).strftime("%H:%M on %-d %B %Y")  # type: ignore[arg-type]
        return ToDo("training", _("Retake the quiz after %(when)s", when=when),
                    _("Read the modules listed on your result again before you retake it."),
                    url_for("training.index"), OVERDUE if expired else TODO, group)
    if state.status == "ready":
        title = _("Retake the quiz") if state.attempt is not None else _("Take the quiz")
        return ToDo("training", title, _("You have read every module: the quiz is open."),
                    url_for("quiz.start"), OVERDUE if expired else TODO, group)
    read = progress(user)
    severity = OVERDUE if expired else TODO
    detail = (_("Your training expired on %(day)s.", day=day(completion.expires_at)) + " "
              if expired else "")  # type: ignore[union-attr]
    if read.read_count == 0:
        return ToDo("training", _("Start your training"), detail + _(
            "Read the %(n)s guidance modules, then take the quiz.", n=len(read.modules)),
            url_for("training.index"), severity, group)
    return ToDo("training", _("Continue your training"), detail + _(
        "You have read %(read)s of %(n)s modules.", read=read.read_count, n=len(read.modules)),
        url_for("training.index"), severity, group)


def certificate_item(user: User) -> ToDo:
    cert = db.session.scalar(
        select(Certificate).where(Certificate.holder_user_id == user.id,
                                  Certificate.kind == STAFF, Certificate.revoked_at.is_(None),
                                  Certificate.superseded_by_id.is_(None))
        .order_by(Certificate.issued_at.desc()).limit(1))
    group = _("Your certificate")
    if cert is None:
        return ToDo("certificate", _("No certificate yet"),
                    _("Pass the quiz to get your training certificate."),
                    url_for("training.index"), INFO, group)
    if cert.expires_at <= utcnow():
        return ToDo("certificate", _("Your certificate %(code)s has expired", code=cert.code),
                    _("Pass the quiz again to get a new one."), url_for("training.index"),
                    OVERDUE, group)
    return ToDo("certificate", _("Your certificate %(code)s", code=cert.code),
                _("Valid until %(day)s. Show it, or the code, to anyone who asks.",
                  day=day(cert.expires_at)),
                url_for("certificates.detail", code=cert.code), DONE, group)
