"""Admin forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Optional, ValidationError

from compliance.forms import DateField, choices, email_field, submit, text_field
from compliance.i18n import lazy_gettext as _l
from compliance.models import AgencyKind, Role


class NewUserForm(FlaskForm):
    name = text_field(_l("Full name"), _l("Enter the person's full name"))
    email = email_field()
    role = RadioField(_l("Role"), widget=GovRadioInput(),
                      choices=choices([(Role.OFFICER.value, Role.OFFICER.label),
                                       (Role.ADMIN.value, Role.ADMIN.label)]),
                      validators=[InputRequired(message=_l("Select a role"))])
    agency = SelectField(_l("Agency"), widget=GovSelect(), coerce=int,
                         description=_l("Required for engagement officers"))
    submit = submit(_l("Create account and email a set-up link"))

    def validate_agency(self, field) -> None:
        if self.role.data == Role.OFFICER.value and not field.data:
            raise ValidationError(_l("Select the officer's agency"))


class AgencyForm(FlaskForm):
    name = text_field(_l("Agency name"), _l("Enter the agency name"),
                      hint=_l("For example, Avon and Somerset Constabulary"))
    kind = RadioField(_l("Type of agency"), widget=GovRadioInput(),
                      choices=choices((k.value, k.label) for k in AgencyKind),
                      validators=[InputRequired(message=_l("Select the type of agency"))])
    submit = submit(_l("Save agency"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    action = SelectField(_l("Action"), widget=GovSelect(), validators=[Optional()])
    actor = StringField(_l("Email address of the person who acted"), widget=GovTextInput(),
                        validators=[Optional()])
    since = DateField(_l("From"), widget=GovDateInput(), validators=[Optional()],
                      format="%d %m %Y",
                      description=_l("For example, 27 3 2026"))
    until = DateField(_l("To"), widget=GovDateInput(), validators=[Optional()], format="%d %m %Y")
    submit = submit(_l("Filter"))
