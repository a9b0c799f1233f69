"""Training forms: confirming that a module has been read."""

from flask_wtf import FlaskForm

from compliance.forms import submit
from compliance.i18n import lazy_gettext as _l


class ConfirmReadForm(FlaskForm):
    submit = submit(_l("Confirm I have read this module"))
