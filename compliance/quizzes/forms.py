"""Question bank forms (syntax only; module and source checks live in the bank service)."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from compliance.forms import PageOrderMixin, choices, submit
from compliance.i18n import lazy_gettext as _l
from compliance.models import Jurisdiction

OPTION_SLOTS = 5
_TAG = re.compile(r"^S\d+[a-z]?$")


def _option_fields(cls):
    for n in range(1, OPTION_SLOTS + 1):
        required = n <= 2
        setattr(cls, f"option_{n}_text", StringField(
            _l("Answer %(n)s", n=n) if required else _l("Answer %(n)s (optional)", n=n),
            widget=GovTextInput(),
            validators=[InputRequired(message=_l("Enter answer %(n)s", n=n)) if required
                        else Optional(), Length(max=500)]))
        setattr(cls, f"option_{n}_correct", BooleanField(
            _l("Answer %(n)s is right", n=n), widget=GovCheckboxInput()))
        setattr(cls, f"option_{n}_feedback", StringField(
            _l("Feedback for answer %(n)s (optional)", n=n), widget=GovTextInput(),
            validators=[Optional(), Length(max=500)]))
    return cls


@_option_fields
class QuestionForm(PageOrderMixin, FlaskForm):
    page_order = ("module", "jurisdictions", "kind", "text",
                  *(f"option_{n}_{part}" for n in range(1, OPTION_SLOTS + 1)
                    for part in ("text", "correct", "feedback")),
                  "explanation", "sources")

    module = SelectField(_l("Module"), widget=GovSelect(),
                         validators=[InputRequired(message=_l("Select a module"))])
    jurisdictions = SelectMultipleField(
        _l("Where the answer is right"), widget=GovCheckboxesInput(),
        choices=choices((j.value, j.label) for j in Jurisdiction),
        validators=[InputRequired(message=_l("Select at least one jurisdiction"))])
    kind = RadioField(_l("Type of question"), widget=GovRadioInput(),
                      choices=choices([("single", _l("One right answer")),
                                       ("multiple", _l("Several right answers"))]),
                      validators=[InputRequired(message=_l("Select the type of question"))])
    text = TextAreaField(_l("Question"), widget=GovTextArea(),
                         validators=[InputRequired(message=_l("Enter the question")),
                                     Length(max=2000)])
    explanation = TextAreaField(_l("Explanation shown after the quiz"), widget=GovTextArea(),
                                validators=[InputRequired(message=_l("Enter the explanation")),
                                            Length(max=1000)])
    sources = StringField(_l("Source tags"), widget=GovTextInput(),
                          description=_l("From the reference's source list, separated by "
                                         "commas, for example S6, S32"),
                          validators=[InputRequired(message=_l("Enter at least one source"))])
    submit = submit(_l("Save question"))

    def options(self) -> list[dict]:
        out = []
        for n in range(1, OPTION_SLOTS + 1):
            text = (getattr(self, f"option_{n}_text").data or "").strip()
            if text:
                out.append({"text": text,
                            "correct": bool(getattr(self, f"option_{n}_correct").data),
                            "feedback": (getattr(self, f"option_{n}_feedback").data or "").strip()})
        return out

    def source_tags(self) -> list[str]:
        return [t.strip() for t in (self.sources.data or "").split(",") if t.strip()]

    def validate_sources(self, field) -> None:
        bad = [t for t in self.source_tags() if not _TAG.match(t)]
        if bad:
            raise ValidationError(_l("Source tags look like S6 or S5b: check %(bad)s",
                                     bad=", ".join(bad)))

    def validate_kind(self, field) -> None:
        right = sum(o["correct"] for o in self.options())
        if field.data == "single" and right != 1:
            raise ValidationError(_l("A question with one right answer needs exactly one answer "
                                     "marked as right"))
        if field.data == "multiple" and right < 2:
            raise ValidationError(_l("A question with several right answers needs at least two "
                                     "answers marked as right"))


class ImportForm(FlaskForm):
    file = FileField(_l("Question file"), widget=GovFileInput(),
                     description=_l("A GIFT or Moodle XML file, exported from Moodle or from "
                                    "this service"),
                     validators=[FileRequired(message=_l("Select a GIFT or Moodle XML file"))])
    module = SelectField(_l("Module for questions without a module category (optional)"),
                         widget=GovSelect(), validators=[Optional()],
                         description=_l("Used when a question has no $CATEGORY, or one that is "
                                        "not the name of a module"))
    submit = submit(_l("Preview the import"))


class ImportConfirmForm(FlaskForm):
    """The second step: the previewed file travels back in a hidden field, compressed (so a
    whole Moodle bank stays under the form size limit) and base64-encoded."""

    MAX_FILE = 20 * 1024 * 1024  # bytes once decompressed: no decompression bombs

    payload = HiddenField(validators=[InputRequired(message=_l("Upload the file again"))])
    module = HiddenField()
    skip_unsupported = BooleanField(_l("Skip the questions listed above"),
                                    widget=GovCheckboxInput())
    submit = submit(_l("Import questions"))

    @staticmethod
    def pack(data: bytes) -> str:
        return base64.b64encode(zlib.compress(data, 9)).decode("ascii")

    def data_bytes(self) -> bytes | None:
        """The file as uploaded, or None if the hidden field was damaged or too big."""
        try:
            inflate = zlib.decompressobj()
            data = inflate.decompress(base64.b64decode(self.payload.data or "", validate=True),
                                      self.MAX_FILE)
        except (binascii.Error, ValueError, zlib.error):
            return None
        return None if inflate.unconsumed_tail or not inflate.eof else data
