"""Training forms: confirming that a module has been read."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from compliance.forms import submit


class ConfirmReadForm(FlaskForm):
    submit = submit(_l("Confirm I have read this module"))
