"""Training forms: confirming a module, answering a question."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired

from compliance.forms import choices, submit


class ConfirmReadForm(FlaskForm):
    submit = submit(_l("Confirm I have read this module"))


class StartQuizForm(FlaskForm):
    submit = submit(_l("Start the quiz"))


class SubmitQuizForm(FlaskForm):
    submit = submit(_l("Submit answers"))


class SingleAnswerForm(FlaskForm):
    answer = RadioField(widget=GovRadioInput(), coerce=int,
                        validators=[InputRequired(message=_l("Select an answer"))])
    submit = submit(_l("Save and continue"))


class MultipleAnswerForm(FlaskForm):
    answer = SelectMultipleField(widget=GovCheckboxesInput(), coerce=int,
                                 validators=[InputRequired(
                                     message=_l("Select all the answers that are right"))])
    submit = submit(_l("Save and continue"))


def answer_form(question, option_order: list[int], chosen: list[int] | None, **kwargs):
    """The form for one question, its options in this attempt's shuffled order."""
    cls = MultipleAnswerForm if question.kind == "multiple" else SingleAnswerForm
    data = None
    if chosen is not None:
        data = {"answer": chosen if question.kind == "multiple" else chosen[0]}
    form = cls(data=data, **kwargs)
    form.answer.label.text = question.text
    form.answer.choices = choices((i, question.options[i]["text"]) for i in option_order)
    return form
