"""Forms for raising, answering and reviewing follow-ups (syntax only)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import InputRequired, ValidationError

from compliance.evidence.forms import evidence_field
from compliance.forms import GovDateField, choices, submit, text_area, text_field
from compliance.i18n import lazy_gettext as _l
from compliance.visits.timezone import uk_today
from compliance.web import safe_next


class FollowUpForm(FlaskForm):
    action = text_area(_l("What the shop needs to do"), _l("Enter what the shop needs to do"),
                       hint=_l("For example, put a Challenge 25 sign at the knife display"))
    due_on = GovDateField(_l("Due date"), _l("Enter the due date"),
                          _l("Due date must be a real date"),
                          description=_l("For example, 9 12 2026"))
    evidence_wanted = text_area(_l("Evidence wanted (optional)"),
                                hint=_l("For example, a photo of the sign in place"))
    guidance_link = text_field(_l("Guidance link (optional)"), "", optional=True,
                               max_length=500,
                               hint=_l("A page of guidance that explains what to do"))
    submit = submit(_l("Send the follow-up to the shop"))

    def validate_due_on(self, field) -> None:
        if field.data and field.data < uk_today():
            raise ValidationError(_l("Due date must be today or in the future"))

    def validate_guidance_link(self, field) -> None:
        value = (field.data or "").strip()
        if value and not is_guidance_link(value):
            raise ValidationError(_l("Enter a link that starts with https://"))


def is_guidance_link(value: str) -> bool:
    """A path on this site (not '//host', which browsers read as another site) or an
    https:// address with a host and no credentials, spaces or backslashes."""
    if any(c.isspace() or c == "\\" or ord(c) < 32 for c in value):
        return False
    if value.startswith("/"):
        return safe_next(value, "") == value
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "https" and bool(host) and "@" not in parts.netloc


class FollowUpResponseForm(FlaskForm):
    response_note = text_area(_l("What you have done"), _l("Enter what you have done"),
                              hint=_l("Describe the evidence too, for example where the "
                                      "officer can see the new sign"))
    evidence = evidence_field(_l("Upload a photo or PDF (optional)"))
    submit = submit(_l("Send your answer to the officer"))


class FollowUpReviewForm(FlaskForm):
    decision = RadioField(_l("Is the follow-up done?"), widget=GovRadioInput(),
                          choices=choices([("close", _l("Yes, close it")),
                                           ("return", _l("No, return it to the shop"))]),
                          validators=[InputRequired(message=_l(
                              "Select whether to close the follow-up or return it"))])
    officer_note = text_area(_l("Note to the shop (optional when closing)"), max_length=1000)
    submit = submit(_l("Save decision"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # A returned follow-up must say why (an optional field skips its own validators).
        if self.decision.data == "return" and not (self.officer_note.data or "").strip():
            self.officer_note.errors = [_l("Enter what the shop still needs to do")]
            return False
        return valid
