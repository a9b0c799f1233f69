"""Templates' gettext with the translations looked up once per request, not once per string.

Flask-Babel installs template callables that find the domain, the request, the locale and the
translations cache again for every `_()` (a form page makes about 60): measured at about half
the cost of each call. Here the translations are kept in `g` with the locale they are for, so a
`force_locale` or `refresh()` that changes the locale within a request is still followed (the
locale is checked on each call, the translations looked up again only when it changed).

Templates' `_()`, `gettext()` and `ngettext()` are also called directly, as Jinja's newstyle
gettext would be but without its two extra `Context.call` hops per string (13.1 µs a `_()`
down to 9.8 µs, measured side by side; a page has 20 to 60): same escaping (the catalogue's
text is trusted, the variables are escaped), same `%` formatting even with no variables.

Python code imports `gettext`, `ngettext`, `lazy_gettext` and `lazy_ngettext` from here rather
than from Flask-Babel: the same results (Flask-Babel's own `LazyString`, its catalogue, its
locale), but found through the app context directly. Flask-Babel's versions go through the `g`
proxy three or four times a call to find its state, and a lazy string is worked out twice each
time a template prints it (escaping asks it for `__html__` first): a list page of 25 rows made
about 130 such calls, 2 to 3 ms of its Python time.
"""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def translations() -> NullTranslations:
    """Flask-Babel's translations for the current locale, from `g` after the first call.

    The locale is the one Flask-Babel keeps in `g` (which `force_locale` swaps and `refresh()`
    clears), read from the app context itself rather than through the `g` proxy."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return get_translations()
    state = ctx.g.__dict__
    locale = getattr(state.get("_flask_babel"), "babel_locale", None)
    cached = state.get("_i18n_translations")
    if locale is None or cached is None or cached[0] is not locale:
        locale = get_locale()
        cached = state["_i18n_translations"] = (locale, get_translations())
    return cached[1]


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, through `translations()`."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """Flask-Babel's `ngettext` (`num` is always a variable), through `translations()`."""
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """Flask-Babel's `lazy_gettext`: translated each time it is used as a string."""
    return LazyString(gettext, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyString:
    return LazyString(ngettext, singular, plural, num, **variables)


def _formatted(eval_ctx: EvalContext, text: str, variables: dict) -> str:
    """What Jinja's newstyle gettext makes of a translation: Markup when autoescaping (the
    variables are escaped as they go in), and always a format string."""
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, **variables) -> str:
    return _formatted(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int,
                      **variables) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, translations().ungettext(singular, plural, num), variables)


def init_app(app: Flask) -> None:
    """After Babel's init_app: the same callables as Flask-Babel's, on `translations()`."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext,
                                 ngettext=template_ngettext)
