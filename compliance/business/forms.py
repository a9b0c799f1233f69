"""Business, premises and staff forms (syntax only)."""

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired, ValidationError

from compliance.business.services import PremisesDetails
from compliance.forms import (
    NewPasswordMixin,
    PageOrderMixin,
    choices,
    email_field,
    submit,
    text_field,
)
from compliance.i18n import lazy_gettext as _l
from compliance.models import Jurisdiction

# The UK postcode shape (outward code, then inward code); spacing and case are normalised.
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise_postcode(value: str | None) -> str:
    compact = re.sub(r"\s+", "", (value or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def _jurisdiction_field() -> RadioField:
    return RadioField(
        _l("Where is the shop?"),
        widget=GovRadioInput(),
        choices=choices((j.value, j.label) for j in Jurisdiction),
        description=_l("The law on knife sales differs between the UK's jurisdictions."),
        validators=[InputRequired(message=_l("Select where the shop is"))],
    )


class PremisesFieldsMixin:
    premises_name = text_field(_l("Shop name"), _l("Enter the shop name"),
                               hint=_l("As shown on the shop front, for example Demo Hardware "
                                       "High Street"))
    address_line_1 = text_field(_l("Address line 1"), _l("Enter address line 1"),
                                autocomplete="address-line1")
    address_line_2 = text_field(_l("Address line 2 (optional)"), "", optional=True,
                                autocomplete="address-line2")
    town = text_field(_l("Town or city"), _l("Enter the town or city"),
                      autocomplete="address-level2")
    postcode = text_field(_l("Postcode"), _l("Enter the postcode"), max_length=10,
                          autocomplete="postal-code")
    jurisdiction = _jurisdiction_field()

    def premises_details(self) -> PremisesDetails:
        return PremisesDetails(
            name=self.premises_name.data, address_line_1=self.address_line_1.data,
            address_line_2=self.address_line_2.data, town=self.town.data,
            postcode=self.postcode.data, jurisdiction=Jurisdiction(self.jurisdiction.data))

    def validate_postcode(self, field) -> None:
        if not _POSTCODE.match(normalise_postcode(field.data)):
            raise ValidationError(_l("Enter a real postcode, like SW1A 1AA"))
        field.data = normalise_postcode(field.data)


class RegisterBusinessForm(PageOrderMixin, PremisesFieldsMixin, NewPasswordMixin, FlaskForm):
    page_order = ("business_name", "contact_name", "email", "claim_code", "premises_name",
                  "address_line_1", "address_line_2", "town", "postcode", "jurisdiction",
                  "password", "confirm")

    business_name = text_field(_l("Business name"), _l("Enter the business name"),
                               hint=_l("The legal name of the business that sells the knives"),
                               autocomplete="organization")
    contact_name = text_field(_l("Your full name"), _l("Enter your full name"),
                              autocomplete="name")
    email = email_field(_l("Your email address"),
                        hint=_l("You will use this to sign in"))
    claim_code = text_field(_l("Claim code (optional)"), "", optional=True, max_length=20,
                            hint=_l("If an officer visited your shop before you registered, "
                                    "enter the code printed on the visit summary they left, "
                                    "for example 7KQM-RW3D-XHPA"), autocomplete="off")
    submit = submit(_l("Register business"))


class PremisesForm(PremisesFieldsMixin, FlaskForm):
    submit = submit(_l("Save premises"))


class InviteStaffForm(FlaskForm):
    name = text_field(_l("Full name"), _l("Enter the staff member's full name"),
                      autocomplete="off")
    email = email_field(_l("Email address"),
                        hint=_l("We will email them a link to join. It expires after 7 days."))
    premises = SelectField(_l("Premises they work at"), widget=GovSelect(), coerce=int,
                           validators=[InputRequired(message=_l("Select the premises"))])
    submit = submit(_l("Send invitation"))
