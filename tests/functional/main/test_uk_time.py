"""Times are shown as people in the UK read a clock (GMT or BST), never labelled UTC."""

from datetime import UTC, datetime

from flask import render_template_string


def test_the_datetime_macro_shows_uk_time(app):
    page = render_template_string('{% from "macros.html" import datetime %}'
                                  "{{ datetime(summer) }} | {{ datetime(winter) }}",
                                  summer=datetime(2025, 7, 1, 9, 0, tzinfo=UTC),
                                  winter=datetime(2025, 12, 1, 9, 0, tzinfo=UTC))
    assert page == "1 July 2025, 10:00 | 1 December 2025, 09:00"


def test_pages_no_longer_say_utc(client, people):
    from tests.factories import TEST_PASSWORD

    admin = people["admin"]
    client.post("/auth/sign-in", data={"email": admin.email, "password": TEST_PASSWORD})
    account = client.get("/account").text
    assert "Last signed in" in account
    for url in ("/account", "/admin/audit", "/admin/users"):
        assert " UTC" not in client.get(url).text, url
