"""The upload form: one file, with GOV.UK file upload error wording."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms.validators import ValidationError

from compliance.forms import submit
from compliance.i18n import lazy_gettext as _l


def size_label(max_bytes: int) -> str:
    """GOV.UK style sizes: 2MB, 500KB."""
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes / (1024 * 1024):.3g}MB"
    return f"{max_bytes // 1024}KB"


class CheckFileForm(FlaskForm):
    file = FileField(_l("Upload the certificate file"), widget=GovFileInput(),
                     description=_l("A certificate PDF, or an Open Badges credential (.jwt) "
                                    "downloaded from this service."),
                     validators=[FileRequired(message=_l("Select a certificate file"))])
    submit = submit(_l("Check file"))

    def __init__(self, *args, max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def too_large(self) -> str:
        return str(_l("The selected file must be smaller than %(size)s",
                      size=size_label(self.max_bytes)))

    def validate_file(self, field) -> None:
        content = field.data.read(self.max_bytes + 1)
        field.data.seek(0)
        if not content:
            raise ValidationError(_l("The selected file is empty"))
        if len(content) > self.max_bytes:
            raise ValidationError(self.too_large())
