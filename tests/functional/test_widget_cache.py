"""Every GOV.UK widget the portal shows, kept or not, is the HTML its macro gives for its params.

The widget cache (compliance/widgets.py) hands back HTML rendered for earlier params with the
same key; here every form field on every page each role can open, blank and then sent empty
(so with its error messages), is rendered both ways and compared.
"""

from __future__ import annotations

from govuk_frontend_wtf.gov_form_base import GovFormBase

from compliance import widgets
from tests.functional.test_hostile_input import _sign_in, form_targets


def test_every_widget_on_every_page_is_the_macros_html(app, client, people, monkeypatch):
    seen = {"kept": 0, "rendered": 0}
    keep = widgets._render

    def compared(self, params):
        with app.app_context():
            hit = widgets.cache().get((self.template, widgets._key(params))) is not None \
                if _keyable(params) else False
        html = keep(self, params)
        assert html == widgets.render_params(self.template, params), (self.template, params)
        seen["kept" if hit else "rendered"] += 1
        return html

    monkeypatch.setattr(GovFormBase, "render", compared)
    with app.app_context():
        widgets.cache().clear()
    targets = list(form_targets(client, people))  # every page, blank
    for _ in range(2):  # sent empty: the second time round, the widgets come from the cache
        for who, action, method, _names in targets:
            _sign_in(client, people, who)
            if method == "post":
                client.post(action, data={})
            else:
                client.get(action)
    assert seen["kept"] > 100 and seen["rendered"] > 100, seen


def _keyable(params) -> bool:
    try:
        widgets._key(params)
    except widgets._Unkeyable:
        return False
    return True
