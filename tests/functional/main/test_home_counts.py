"""Officers' and admins' home pages: how many businesses and premises are registered."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from compliance.extensions import db
from compliance.models import Role
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory


def _registered(page: str) -> str:
    start = page.index("Registered in the portal:")
    return page[start:page.index("</p>", start)]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
def test_a_small_register_is_counted_exactly(client, login_as, role):
    business = RetailerFactory()
    for _ in range(3):
        PremisesFactory(retailer=business)
    PremisesFactory()  # a second business
    login_as(UserFactory(role=role, agency=AgencyFactory() if role == Role.OFFICER else None))
    assert _registered(client.get("/").text) == (
        "Registered in the portal: 2 businesses with 4 premises.")


def test_a_large_register_shows_the_estimate_postgresql_keeps(app, client, login_as):
    """Counting 50,000 premises on every home page read all of an index; above
    ESTIMATE_COUNTS_FROM rows the page shows PostgreSQL's own estimate, rounded."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the estimate is PostgreSQL's (set TEST_DATABASE_URL)")
    now = utcnow()
    db.session.execute(text(
        "INSERT INTO retailers (name, contact_name, contact_email, claimed, created_at) "
        "SELECT 'Business ' || i, 'C', 'b' || i || '@example.com', true, :now "
        "FROM generate_series(1, 1234) i"), {"now": now})
    db.session.execute(text(
        "INSERT INTO premises (retailer_id, name, address_line_1, town, postcode, jurisdiction, "
        "sells_remotely, click_and_collect, stock_kinds, created_at) "
        "SELECT (SELECT min(id) FROM retailers), 'Shop ' || i, '1 High St', 'Town', 'AB1 2CD', "
        "'england-wales', false, false, '[]', :now FROM generate_series(1, 56) i"),
        {"now": now})
    db.session.execute(text("ANALYZE retailers, premises"))
    PremisesFactory.create_batch(3)  # after the statistics: not in the estimate
    app.config["ESTIMATE_COUNTS_FROM"] = 1000
    try:
        login_as(UserFactory(role=Role.ADMIN))
        # 1,237 businesses shown as PostgreSQL's 1,234, rounded; 59 premises counted.
        assert _registered(client.get("/").text) == (
            "Registered in the portal: about 1,200 businesses with 59 premises.")
    finally:
        app.config["ESTIMATE_COUNTS_FROM"] = 10_000
