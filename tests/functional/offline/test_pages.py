"""The offline pages, the manifest and the service worker: who gets them, what may be cached."""

from __future__ import annotations

import pytest


def test_officer_gets_the_recorder_marked_cacheable(client, login_as, cast, checklist):
    login_as(cast["officer"])
    response = client.get("/offline/visit")
    assert response.status_code == 200
    assert response.headers["X-Offline-Cache"] == "officer"
    page = response.text
    # Every section of a visit, with the online forms' field names under a prefix.
    for name in ("shop-premises_name", "details-visit_time", "details-visit_type",
                 f"cl1-item_{checklist[0].id}", "tp-volunteer_age", "outcome-outcome"):
        assert f'name="{name}"' in page
    assert "offline/record.js" in page
    assert 'rel="manifest"' in page
    assert "<script>" not in page  # no inline script: the CSP stays strict


def test_sign_out_warning_page(client, login_as, cast):
    login_as(cast["officer"])
    response = client.get("/offline/sign-out")
    assert response.status_code == 200
    assert response.headers["X-Offline-Cache"] == "officer"
    assert 'action="/auth/sign-out"' in response.text


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_other_roles_get_no_offline_pages(client, login_as, cast, who):
    login_as(cast[who])
    for url in ("/offline/visit", "/offline/sign-out", "/offline/api/bundle"):
        response = client.get(url)
        assert response.status_code == 403
        assert "X-Offline-Cache" not in response.headers


def test_signed_out_is_sent_to_sign_in_and_nothing_is_cacheable(client):
    response = client.get("/offline/visit")
    assert response.status_code == 302 and "/auth/sign-in" in response.location
    sign_in = client.get("/auth/sign-in")
    assert "X-Offline-Cache" not in sign_in.headers
    assert 'id="offline-register"' not in sign_in.text  # the app installs only when signed in


def test_register_script_on_signed_in_pages(client, login_as, cast):
    login_as(cast["officer"])
    page = client.get("/visits/").text
    assert 'id="offline-register"' in page and 'data-role="officer"' in page
    assert 'href="/offline/visit"' in page


def test_service_worker_from_the_root_with_a_narrow_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/offline/"
    assert "no-cache" in response.headers["Cache-Control"]
    assert "X-Offline-Cache" in response.text  # caches only pages the server marked


def test_manifest(client):
    response = client.get("/offline/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["scope"] == "/offline/" and manifest["start_url"] == "/offline/visit"
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        image.close()
