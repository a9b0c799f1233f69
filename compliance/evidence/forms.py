"""An evidence file field: a photo from the phone's camera or a PDF, checked like storage does."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms.validators import ValidationError

from compliance import storage
from compliance.filecheck.forms import size_label
from compliance.i18n import lazy_gettext as _l

ACCEPT = "image/*,application/pdf"


def storage_message(exc: storage.StorageError) -> str:
    """GOV.UK file upload wording for a refused file."""
    if isinstance(exc, storage.FileTooLarge):
        return str(_l("The selected file must be smaller than %(size)s",
                      size=size_label(exc.max_bytes)))
    if isinstance(exc, storage.EmptyFile):
        return str(_l("The selected file is empty"))
    return str(_l("The selected file must be a JPG, PNG, WebP or HEIC photo, or a PDF"))


class EvidenceField(FileField):
    """Optional. Holds (bytes, filename) once validated, so the view stores what was checked."""

    def __init__(self, label, description="", **kwargs) -> None:
        super().__init__(label, widget=GovFileInput(), description=description,
                         render_kw={"accept": ACCEPT}, **kwargs)
        self.upload: tuple[bytes, str] | None = None

    def pre_validate(self, form) -> None:
        self.upload = None
        file = self.data
        if file is None or not getattr(file, "filename", None):
            return
        # One byte more than the limit is enough to know it is too big.
        data = file.read(storage.max_bytes() + 1)
        try:
            storage.check(data)
        except storage.StorageError as exc:
            raise ValidationError(storage_message(exc)) from exc
        self.upload = (data, file.filename)


def evidence_field(label) -> EvidenceField:
    return EvidenceField(label, description=_l(
        "A photo or a PDF, up to %(size)s", size=_SizeText()))


class _SizeText:
    """The configured limit, read when the hint is shown (not at import)."""

    def __str__(self) -> str:
        return size_label(storage.max_bytes())
