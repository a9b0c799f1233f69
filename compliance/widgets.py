"""govuk-frontend-wtf's widgets rendered straight through the app's Jinja environment.

`GovFormBase.render` renders each field with `flask.render_template`, which runs every context
processor (the user, the request, the session, each blueprint's labels) and sends the template
signals once per field: on a form page, several times the work of the page's own context. The
widget templates use nothing but `params` (`{{ govukRadios(params) }}`), and the GOV.UK macros
they import see no template context at all, so rendering them directly gives the same HTML.
"""

from __future__ import annotations

from flask import current_app
from govuk_frontend_wtf.gov_form_base import GovFormBase
from markupsafe import Markup


def _render(self: GovFormBase, params: dict) -> Markup:
    template = current_app.jinja_env.get_template(self.template)
    return Markup(template.render(params=params))  # noqa: S704 - autoescaped GOV.UK macros


def install() -> None:
    """Every Gov* widget (they all inherit `render` from GovFormBase) renders this way."""
    GovFormBase.render = _render  # type: ignore[method-assign]
