"""Self-assessment forms (syntax only): one checklist answer, the declaration, the premises
profile, and the admin's checklist item editor."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovTextArea,
)
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from compliance.assessments.checklist import APPLICABILITY, BASES, WEIGHTS
from compliance.assessments.profile import STOCK_KINDS
from compliance.assessments.services import ANSWER_LABELS
from compliance.forms import choices, submit, text_field
from compliance.forms import submit as button
from compliance.i18n import lazy_gettext as _l
from compliance.models import Jurisdiction
from compliance.numbers import parse_int

_TAG = re.compile(r"^S\d+[a-z]?$")
_YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])


def _text_area(label: str, missing: str | None, max_length: int, hint: str = "",
               name: str | None = None) -> TextAreaField:
    validators = [InputRequired(message=missing)] if missing else [Optional()]
    validators.append(Length(max=max_length, message=_l(
        "%(label)s must be %(n)s characters or fewer", label=name or label, n=max_length)))
    return TextAreaField(label, widget=GovTextArea(), description=hint, validators=validators)


class AnswerForm(FlaskForm):
    answer = RadioField(widget=GovRadioInput(), validators=[InputRequired()])
    note = _text_area(_l("Note (optional)"), None, 1000, name=_l("Note"),
                      hint=_l("For example, what you already do or what you will change"))
    lock_version = HiddenField()
    submit = submit(_l("Save and continue"))
    save_and_stop = button(_l("Save and come back later"))

    @property
    def expected_version(self) -> int | None:
        return parse_int(self.lock_version.data)


def answer_form(question: str, na_allowed: bool, **kwargs) -> AnswerForm:
    """The form for one item: Not applicable is offered only where the profile allows it."""
    form = AnswerForm(**kwargs)
    values = ["yes", "partly", "no"] + (["na"] if na_allowed else [])
    form.answer.choices = choices((v, _l(ANSWER_LABELS[v])) for v in values)
    message = (_l("Select yes, partly, no or not applicable") if na_allowed
               else _l("Select yes, partly or no"))
    form.answer.validators = [InputRequired(message=message)]
    form.answer.invalid_choice_message = message
    form.answer.label.text = question
    return form


class DeclarationForm(FlaskForm):
    declaration_name = text_field(_l("Your full name"), _l("Enter your full name"),
                                  autocomplete="name")
    confirm = BooleanField(
        _l("I confirm that these answers are true to the best of my knowledge"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that the answers are true"))])
    lock_version = HiddenField()
    submit = submit(_l("Submit the self-assessment"))

    @property
    def expected_version(self) -> int | None:
        return parse_int(self.lock_version.data)


class StartForm(FlaskForm):
    submit = submit(_l("Start the self-assessment"))


def _yes_no(label: str, missing: str, hint: str = "") -> RadioField:
    return RadioField(label, widget=GovRadioInput(), choices=_YES_NO, description=hint,
                      validators=[InputRequired(message=missing)],
                      invalid_choice_message=missing)


class ProfileForm(FlaskForm):
    jurisdiction = RadioField(
        _l("Where is the shop?"), widget=GovRadioInput(),
        choices=choices((j.value, j.label) for j in Jurisdiction),
        validators=[InputRequired(message=_l("Select where the shop is"))],
        invalid_choice_message=_l("Select where the shop is"))
    sells_remotely = _yes_no(_l("Do you sell knives online or by phone?"),
                             _l("Select yes if you sell knives online or by phone"),
                             _l("Including mail order and marketplaces"))
    click_and_collect = _yes_no(_l("Do you offer click-and-collect?"),
                                _l("Select yes if you offer click-and-collect"))
    stock_kinds = SelectMultipleField(
        _l("What kinds of bladed stock do you sell?"), widget=GovCheckboxesInput(),
        choices=choices((k, _l(label)) for k, label in STOCK_KINDS.items()),
        description=_l("Select all that apply"),
        validators=[InputRequired(message=_l("Select the kinds of bladed stock you sell"))],
        invalid_choice_message=_l("Select the kinds of bladed stock you sell"))
    submit = submit(_l("Save profile"))


class ChecklistItemForm(FlaskForm):
    question = _text_area(_l("Question for managers"), _l("Enter the question"), 2000)
    officer_check = _text_area(_l("What an officer checks"), _l("Enter what an officer checks"),
                               2000)
    why = _text_area(_l("Why it matters"), _l("Enter why it matters"), 4000)
    how_to_fix = _text_area(_l("How to fix it"), _l("Enter how to fix it"), 4000)
    weight = RadioField(_l("Weight"), widget=GovRadioInput(),
                        choices=choices((k, _l(v)) for k, v in WEIGHTS.items()),
                        validators=[InputRequired(message=_l("Select the weight"))],
                        invalid_choice_message=_l("Select the weight"))
    basis = RadioField(_l("What the item rests on"), widget=GovRadioInput(),
                       choices=choices((k, _l(v)) for k, v in BASES.items()),
                       description=_l("Only an item that rests on the law in force can be "
                                      "Critical"),
                       validators=[InputRequired(message=_l("Select what the item rests on"))],
                       invalid_choice_message=_l("Select what the item rests on"))
    applicability = RadioField(
        _l("When the item applies"), widget=GovRadioInput(),
        choices=choices((k, _l(v)) for k, v in APPLICABILITY.items()),
        validators=[InputRequired(message=_l("Select when the item applies"))],
        invalid_choice_message=_l("Select when the item applies"))
    sources = text_field(_l("Source tags"), _l("Enter at least one source tag"), max_length=200,
                         hint=_l("Separated by commas, for example S5, S32"))
    note = _text_area(_l("Note (optional)"), None, 2000, name=_l("Note"))
    submit = submit(_l("Save a new version"))

    def validate_sources(self, field) -> None:
        if not self.source_tags() or not all(_TAG.match(t) for t in self.source_tags()):
            raise ValidationError(_l("Enter source tags like S5, separated by commas"))

    def source_tags(self) -> list[str]:
        return [t.strip() for t in (self.sources.data or "").split(",") if t.strip()]
