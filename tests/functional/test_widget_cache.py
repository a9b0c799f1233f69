"""Every GOV.UK widget and component the portal shows, kept or not, is the HTML its macro gives
for its params.

The cache (compliance/widgets.py) hands back HTML rendered for earlier params with the same
key; here every form field and every `govuk(...)` component on every page each role can open,
blank and then sent empty (so with its error messages), is rendered afresh as well and
compared with what the page got.
"""

from __future__ import annotations

from compliance import widgets
from tests.functional.test_hostile_input import _sign_in, form_targets


def test_every_widget_on_every_page_is_the_macros_html(app, client, people, monkeypatch):
    seen: dict[str, int] = {"kept": 0, "rendered": 0}
    kinds: set[str] = set()
    keep = widgets.cached

    def compared(kind, params, render):
        with app.app_context():
            hit = _keyable(params) and widgets.cache().get((kind, widgets._key(params))) \
                is not None
        html = keep(kind, params, render)
        assert html == render(), (kind, params)
        seen["kept" if hit else "rendered"] += 1
        kinds.add(kind.split(":")[0] if kind.startswith("component:") else "widget")
        return html

    monkeypatch.setattr(widgets, "cached", compared)
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
    assert kinds == {"widget", "component"}, kinds


def _keyable(params) -> bool:
    try:
        widgets._key(params)
    except widgets._Unkeyable:
        return False
    return True
