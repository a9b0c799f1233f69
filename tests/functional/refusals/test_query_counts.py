"""Refusals register pages run a constant number of queries however many entries they show."""

from datetime import timedelta

import pytest

from compliance.extensions import db
from compliance.models import RefusalSignOff, Role
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, uk_today
from tests.factories import AgencyFactory, PremisesFactory, RefusalFactory, UserFactory


def _queries(client, count_queries, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter["n"]


def _grow(premises, staff, manager, start, n) -> None:
    for k in range(start, start + n):
        refusal = RefusalFactory(premises=premises, recorded_by=staff,
                                 occurred_at=utcnow() - timedelta(days=k, minutes=5))
        if k % 3 == 0:  # corrections, and more signed-off weeks, as the register grows
            RefusalFactory(premises=premises, recorded_by=manager, corrects_id=refusal.id,
                           occurred_at=refusal.occurred_at)
        week = monday_of(uk_today()) - timedelta(weeks=k + 1)
        if k % 2 == 0 and week.weekday() == 0:
            db.session.add(RefusalSignOff(premises_id=premises.id, week_start=week,
                                          signed_by_id=manager.id, entries=1))
    db.session.flush()


@pytest.mark.parametrize("who, path", [
    ("manager", ""), ("officer", ""), ("staff", ""), ("manager", "register.csv"),
    ("manager", "weeks/sign-off"),
    ("manager", f"weeks/{monday_of(uk_today())}/sign-off"),
])
def test_register_uses_constant_queries(client, login_as, count_queries, who, path):
    premises = PremisesFactory()
    staff = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    people = {"staff": staff, "manager": manager,
              "officer": UserFactory(role=Role.OFFICER, agency=AgencyFactory())}
    premises.created_at = utcnow() - timedelta(days=400)
    login_as(people[who])
    url = f"/premises/{premises.id}/refusals/{path}"
    _grow(premises, staff, manager, 0, 1)
    one = _queries(client, count_queries, url)
    _grow(premises, staff, manager, 1, 19)
    assert _queries(client, count_queries, url) == one
