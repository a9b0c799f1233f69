"""Templates' _() looks the translations up once per request, and again if the locale changes."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

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
