"""Refusals register forms (syntax only): a quick entry that fits a phone, and the sign-off."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovInput, GovRadioInput, GovSelect, GovTextArea
from wtforms import DateTimeLocalField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from compliance.forms import choices, submit, text_field
from compliance.models.base import utcnow
from compliance.refusals.services import REASONS, from_uk

# A refusal can be recorded a few minutes "early" if the till's clock and the phone's differ.
CLOCK_SLACK = timedelta(minutes=5)
DESCRIPTION_MAX = 500


class GovDateTimeInput(GovInput):
    """The browser's own date-and-time picker: one tap on a phone, and "now" is prefilled."""

    input_type = "datetime-local"


class LocalDateTimeField(DateTimeLocalField):
    """A blank answer is "missing" (InputRequired's message), not "not a real date"."""

    def process_formdata(self, valuelist):
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            self.raw_data = []  # so InputRequired sees it as missing, not as typed text
            return
        super().process_formdata(valuelist)


class RefusalForm(FlaskForm):
    occurred_at = LocalDateTimeField(
        _l("When was the sale refused?"), widget=GovDateTimeInput(),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        description=_l("UK time. It is set to now: change it if the refusal was earlier."),
        validators=[InputRequired(message=_l("Enter the date and time of the refusal"))],
        invalid_value_message=_l("Enter a real date and time, like 25/11/2026 14:30"))
    product = text_field(_l("Product or category"), _l("Enter the product or category"),
                         hint=_l("For example: kitchen knife, craft knife, razor blades"),
                         autocomplete="off")
    reason = RadioField(_l("Why was the sale refused?"), widget=GovRadioInput(),
                        choices=choices((k, _l(v)) for k, v in REASONS.items()),
                        validators=[InputRequired(message=_l("Select why the sale was refused"))],
                        invalid_choice_message=_l("Select why the sale was refused"))
    description = TextAreaField(
        _l("Short description (optional)"), widget=GovTextArea(),
        description=_l("What happened, and what the customer looked like"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX, message=_l(
            "Description must be %(n)s characters or fewer", n=DESCRIPTION_MAX))])
    refused_by = SelectField(_l("Who refused the sale?"), widget=GovSelect(), coerce=int,
                             validators=[InputRequired(message=_l("Select who refused the sale"))],
                             invalid_choice_message=_l("Select who refused the sale"))
    submit = submit(_l("Save refusal"))

    def validate_occurred_at(self, field) -> None:
        if field.data is not None and from_uk(field.data) > utcnow() + CLOCK_SLACK:
            raise ValidationError(_l("The date and time of the refusal must be in the past"))

    def when(self) -> datetime:
        """The time typed, as an aware UTC datetime."""
        return from_uk(self.occurred_at.data)


class CorrectionForm(RefusalForm):
    correction_reason = TextAreaField(
        _l("What is being corrected, and why?"), widget=GovTextArea(),
        description=_l("For example: wrong date entered; the product was a craft knife"),
        validators=[InputRequired(message=_l("Enter what is being corrected and why")),
                    Length(max=DESCRIPTION_MAX, message=_l(
                        "The reason must be %(n)s characters or fewer", n=DESCRIPTION_MAX))])
    submit = submit(_l("Save correction"))


def refusal_form(people, initial: dict | None = None, *, correcting: bool = False) -> RefusalForm:
    """The form listing the people who can be named as refusing; `initial` prefills a GET."""
    form = (CorrectionForm if correcting else RefusalForm)(data=initial)
    form.refused_by.choices = choices((u.id, u.name) for u in people)
    return form


class SignOffForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), widget=GovTextArea(),
                         description=_l("For example, anything you followed up with staff"),
                         validators=[Optional(), Length(max=DESCRIPTION_MAX, message=_l(
                             "Note must be %(n)s characters or fewer", n=DESCRIPTION_MAX))])
    submit = submit(_l("Sign off this week"))
