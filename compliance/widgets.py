"""govuk-frontend-wtf's widgets rendered straight through the app's Jinja environment, and once.

`GovFormBase.render` renders each field with `flask.render_template`, which runs every context
processor (the user, the request, the session, each blueprint's labels) and sends the template
signals once per field: on a form page, several times the work of the page's own context. The
widget templates use nothing but `params` (`{{ govukRadios(params) }}`), and the GOV.UK macros
they import see no template context at all, so rendering them directly gives the same HTML.

Being a function of `params` alone, a widget's HTML is also kept: the GOV.UK macros are the
most expensive part of a form page (a group of four radios is about 3 ms of filters, indents
and escapes), and the same question, checklist item or field is asked of many people. The key
is the params with every value's type (a `Markup` is not a `str`: one is escaped, the other is
not), lazy strings in the current locale, and the template. Params holding anything else, or
free text longer than `LONGEST_TEXT` (a note typed once is not asked again), are rendered every
time. Each app keeps at most `CACHE_SIZE` widgets and `CACHE_CHARS` characters of their HTML
per worker, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import LazyString
from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup

CACHE_SIZE = 1024
CACHE_CHARS = 4_000_000
LONGEST_TEXT = 500
_TAGGED = frozenset({bool, int, float, date, datetime})


class _Unkeyable(Exception):
    """A params value the cache cannot tell apart from another safely."""


def _key(value: object) -> object:
    """A hashable stand-in for `value` that differs wherever the rendered HTML could.

    A plain string stands for itself; everything else is tagged with its type (True is not 1,
    a Markup is not a str, a list is not a tuple), so no two kinds of value meet. The common
    types are tested first and exactly: a form of 40 choices is some 300 values."""
    kind = type(value)
    if isinstance(value, str):  # a Markup, escaped differently, keeps its tag
        if len(value) > LONGEST_TEXT:
            raise _Unkeyable("long text")
        return value if kind is str else (kind, str(value))
    if kind is dict:
        return (dict, *[(name, _key(item)) for name, item in value.items()])  # type: ignore[attr-defined]
    if kind is list or kind is tuple:
        return (kind, *[_key(item) for item in value])  # type: ignore[attr-defined]
    if value is None or kind in _TAGGED:
        return kind, value
    if isinstance(value, LazyString):
        return LazyString, _key(str(value))
    raise _Unkeyable(kind.__name__)  # anything else, a dict or list subclass too


class RenderedWidgets:
    """Rendered widget HTML by key, least recently used first out; safe across threads.

    Bounded twice: at most `size` widgets, and about `chars` characters of HTML in all (a
    widget's params, its key, are about as long as its HTML, so this bounds the memory to a
    few times `chars` bytes); a widget longer than a 64th of that (a select of a thousand
    premises) is rendered every time rather than crowd out the rest."""

    def __init__(self, size: int = CACHE_SIZE, chars: int = CACHE_CHARS) -> None:
        self.size, self.chars, self.held = size, chars, 0
        self._items: OrderedDict[object, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> Markup | None:
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: object, html: Markup) -> None:
        if len(html) > self.chars // 64:
            return
        with self._lock:
            previous = self._items.pop(key, None)
            self.held -= len(previous) if previous is not None else 0
            self._items[key] = html
            self.held += len(html)
            while len(self._items) > self.size or self.held > self.chars:
                _, dropped = self._items.popitem(last=False)
                self.held -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.held = 0

    def __len__(self) -> int:
        return len(self._items)


EXTENSION = "rendered_widgets"


def cache() -> RenderedWidgets:
    """This app's rendered widgets."""
    return current_app.extensions[EXTENSION]


def render_params(template_name: str, params: dict) -> Markup:
    """The widget template rendered with `params`, through the app's environment."""
    template = current_app.jinja_env.get_template(template_name)
    return Markup(template.render(params=params))  # noqa: S704 - autoescaped GOV.UK macros


def render_component(name: str, params: dict) -> Markup:
    """GOV.UK Frontend's `name` component ("input", "error-summary") for `params`: what
    `{% from ".../components/input/macro.html" import govukInput %}{{ govukInput(params) }}`
    gives (the macros see no template context)."""
    template = current_app.jinja_env.get_template(
        f"govuk_frontend_jinja/components/{name}/macro.html")
    macro = getattr(template.module, "govuk" + "".join(p.title() for p in name.split("-")))
    return Markup(macro(params))  # noqa: S704 - autoescaped GOV.UK macros


def cached(kind: str, params: dict, render: Callable[[], Markup]) -> Markup:
    """`render()`'s HTML, kept under `kind` and the params' key (rendered every time when the
    params cannot be keyed)."""
    try:
        key = (kind, _key(params))
    except _Unkeyable:
        return render()
    rendered = cache()
    html = rendered.get(key)
    if html is None:
        html = render()
        rendered.put(key, html)
    return html


def _render(self: GovFormBase, params: dict) -> Markup:
    return cached(self.template, params, lambda: render_params(self.template, params))


def component(name: str, params: dict) -> Markup:
    """A GOV.UK component for templates, kept like the form widgets: `govuk("input", {...})`
    gives what `govukInput({...})` gives. For the busy pages' search boxes, filters,
    buttons and pagination."""
    return cached("component:" + name, params, lambda: render_component(name, params))


def install(app: Flask) -> None:
    """Every Gov* widget (they all inherit `render` from GovFormBase) renders this way, and
    templates have `govuk(name, params)`."""
    app.extensions[EXTENSION] = RenderedWidgets()
    GovFormBase.render = _render  # type: ignore[method-assign]
    app.add_template_global(component, "govuk")
