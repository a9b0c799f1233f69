"""The certificate list a page at a time: newest first, counted only so far on a long list
("Page 3", next and previous, rather than a count of 100,000 certificates), and a manager's
premises links paged beside it (a chain has hundreds)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from compliance.extensions import db
from compliance.models import Certificate, Role
from compliance.models.base import utcnow
from tests.factories import PremisesFactory, RetailerFactory, UserFactory


def _certificates(retailer, n: int, first: int = 0) -> list[str]:
    """n certificates, one a day, newest first; their codes in list order."""
    holder = UserFactory(role=Role.STAFF, retailer=retailer)
    now = utcnow()
    certs = [Certificate(code=f"KSC-LIST-0000-{first + i:04d}", kind="staff",
                         holder_user_id=holder.id, retailer_id=retailer.id, holder_name=holder.name,
                         business_name=retailer.name, issued_at=now - timedelta(days=first + i),
                         expires_at=now + timedelta(days=300)) for i in range(n)]
    db.session.add_all(certs)
    db.session.flush()
    return [c.code for c in certs]


def _codes(html: str) -> list[str]:
    return re.findall(r">(KSC-LIST-0000-\d{4})</a>", html)


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 4)


def test_a_long_list_pages_in_order_and_counts_only_so_far(client, login_as, small_pages):
    codes = _certificates(RetailerFactory(), 7)
    login_as(UserFactory(role=Role.OFFICER))
    first = client.get("/certificates/").text
    assert _codes(first) == codes[:2]
    assert "Page 1</p>" in first and "Page 1 of" not in first  # more than 4: not counted
    assert 'href="/certificates/?page=2"' in first and "?page=0" not in first
    third = client.get("/certificates/?page=3").text
    assert _codes(third) == codes[4:6]
    assert 'href="/certificates/?page=2"' in third and 'href="/certificates/?page=4"' in third
    last = client.get("/certificates/?page=4").text
    assert _codes(last) == codes[6:] and 'href="/certificates/?page=5"' not in last


def test_a_short_list_says_how_many_pages(client, login_as, small_pages):
    codes = _certificates(RetailerFactory(), 3)
    login_as(UserFactory(role=Role.OFFICER))
    page = client.get("/certificates/?page=2").text
    assert _codes(page) == codes[2:] and "Page 2 of 2" in page


def test_a_manager_sees_their_business_and_its_premises_a_page_at_a_time(
        client, login_as, small_pages):
    chain = RetailerFactory(name="Chain Ltd")
    for name in ("Cardiff", "Aberdeen", "Bristol"):
        PremisesFactory(retailer=chain, name=name)
    ours = _certificates(chain, 3)
    _certificates(RetailerFactory(), 2, first=10)  # another business's: never listed
    login_as(UserFactory(role=Role.MANAGER, retailer=chain))
    page = client.get("/certificates/").text
    links = re.findall(r"Statement and verified certificate for (\w+)</a>", page)
    assert links == ["Aberdeen", "Bristol"]
    assert 'href="/certificates/?premises_page=2"' in page
    assert _codes(page) == ours[:2]
    both = client.get("/certificates/?premises_page=2&page=2").text
    assert re.findall(r"Statement and verified certificate for (\w+)</a>", both) == ["Cardiff"]
    assert _codes(both) == ours[2:]
    # Each pager keeps the other list's page.
    assert 'href="/certificates/?page=2&amp;premises_page=1"' in both
    assert 'href="/certificates/?premises_page=2&amp;page=1"' in both


def test_the_accounts_list_counts_only_so_far(client, login_as, small_pages):
    admin = UserFactory(role=Role.ADMIN, name="Aaron Admin")
    for n in range(5):
        UserFactory(role=Role.STAFF, name=f"Staff {n}")
    UserFactory(role=Role.OFFICER, name="Olive Officer")
    login_as(admin)
    everyone = client.get("/admin/users").text
    assert "All accounts (more than 4)" in everyone
    assert re.findall(r'<td class="govuk-table__cell">([\w ]+)<br>', everyone) == [
        "Aaron Admin", "Olive Officer"]
    officers = client.get("/admin/users?role=officer").text
    assert ">Engagement officer (1)</caption>" in officers
