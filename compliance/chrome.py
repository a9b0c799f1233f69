"""The page chrome (skip link, header with navigation, footer), rendered once per process and
key instead of on every page.

Rendering GOV.UK's header, service navigation and footer macros was the largest fixed cost
of every page (about 1 ms of a quick page's few: macro calls, a dozen gettext look-ups, url_for
for every navigation link). What they show depends only on the signed-in role (which links),
the page's endpoint (which link is current), the locale and the script root, so each is
rendered once per such key and kept in a per-process dict (no shared state: every gunicorn
worker fills its own). The one per-session value, the sign-out form's CSRF token, is cached as
a placeholder and filled in per request.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

TEMPLATES = {"header": "chrome/header.html", "footer": "chrome/footer.html",
             "skip_link": "chrome/skip_link.html"}
# A token can never contain this (base64url and "."), nor can HTML escaping produce it.
CSRF_PLACEHOLDER = "@@chrome-csrf-token@@"
# About 200 endpoints x 5 roles x the locales: far below this; a bound all the same.
MAX_ENTRIES = 4096


def chrome_key(part: str) -> tuple:
    """Everything the part's HTML depends on (see templates/chrome/*.html)."""
    role = current_user.role.value if current_user.is_authenticated else None
    if part == "header":
        return (part, role, request.endpoint, str(get_locale()), request.script_root,
                current_app.config["SERVICE_NAME"])
    return (part, str(get_locale()), request.script_root)


def page_chrome(part: str) -> Markup:
    """The part's HTML for this request, from the process's cache when it has it."""
    cache: dict[tuple, str] = current_app.extensions["page_chrome"]
    key = chrome_key(part)
    html = cache.get(key)
    if html is None:
        html = render_template(TEMPLATES[part], csrf_token=lambda: CSRF_PLACEHOLDER)
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, str(escape(generate_csrf())))
    return Markup(html)  # noqa: S704 - rendered by our own autoescaped templates


def init_app(app: Flask) -> None:
    app.extensions["page_chrome"] = {}
    app.add_template_global(page_chrome, "page_chrome")
