"""Certificate forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from compliance.certificates.codes import normalise
from compliance.forms import submit, text_field
from compliance.i18n import lazy_gettext as _l


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a public look-up that changes nothing but a counter

    code = StringField(_l("Certificate code"), widget=GovTextInput(),
                       description=_l("For example, KSC-7F3Q-9XM2-4HRT. It is printed on the "
                                      "certificate under the QR code."),
                       validators=[InputRequired(message=_l("Enter the certificate code"))],
                       render_kw={"autocomplete": "off", "spellcheck": "false",
                                  "autocapitalize": "characters"})
    submit = submit(_l("Check certificate"))

    def validate_code(self, field) -> None:
        if normalise(field.data or "") is None:
            raise ValidationError(_l("Enter the code exactly as printed, like "
                                     "KSC-7F3Q-9XM2-4HRT: check each character"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Why are you revoking this certificate?"), widget=GovTextArea(),
                           description=_l("The reason is shown on the public verify page."),
                           validators=[InputRequired(message=_l("Enter the reason")),
                                       Length(max=500)])
    submit = submit(_l("Revoke certificate"))


class ReissueForm(FlaskForm):
    holder_name = text_field(_l("Name to print on the certificate"),
                             _l("Enter the name to print"))
    reason = TextAreaField(_l("What is being corrected?"), widget=GovTextArea(),
                           validators=[InputRequired(message=_l("Enter what is being corrected")),
                                       Length(max=500)])
    submit = submit(_l("Issue corrected certificate"))


class StatementForm(FlaskForm):
    submit = submit(_l("Issue a self-assessment statement"))
