"""Templates' _() looks the translations up once per request, and again if the locale changes."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from jinja2 import Environment
from markupsafe import Markup

from compliance import i18n

pytestmark = pytest.mark.no_db


@pytest.fixture
def lookups(monkeypatch):
    """How many times Flask-Babel's translations were looked up."""
    calls = {"n": 0}
    real = i18n.get_translations

    def counted():
        calls["n"] += 1
        return real()

    monkeypatch.setattr(i18n, "get_translations", counted)
    return calls


def test_a_page_looks_the_translations_up_once(app, lookups):
    template = app.jinja_env.from_string(
        "{{ _('Menu') }} {{ _('Hello %(name)s', name='Sam') }} "
        "{{ ngettext('%(num)s week', '%(num)s weeks', 2) }} {{ _('Sign out') }}")
    with app.test_request_context("/"):
        assert template.render() == "Menu Hello Sam 2 weeks Sign out"
        assert template.render() == "Menu Hello Sam 2 weeks Sign out"
    assert lookups["n"] == 1
    with app.test_request_context("/"):  # the next request looks them up afresh
        template.render()
    assert lookups["n"] == 2


def test_a_locale_forced_within_the_request_is_followed(app, lookups):
    template = app.jinja_env.from_string("{{ _('Menu') }}")
    with app.test_request_context("/"):
        template.render()
        with force_locale("cy"):
            assert template.render() == "Menu"  # no Welsh catalogue: the text itself
            assert lookups["n"] == 2  # looked up again for the new locale
        template.render()
        assert lookups["n"] == 3  # and again once it is back


@pytest.mark.parametrize("source", [
    "{{ _('Menu') }}",
    "{{ _('100%% sure') }}",
    "{{ _('Hello %(name)s', name='<Sam & Jo>') }}",
    "{{ _('<b>Bold</b> %(x)s', x=markup) }}",
    "{{ gettext('Hello %(name)s', name=name) }}",
    "{{ ngettext('%(num)s week', '%(num)s weeks', 1) }}",
    "{{ ngettext('%(num)s week', '%(num)s weeks', 3) }}",
    "{{ ngettext('%(num)s of %(who)s', '%(num)s of %(who)s', 2, who='<them>') }}",
    "{% autoescape false %}{{ _('Hello %(name)s', name='<Sam>') }}{% endautoescape %}",
    "{{ _('Menu') | length }} {{ (_('Menu') ~ '<x>') }}",
])
def test_templates_translate_as_jinjas_own_newstyle_gettext(app, source):
    """The direct callables give what Jinja's newstyle gettext gives, escaping and all."""
    reference = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    reference.install_null_translations(newstyle=True)
    values = {"name": "<b>", "markup": Markup("<i>it</i>")}
    with app.test_request_context("/"):
        ours = app.jinja_env.from_string(source).render(values)
    assert ours == reference.from_string(source).render(values)


def test_python_gettext_gives_what_flask_babel_gives(app):
    """compliance.i18n's gettext family: Flask-Babel's results, found without its `g` hops."""
    import flask_babel

    cases = [("gettext", ("Menu",), {}), ("gettext", ("Hello %(name)s",), {"name": "<Sam>"}),
             ("gettext", ("100% sure",), {}),
             ("ngettext", ("%(num)s week", "%(num)s weeks", 1), {}),
             ("ngettext", ("%(num)s week", "%(num)s weeks", 4), {}),
             ("ngettext", ("%(num)s of %(who)s", "%(num)s of %(who)s", 2), {"who": "them"})]
    with app.test_request_context("/"):
        for name, args, variables in cases:
            assert getattr(i18n, name)(*args, **variables) == \
                getattr(flask_babel, name)(*args, **variables)
        lazy = i18n.lazy_gettext("Hello %(name)s", name="Jo")
        assert isinstance(lazy, flask_babel.LazyString) and str(lazy) == "Hello Jo"
        assert str(i18n.lazy_ngettext("%(num)s week", "%(num)s weeks", 3)) == "3 weeks"
    assert i18n.gettext("Menu") == "Menu"  # no app context: Flask-Babel's null translations


def test_python_gettext_follows_a_forced_locale(app, lookups):
    with app.test_request_context("/"):
        assert i18n.gettext("Menu") == "Menu"
        assert i18n.gettext("Sign out") == "Sign out"
        assert lookups["n"] == 1
        with force_locale("cy"):
            i18n.gettext("Menu")
            assert lookups["n"] == 2
            assert str(flask_babel_locale()) == "cy"
        i18n.gettext("Menu")
        assert lookups["n"] == 3


def flask_babel_locale():
    from flask_babel import get_locale

    return get_locale()
