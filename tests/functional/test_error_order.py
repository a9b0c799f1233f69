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
