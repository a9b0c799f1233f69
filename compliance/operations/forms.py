"""The admin's form for setting up an operation (syntax only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from compliance.forms import GovDateField, submit, text_area, text_field
from compliance.i18n import lazy_gettext as _l


class OperationForm(FlaskForm):
    name = text_field(_l("Operation name"), _l("Enter the operation name"),
                      hint=_l("For example, Operation Sceptre, November 2026"))
    starts_on = GovDateField(_l("Start date"), _l("Enter the start date"),
                             _l("Start date must be a real date"),
                             description=_l("For example, 16 11 2026"))
    ends_on = GovDateField(_l("End date"), _l("Enter the end date"),
                           _l("End date must be a real date"))
    areas = text_area(_l("Areas (optional)"), max_length=2000,
                      hint=_l("One area on each line, for example a town or a policing "
                              "district"))
    submit = submit(_l("Save operation"))

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("End date must be the same as or after the start date"))
