"""Error summaries list the errors in the order the page shows the fields."""

from __future__ import annotations

import re

import pytest

from compliance.models import Role
from tests.factories import UserFactory


def summary_targets(page: str) -> list[str]:
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def field_ids_in_page_order(page: str, ids: list[str]) -> list[str]:
    form = page.split("<form", 1)[1]
    return sorted(ids, key=lambda i: form.index(f'id="{i}"'))


@pytest.mark.parametrize("who, url", [(None, "/businesses/register"),
                                      (Role.ADMIN, "/admin/questions/new")])
def test_the_error_summary_follows_the_page(client, login_as, who, url):
    if who is not None:
        login_as(UserFactory(role=who))
    page = client.post(url, data={}).text
    targets = summary_targets(page)
    assert len(targets) >= 4
    assert targets == field_ids_in_page_order(page, targets)


# The visit's first page (new visit, visit details) is being rebuilt by visit kind in another
# branch, which owns its order: the date and time come before the kind of visit in its summary.


def test_every_form_lists_its_errors_in_page_order(client, people):
    """Every form of every role, sent empty: the summary follows the page."""
    from tests.functional.test_hostile_input import _sign_in, form_targets

    checked, wrong = 0, []
    for who, action, method, _names in list(form_targets(client, people)):
        if method != "post":
            continue
        _sign_in(client, people, who)
        page = client.post(action, data={}).text
        if "govuk-error-summary__list" not in page or "<form" not in page:
            continue
        form = page.split("<form", 1)[1]
        targets = [t for t in summary_targets(page) if f'id="{t}"' in form
                   and not re.search(rf'<input(?=[^>]*\bid="{t}")(?=[^>]*type="hidden")', form)]
        checked += 1
        if targets != field_ids_in_page_order(page, targets):
            wrong.append(f"{who} {action}: {targets}")
    assert checked > 15
    assert wrong == []
