"""Visit recording forms (syntax only). Choices that need queries are set by the views."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from compliance.evidence.forms import evidence_field
from compliance.forms import GovDateField, choices, submit, text_area, text_field
from compliance.i18n import lazy_gettext as _l
from compliance.visits.labels import FINDINGS, MATERIALS, OUTCOMES, VISIT_TYPES
from compliance.visits.timezone import from_uk, uk_today

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class LockMixin:
    """The visit's lock version when the form was loaded, and a reason once submitted."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired(
        message=_l("This page is out of date. Open the visit again"))])
    reason = text_area(_l("Reason for the change"), max_length=1000,
                       hint=_l("This visit has been submitted, so changes need a reason. "
                               "The visit's history keeps it."))


class DetailsFieldsMixin:
    # In page order (the error summary follows it): the kind of visit comes first.
    visit_type = RadioField(_l("Type of visit"), widget=GovRadioInput(),
                            choices=choices(VISIT_TYPES.items()),
                            validators=[InputRequired(message=_l("Select the type of visit"))])
    visit_date = GovDateField(_l("Date of the visit"), _l("Enter the date of the visit"),
                              _l("Date of the visit must be a real date"),
                              description=_l("For example, 19 11 2026"))
    visit_time = text_field(_l("Time of the visit"), _l("Enter the time of the visit"),
                            max_length=5, hint=_l("UK time, 24-hour clock, for example 14:30"))
    operation = SelectField(_l("Operation and area"), widget=GovSelect(),
                            validators=[Optional()],
                            description=_l("Choose the operation if this visit is part of a "
                                           "week of action"))
    officers_present = text_area(_l("Officers present (optional)"), max_length=500,
                                 hint=_l("Names of everyone who came, including you"))
    person_spoken_to = text_field(_l("Person spoken to (optional)"), "", optional=True,
                                  autocomplete="off")
    person_role = text_field(_l("Their role (optional)"), "", optional=True, max_length=100,
                             hint=_l("For example, store manager or sales assistant"),
                             autocomplete="off")
    submit = submit(_l("Save and continue"))

    def validate_visit_time(self, field) -> None:
        if not _TIME.match((field.data or "").strip()):
            raise ValidationError(_l("Enter the time in the 24-hour clock, like 14:30"))

    def validate_visit_date(self, field) -> None:
        if field.data and field.data > uk_today():
            raise ValidationError(_l("Date of the visit must be today or in the past"))

    @property
    def visited_at(self) -> datetime:
        hours, minutes = _TIME.match(self.visit_time.data.strip()).groups()
        return from_uk(self.visit_date.data, time(int(hours), int(minutes)))


class StartVisitForm(DetailsFieldsMixin, FlaskForm):
    # A fresh key per form: a retried or double-tapped submission finds the first visit.
    idempotency_key = HiddenField(validators=[
        InputRequired(message=_l("This page is out of date. Start the visit again")),
        Regexp(r"^[0-9a-f]{32}$", message=_l("This page is out of date. Start the visit "
                                             "again"))])


class VisitDetailsForm(DetailsFieldsMixin, LockMixin, FlaskForm):
    pass


class TestPurchaseForm(LockMixin, FlaskForm):
    __test__ = False  # not a pytest test class

    volunteer_age = IntegerField(
        _l("Volunteer's age"), widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the volunteer's age")),
                    NumberRange(min=13, max=17,
                                message=_l("Volunteer's age must be between 13 and 17"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    item_attempted = text_field(_l("Item they tried to buy"),
                                _l("Enter the item the volunteer tried to buy"),
                                hint=_l("For example, a kitchen knife or a pack of razor "
                                        "blades"))
    id_asked = RadioField(_l("Was the volunteer asked for ID?"), widget=GovRadioInput(),
                          choices=choices(YES_NO), validators=[InputRequired(
                              message=_l("Select whether the volunteer was asked for ID"))])
    sold = RadioField(_l("Was the item sold?"), widget=GovRadioInput(),
                      choices=choices([("sold", _l("Sold: the test purchase failed")),
                                       ("refused", _l("Refused: the test purchase passed"))]),
                      validators=[InputRequired(
                          message=_l("Select whether the item was sold or refused"))])
    staff_member = text_field(_l("Staff member involved (optional)"), "", optional=True,
                              hint=_l("A name or a description, for example till 2, "
                                      "wearing a red fleece"), autocomplete="off")
    letter_sent = RadioField(_l("Has the outcome letter been sent?"), widget=GovRadioInput(),
                             choices=choices(YES_NO), validators=[InputRequired(
                                 message=_l("Select whether the outcome letter has been "
                                            "sent"))])
    submit = submit(_l("Save and continue"))


class OutcomeForm(LockMixin, FlaskForm):
    outcome = RadioField(_l("Outcome"), widget=GovRadioInput(),
                         choices=choices(OUTCOMES.items()),
                         validators=[InputRequired(message=_l("Select the outcome of the "
                                                              "visit"))])
    materials = SelectMultipleField(_l("Materials given (optional)"),
                                    widget=GovCheckboxesInput(),
                                    choices=choices(MATERIALS.items()), validators=[Optional()],
                                    description=_l("Select all that apply"))
    advice_given = text_area(_l("Advice given (optional)"),
                             hint=_l("The shop sees this on its visit summary"))
    officer_notes = text_area(_l("Officer-only notes (optional)"),
                              hint=_l("Never shown to the shop"))
    submit = submit(_l("Save and continue"))


class SubmitVisitForm(FlaskForm):
    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = submit(_l("Submit visit"))


def findings_form(items, current: dict[int, tuple[str, str | None]] | None, **kwargs):
    """One radio question and an optional note for each checklist item on a page."""

    class FindingsForm(LockMixin, FlaskForm):
        submit = submit(_l("Save and continue"))

    for item in items:
        setattr(FindingsForm, f"item_{item.id}", RadioField(
            f"{item.number}. {item.officer_check}", widget=GovRadioInput(),
            choices=choices(FINDINGS.items()), default="not_checked"))
        setattr(FindingsForm, f"note_{item.id}", text_area(_l("Note (optional)")))
        setattr(FindingsForm, f"evidence_{item.id}",
                evidence_field(_l("Photo or PDF for check %(n)s (optional)", n=item.number)))
    data = None
    if current is not None:
        data = {}
        for item_id, (answer, note) in current.items():
            data[f"item_{item_id}"], data[f"note_{item_id}"] = answer, note
    return FindingsForm(data=data, **kwargs)


def refresh_lock(form, lock_version: int) -> None:
    """After a conflict: keep what was typed, but carry the visit's current lock version."""
    form.lock_version.data = lock_version
    form.lock_version.raw_data = [str(lock_version)]


def finding_uploads(form, items) -> dict[str, tuple[bytes, str]]:
    """The checked files sent with a checklist page, by checklist item key."""
    return {item.key: form[f"evidence_{item.id}"].upload for item in items
            if form[f"evidence_{item.id}"].upload}


def finding_answers(form, items) -> dict[int, tuple[str, str | None]]:
    return {item.id: (form[f"item_{item.id}"].data, form[f"note_{item.id}"].data)
            for item in items}
