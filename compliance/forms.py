"""Form pieces shared by features: GOV.UK widgets and GOV.UK error wording."""

from __future__ import annotations

import wtforms
from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from compliance.auth.passwords import password_problems
from compliance.i18n import lazy_gettext as _l


def email_field(label: str = "Email address", hint: str | None = None) -> EmailField:
    return EmailField(
        label,
        widget=GovTextInput(),
        description=hint or "",
        validators=[
            InputRequired(message=_l("Enter an email address")),
            Email(message=_l("Enter an email address in the correct format, like name@example.com"),
                  check_deliverability=False),
            Length(max=320, message=_l("Email address must be 320 characters or fewer")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def text_field(label: str, missing: str, *, max_length: int = 200, hint: str = "",
               optional: bool = False, autocomplete: str | None = None) -> StringField:
    validators = [] if optional else [InputRequired(message=missing)]
    validators.append(Length(max=max_length,
                             message=_l("%(label)s must be %(n)s characters or fewer",
                                        label=label, n=max_length)))
    kw = {"autocomplete": autocomplete} if autocomplete else {}
    return StringField(label, widget=GovTextInput(), description=hint,
                       validators=validators, render_kw=kw)


def submit(label: str) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())


class PageOrderMixin:
    """Fields, and so the error summary, in the order the page shows them.

    WTForms orders fields by when they were created, which puts a mixin's fields (and fields
    added by a decorator) out of page order; `page_order` names them as the page shows them.
    """

    page_order: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = self._fields  # type: ignore[attr-defined]
        named = [n for n in self.page_order if n in fields]
        self._fields = {n: fields[n] for n in [*named, *(n for n in fields if n not in named)]}


class ConfirmForm(FlaskForm):
    """A bare form for POST-only confirmations, so they carry a CSRF token."""

    submit = submit(_l("Confirm"))


class NewPasswordMixin:
    """A new password and its confirmation, checked against the password rules."""

    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l("Use 12 characters or more. A short sentence of several words works well."),
        validators=[InputRequired(message=_l("Enter a password"))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Confirm password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Confirm your password")),
                    EqualTo("password", message=_l("Passwords must match"))],
        render_kw={"autocomplete": "new-password"},
    )

    #: Set by the view when known, so the password cannot contain the email address.
    email_for_check = ""

    def validate_password(self, field: PasswordField) -> None:
        problems = password_problems(field.data or "",
                                     min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                                     email=self.email_for_check)
        if problems:
            raise ValidationError(problems[0])


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms 3.3 SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


class DateField(wtforms.DateField):
    """A GOV.UK day/month/year date; a form sent without this field counts as left blank."""

    def process_formdata(self, valuelist):
        if not valuelist:
            self.raw_data = None  # the GOV.UK widget expects three parts or none
            return
        if len(valuelist) != 3:  # a hand-made request: not the day, month and year boxes
            self.raw_data = [*(str(v) for v in valuelist[:3]), "", "", ""][:3]
            self.data = None
            raise ValueError(self.gettext("Not a valid date value."))
        super().process_formdata(valuelist)


class GovDateField(DateField):
    """A day/month/year date with GOV.UK wording for a blank or impossible date, used by every
    date in the service. Blank in any shape (whitespace, one blank value from a hand-made
    request) counts as missing, and the widget always gets three parts back."""

    def __init__(self, label, missing: str, invalid: str, optional: bool = False, **kwargs):
        validators = [Optional()] if optional else [InputRequired(message=missing)]
        super().__init__(label, widget=GovDateInput(), format="%d %m %Y",
                         validators=validators, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        if valuelist and not "".join(str(v) for v in valuelist).strip():
            self.data = None  # left blank: the required check explains it
            self.raw_data = ["", "", ""]
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(self.invalid) from exc

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if self.raw_data:  # the GOV.UK widget shows day, month and year: always three parts
            self.raw_data = (list(self.raw_data) + ["", "", ""])[:3]


def text_area(label: str, missing: str | None = None, *, hint: str = "",
              max_length: int = 2000) -> TextAreaField:
    validators = [InputRequired(message=missing)] if missing else [Optional()]
    validators.append(Length(max=max_length, message=_l(
        "%(label)s must be %(n)s characters or fewer", label=label, n=max_length)))
    return TextAreaField(label, widget=GovTextArea(), description=hint, validators=validators)
