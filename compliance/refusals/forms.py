"""Refusals register forms (syntax only): a quick entry that fits a phone, and the sign-off."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
)
from wtforms import RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from compliance.forms import GovDateField, choices, submit, text_field
from compliance.i18n import lazy_gettext as _l
from compliance.refusals.clock import UK, from_uk
from compliance.refusals.services import REASONS

DESCRIPTION_MAX = 500
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
MISSING_DATE = _l("Enter the date of the refusal")
MISSING_BOTH = _l("Enter the date and time of the refusal")


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class RegisterForm(FlaskForm):
    """Text typed into the register never carries NUL characters (PostgreSQL refuses them)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", ()), _without_nul]
            return super().bind_field(form, unbound_field, {**options, "filters": filters})


class RefusalForm(RegisterForm):
    occurred_at = GovDateField(
        _l("Date of the refusal"), MISSING_DATE,
        _l("Date of the refusal must be a real date, like 25 11 2026"),
        description=_l("It is set to today: change it if the refusal was earlier. "
                       "For example, 25 11 2026"))
    occurred_time = text_field(_l("Time of the refusal"), _l("Enter the time of the refusal"),
                               max_length=5, optional=True, autocomplete="off",
                               hint=_l("UK time, 24-hour clock, for example 14:30"))
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

    def validate_occurred_time(self, field) -> None:
        typed = (field.data or "").strip()
        if not typed:
            typed_date = any(str(v).strip() for v in self.occurred_at.raw_data or [])
            if typed_date:  # both blank: the date's message says "date and time"
                raise ValidationError(_l("Enter the time of the refusal"))
            return
        if not _TIME.match(typed):
            raise ValidationError(_l("Enter the time in the 24-hour clock, like 14:30"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.occurred_time.data or "").strip() and MISSING_DATE in self.occurred_at.errors:
            self.occurred_at.errors = [MISSING_BOTH if e == MISSING_DATE else e
                                       for e in self.occurred_at.errors]
        return valid

    def when(self) -> datetime:
        """The date and time typed (UK), as an aware UTC datetime."""
        hours, minutes = _TIME.match(self.occurred_time.data.strip()).groups()
        return from_uk(datetime.combine(self.occurred_at.data, time(int(hours), int(minutes))))


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


def initial_time(moment: datetime) -> dict:
    """The date and time fields' values for a moment, in UK time."""
    local = moment.astimezone(UK)
    return {"occurred_at": local.date(), "occurred_time": local.strftime("%H:%M")}


def note_field() -> TextAreaField:
    """The sign-off note; a fresh field per form, so it keeps its place in page order."""
    return TextAreaField(_l("Note (optional)"), widget=GovTextArea(),
                         description=_l("For example, anything you followed up with staff"),
                         validators=[Optional(), Length(max=DESCRIPTION_MAX, message=_l(
                             "Note must be %(n)s characters or fewer", n=DESCRIPTION_MAX))])


class SignOffForm(RegisterForm):
    note = note_field()
    submit = submit(_l("Sign off this week"))


class WeekChoices(SelectMultipleField):
    """Weeks as their Monday's ISO date; anything else is "select the weeks", never a 500."""

    def process_formdata(self, valuelist):
        try:
            self.data = [date.fromisoformat(str(v).strip()) for v in valuelist]
        except ValueError as exc:
            self.data = []
            raise ValueError(_l("Select the weeks you are signing off")) from exc

    def pre_validate(self, form) -> None:
        pass  # weeks signed meanwhile are reported by the service, not refused as choices


class WeeksSignOffForm(RegisterForm):
    weeks = WeekChoices(_l("Which weeks are you signing off?"), widget=GovCheckboxesInput(),
                        coerce=date.fromisoformat,
                        description=_l("Each week is signed off and recorded separately"),
                        validators=[InputRequired(
                            message=_l("Select the weeks you are signing off"))])
    note = note_field()
    submit = submit(_l("Sign off the selected weeks"))
