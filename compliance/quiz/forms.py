"""Quiz forms: starting, answering one question, submitting.

An option's form value is its position in this attempt's shuffled order (0, 1, 2...), never
its place in the bank: the bank lists the right option first, and form values are visible.
"""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired

from compliance.forms import choices, submit
from compliance.i18n import lazy_gettext as _l


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


def answer_form(question, option_order: list[int], shown: list[int] | None, **kwargs):
    """The form for one question; `shown` are the positions already chosen, if any."""
    cls = MultipleAnswerForm if question.kind == "multiple" else SingleAnswerForm
    data = None
    if shown:
        data = {"answer": shown if question.kind == "multiple" else shown[0]}
    form = cls(data=data, **kwargs)
    form.answer.label.text = question.text
    form.answer.choices = choices(
        (position, question.options[index]["text"]) for position, index in enumerate(option_order))
    return form


def chosen_positions(form) -> list[int]:
    data = form.answer.data
    return list(data) if isinstance(data, list) else [data]
