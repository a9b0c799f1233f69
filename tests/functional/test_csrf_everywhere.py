"""Every POST form on every page carries a CSRF token (with CSRF switched on, as in production)."""

import re

import pytest

from tests.functional.test_access_matrix import ROUTES, WHO, _ids

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


@pytest.mark.parametrize("who", [w for w in WHO if w != "other_manager"])
def test_every_post_form_has_a_csrf_token(app, client, login_as, people, monkeypatch, who):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    if who != "anonymous":
        login_as(people[who])
    ids = _ids(people)
    checked = 0
    for url, codes in ROUTES.items():
        if codes[WHO.index(who)] != 200:
            continue
        page = client.get(url.format(**ids))
        if not page.content_type.startswith("text/html"):
            continue
        for form in FORM.findall(page.text):
            if re.search(r'method="post"', form, re.I):
                checked += 1
                assert 'name="csrf_token"' in form, f"{who} {url}: a POST form without a token"
    assert checked > 0
