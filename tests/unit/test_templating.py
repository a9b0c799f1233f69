"""Templates' globals: Jinja's lookups, with a key view that set differences run through in C."""

from __future__ import annotations

from collections import ChainMap

import pytest
from jinja2 import DictLoader

from compliance.templating import Environment, TemplateGlobals

pytestmark = pytest.mark.no_db


def test_the_app_renders_with_its_own_environment(app):
    assert isinstance(app.jinja_env, Environment)
    assert isinstance(app.jinja_env.get_template("base.html").globals, TemplateGlobals)


def test_a_templates_keys_are_the_environments_own_view_when_it_has_none_of_its_own(app):
    template = app.jinja_env.get_template("base.html")
    keys = template.globals.keys()
    assert type(keys) is type({}.keys())  # the dict's view, not ChainMap's KeysView
    assert set(keys) == set(ChainMap(*template.globals.maps).keys())
    app.jinja_env.globals["added_later"] = 1  # live, as Jinja's ChainMap is
    try:
        assert "added_later" in keys and template.globals["added_later"] == 1
    finally:
        del app.jinja_env.globals["added_later"]


def test_own_globals_and_imports_behave_as_in_jinja(app):
    env = Environment(app, loader=DictLoader({
        "macros.html": "{% macro hello() %}{{ greeting }} {{ name }}{% endmacro %}",
        "page.html": '{% from "macros.html" import hello with context %}{{ hello() }}',
        "plain.html": '{% from "macros.html" import hello %}{{ hello() }}',
    }))
    env.globals["greeting"] = "Hello"
    page = env.get_template("page.html", globals={"name": "Sam"})
    assert set(page.globals.keys()) >= {"greeting", "name", "range"}
    assert page.render() == "Hello Sam"  # the import sees the page's own global
    assert env.get_template("plain.html").render() == "Hello "
