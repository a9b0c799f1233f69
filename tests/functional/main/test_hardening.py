"""Headers and errors: no caching of personal data, JSON errors from JSON endpoints, one
rate-limit budget for the whole verify journey."""

import pytest

from compliance import create_app
from tests.conftest import settings_for
from tests.functional.test_access_matrix import _ids


@pytest.mark.parametrize("who, url", [
    ("staff", "/account"),
    ("manager", "/training/matrix.csv?retailer={retailer}"),
    ("manager", "/premises/{premises}/refusals/register.csv"),
    ("staff", "/certificates/{cert}.pdf"),
    ("officer", "/visits/{visit}"),
    ("anonymous", "/verify/{cert}"),
    ("anonymous", "/verify/{cert}.json"),
])
def test_personal_pages_and_downloads_are_not_stored(client, login_as, people, who, url):
    if who != "anonymous":
        login_as(people[who])
    response = client.get(url.format(**_ids(people)))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_the_verify_json_answers_errors_in_json(client):
    response = client.get("/verify/KSC-0000-0000-0000.json")
    assert response.status_code == 404
    assert response.is_json and response.json["status"] == 404


def test_verify_page_json_and_form_share_one_budget(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    code = _ids(people)["cert"]
    assert client.get("/verify").status_code == 200
    assert client.get(f"/verify/{code}").status_code == 200
    allowed = client.get(f"/verify/{code}.json")
    assert allowed.status_code == 200
    # No X-RateLimit-* headers on an allowed request (they cost a Redis read each time)...
    assert not [h for h in allowed.headers.keys() if h.lower().startswith("x-ratelimit")]
    limited = client.get(f"/verify/{code}.json")
    assert limited.status_code == 429
    assert limited.is_json and limited.json["status"] == 429
    # ...but a refused one says when the minute's window lets requests through again.
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    page = client.get("/verify")
    assert page.status_code == 429 and 1 <= int(page.headers["Retry-After"]) <= 60
    assert "Too many" in page.text or "too many" in page.text


def test_a_json_endpoint_that_fails_answers_500_in_json(database_url):
    app = create_app({**settings_for(database_url), "TESTING": False})

    @app.route("/boom.json")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom.json")
    assert response.status_code == 500
    assert response.is_json and response.json == {"error": "Internal Server Error",
                                                   "status": 500}
