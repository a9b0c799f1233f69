"""Every page of the access matrix, for every role that may see it, runs the same number of
queries when the records around it grow five-fold: no page asks the database once per row.

The list pages have their own, larger growth tests (test_query_counts.py and the packages'
own); this one is the net under every other page, so a new page cannot slip an N+1 in.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Certificate, Operation, Premises, Role
from compliance.models.base import utcnow
from tests.factories import AgencyFactory, PremisesFactory, RefusalFactory, UserFactory
from tests.functional.test_access_matrix import ANON, ROUTES, WHO, _ids
from tests.visit_factories import FollowUpFactory, PurchaseFactory, VisitFactory

GROWTH = 4  # four more of everything beside the matrix's one


def _pages() -> list[tuple[str, str]]:
    return [(url, who) for url, codes in ROUTES.items()
            for who, code in zip(WHO, codes, strict=True) if code == 200 and who != ANON]


def grow(people, ids) -> None:
    """Four more of each record the pages show, around the same business, premises, agency
    and operation: staff, premises, refusals, visits with purchases and follow-ups,
    certificates, businesses, officers, audit events."""
    staff, officer = people["staff"], people["officer"]
    premises = db.session.get(Premises, staff.premises_id)
    operation = db.session.get(Operation, ids["operation"])
    for n in range(GROWTH):
        colleague = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
        PremisesFactory(retailer=premises.retailer)
        PremisesFactory()
        RefusalFactory(premises_id=premises.id, recorded_by=colleague)
        visit = VisitFactory(officer=officer, premises=premises, operation_id=operation.id,
                             area="North", visited_at=utcnow() - timedelta(hours=n + 2))
        PurchaseFactory(visit=visit, premises_id=premises.id, sold=False)
        FollowUpFactory(visit=visit)
        VisitFactory(officer=UserFactory(role=Role.OFFICER, agency=AgencyFactory()),
                     premises=premises)
        db.session.add(Certificate(
            code=f"KSC-GROW-{n:04d}-ABCD", kind="staff", holder_user_id=colleague.id,
            retailer_id=premises.retailer_id, premises_id=premises.id,
            holder_name=colleague.name, business_name=premises.retailer.name,
            issued_at=utcnow(), expires_at=utcnow() + timedelta(days=365),
            pdf=b"%PDF-1.7 test", sha256=f"{n:064d}"))
        audit.record(Actor(colleague, "192.0.2.1"), "sign_in", "Signed in")
    db.session.flush()


def _queries(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
        response.close()
    assert response.status_code == 200, url
    return counter["n"]


@pytest.mark.parametrize("url, who", _pages())
def test_every_page_runs_the_same_queries_with_more_records(client, login_as, people,
                                                            count_queries, url, who):
    login_as(people[who])
    ids = _ids(people)
    page = url.format(**ids)
    before = _queries(client, count_queries, page)
    grow(people, ids)
    assert _queries(client, count_queries, page) == before
