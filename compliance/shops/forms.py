"""The officer's form for adding a shop that has not registered yet (syntax only)."""

from __future__ import annotations

from flask_wtf import FlaskForm

from compliance.business.forms import PremisesFieldsMixin
from compliance.forms import submit, text_field
from compliance.i18n import lazy_gettext as _l


class AddPremisesForm(PremisesFieldsMixin, FlaskForm):
    business_name = text_field(_l("Business name (optional)"), "", optional=True,
                               hint=_l("If you know it. Otherwise the shop name is used "
                                       "until the business registers."))
    submit = submit(_l("Add shop and start a visit"))
