"""GOV.UK widgets are rendered once per distinct params, and never mistaken for one another."""

from __future__ import annotations

import pytest
from flask_babel import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from markupsafe import Markup
from wtforms import RadioField, SelectChoice, StringField, TextAreaField

from compliance import widgets

pytestmark = pytest.mark.no_db


class _Form(FlaskForm):
    class Meta:
        csrf = False

    colour = RadioField("Colour", widget=GovRadioInput(),
                        choices=[SelectChoice("red", "Red"), SelectChoice("blue", "Blue")])
    name = StringField("Name", widget=GovTextInput())
    note = TextAreaField("Note", widget=GovTextArea())


@pytest.fixture
def fresh(app):
    """A request on an empty cache (the app is shared by the session's tests)."""
    with app.test_request_context("/"):
        widgets.cache().clear()
        yield widgets.cache()
        widgets.cache().clear()


def test_the_same_field_is_rendered_once(fresh):
    first = str(_Form(data={"colour": "blue"}).colour())
    assert len(fresh) == 1
    again = _Form(data={"colour": "blue"}).colour()
    assert str(again) == first and len(fresh) == 1
    assert 'value="blue" checked' in first


def test_what_the_person_chose_or_got_wrong_changes_the_key(fresh):
    plain = str(_Form(data={"colour": "red"}).colour())
    other = str(_Form(data={"colour": "blue"}).colour())
    form = _Form(data={"colour": "red"})
    form.colour.errors = ["Select a colour"]
    wrong = str(form.colour())
    assert len(fresh) == 3
    assert 'value="red" checked' in plain and 'value="blue" checked' in other
    assert "Select a colour" in wrong and "Select a colour" not in plain


def test_markup_and_text_with_the_same_characters_are_different_widgets(fresh):
    field = _Form().name
    as_text = str(field(params={"hint": {"text": "<b>bold</b>"}}))
    as_html = str(field(params={"hint": {"html": Markup("<b>bold</b>")}}))
    as_text_in_html = str(field(params={"hint": {"html": "<b>bold</b>"}}))
    assert "&lt;b&gt;bold&lt;/b&gt;" in as_text
    assert "<b>bold</b>" in as_html
    assert len(fresh) == 3 and as_text_in_html != as_text


def test_a_lazy_string_is_keyed_by_its_text_now(fresh):
    words = {"now": "Colour"}
    label = LazyString(lambda: words["now"])
    field = _Form().name
    before = str(field(params={"label": {"text": label}}))
    words["now"] = "Lliw"
    after = str(field(params={"label": {"text": label}}))
    assert "Colour" in before and "Lliw" in after and len(fresh) == 2


def test_long_free_text_is_rendered_but_not_kept(fresh):
    long_note = "word " * 200
    html = str(_Form(data={"note": long_note}).note())
    assert long_note.strip() in html
    assert len(fresh) == 0


def test_a_value_the_key_cannot_describe_is_rendered_every_time(fresh):
    class Odd:
        def __str__(self) -> str:
            return "odd value"

    html = str(_Form().name(params={"value": Odd()}))
    assert 'value="odd value"' in html and len(fresh) == 0


def test_the_least_recently_used_widget_leaves_first():
    kept = widgets.RenderedWidgets(size=2)
    kept.put("a", Markup("A"))
    kept.put("b", Markup("B"))
    assert kept.get("a") == "A"  # a is now the most recent
    kept.put("c", Markup("C"))
    assert kept.get("b") is None and kept.get("a") == "A" and kept.get("c") == "C"
    assert len(kept) == 2


def test_the_cache_holds_a_bounded_amount_of_html():
    kept = widgets.RenderedWidgets(size=100, chars=6400)  # at most 100 characters each
    kept.put("big", Markup("x") * 101)
    assert kept.get("big") is None and kept.held == 0
    for n in range(70):
        kept.put(n, Markup("y") * 100)
    assert kept.held <= 6400 and len(kept) == 64
    assert kept.get(0) is None and kept.get(69) is not None
    kept.put(69, Markup("z") * 50)  # replacing an entry counts only the new HTML
    assert kept.held == 63 * 100 + 50


@pytest.mark.parametrize("name, macro, params", [
    ("input", "govukInput", {"label": {"text": "Search"}, "id": "q", "name": "q",
                             "value": "<b>", "errorMessage": {"text": "Too long"}}),
    ("button", "govukButton", {"text": "Search", "classes": "govuk-button--secondary"}),
    ("select", "govukSelect", {"label": {"text": "Agency"}, "id": "agency", "name": "agency",
                               "items": [{"value": "", "text": "All"},
                                         {"value": 3, "text": "Kent", "selected": True}]}),
    ("pagination", "govukPagination", {"previous": {"href": "/list?page=1"},
                                       "next": {"href": "/list?page=3"}, "items": []}),
    ("error-summary", "govukErrorSummary", {"titleText": "There is a problem",
                                            "errorList": [{"text": "Enter a name",
                                                           "href": "#name"}]}),
])
def test_a_component_in_a_template_is_the_govuk_macros_html(app, fresh, name, macro, params):
    path = f"govuk_frontend_jinja/components/{name}/macro.html"
    imported = app.jinja_env.from_string(
        f'{{% from "{path}" import {macro} %}}{{{{ {macro}(params) }}}}')
    ours = app.jinja_env.from_string(f'{{{{ govuk("{name}", params) }}}}')
    assert ours.render(params=params) == imported.render(params=params)
    assert ours.render(params=params) == imported.render(params=params)  # and when kept
    assert len(fresh) == 1
