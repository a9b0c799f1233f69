"""Sign-in and password forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import PasswordField
from wtforms.validators import InputRequired

from compliance.forms import NewPasswordMixin, email_field, submit
from compliance.i18n import lazy_gettext as _l


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[InputRequired(message=_l("Enter your password"))],
                             render_kw={"autocomplete": "current-password"})
    submit = submit(_l("Sign in"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = submit(_l("Send reset link"))


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = submit(_l("Save new password"))


class SetUpAccountForm(NewPasswordMixin, FlaskForm):
    submit = submit(_l("Set up my account"))


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    submit = submit(_l("Create account"))
