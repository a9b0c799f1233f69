"""Verification forms: an officer issues the certificate; a manager asks for a visit."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from compliance.forms import submit
from compliance.i18n import lazy_gettext as _l


class VerifyPremisesForm(FlaskForm):
    submit = submit(_l("Issue the verified premises certificate"))


class RequestVisitForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you want a verification visit?"), widget=GovTextArea(),
        description=_l("For example: our self-assessment is green and all staff are trained, "
                       "and our insurer asks for an independent check. Officers see this on "
                       "their priority list."),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(message=_l("Enter why you want a verification visit")),
                    Length(max=500, message=_l("Reason must be 500 characters or fewer"))])
    submit = submit(_l("Ask for a verification visit"))
