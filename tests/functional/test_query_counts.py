"""List pages run a constant number of queries however many rows they show."""

import pytest

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Retailer, Role
from tests.factories import AgencyFactory, PremisesFactory, RetailerFactory, UserFactory


def _queries_for(client, count_queries, url) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter["n"]


def _grow(kind: str, n: int) -> None:
    for _ in range(n):
        if kind == "businesses":
            PremisesFactory(retailer=RetailerFactory())
        elif kind == "users":
            UserFactory(role=Role.OFFICER, agency=AgencyFactory())
        elif kind == "audit":
            audit.record(Actor(UserFactory(), "192.0.2.1"), "sign_in", "Signed in")
        elif kind == "jobs":
            from compliance.extensions import db
            from compliance.models import JobOutbox
            from compliance.models.base import utcnow

            db.session.add(JobOutbox(name="mail.send", payload={}, attempts=5,
                                     dead_at=utcnow(), last_error="refused"))
            db.session.flush()


@pytest.mark.parametrize("kind, url, who", [
    ("businesses", "/businesses/", Role.OFFICER),
    ("users", "/admin/users", Role.ADMIN),
    ("audit", "/admin/audit", Role.ADMIN),
    ("agencies", "/admin/agencies", Role.ADMIN),
    ("jobs", "/admin/jobs/", Role.ADMIN),
    ("businesses", "/offline/api/bundle", Role.OFFICER),  # never-visited shops: all listed
    ("businesses", "/offline/visit", Role.OFFICER),
])
def test_list_pages_use_constant_queries(client, login_as, count_queries, kind, url, who):
    login_as(UserFactory(role=who, agency=AgencyFactory() if who == Role.OFFICER else None))
    if kind == "agencies":
        AgencyFactory()
        one = _queries_for(client, count_queries, url)
        for _ in range(19):
            UserFactory(role=Role.OFFICER, agency=AgencyFactory())
    else:
        _grow(kind, 1)
        one = _queries_for(client, count_queries, url)
        _grow(kind, 19)
    assert _queries_for(client, count_queries, url) == one


def test_business_page_uses_constant_queries(app, monkeypatch, client, login_as,
                                             count_queries):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)  # several pages of premises and people
    premises = PremisesFactory()
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    url = f"/businesses/{manager.retailer_id}"
    UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    one = _queries_for(client, count_queries, url)
    for _ in range(19):
        extra = PremisesFactory(retailer=premises.retailer)
        UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=extra)
    assert _queries_for(client, count_queries, url) == one
    assert _queries_for(client, count_queries, url + "?premises_page=2&people_page=3") == one


def test_training_matrix_uses_constant_queries(app, monkeypatch, client, login_as,
                                               count_queries):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    premises = PremisesFactory()
    # Named so the manager (who has no premises of their own) is always on the first page,
    # whatever names the factories have reached by the time this test runs.
    login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer, name="Aaron Manager"))
    UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises, name="Staff 00")
    first = _queries_for(client, count_queries, "/training/matrix")
    for n in range(1, 20):
        UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                    name=f"Staff {n:02}")
    assert _queries_for(client, count_queries, "/training/matrix") == first
    # A page where everyone has premises skips the business's first premises (for people
    # without): one query fewer, never more.
    assert _queries_for(client, count_queries, "/training/matrix?page=3") == first - 1


def _grow_home(role: Role, user, n: int) -> None:
    from datetime import timedelta

    from compliance.models.base import utcnow
    from tests.visit_factories import FollowUpFactory, VisitFactory

    for _ in range(n):
        if role == Role.MANAGER:
            # The business object, not its id: the factory's own business would win.
            premises = PremisesFactory(retailer=db.session.get(Retailer, user.retailer_id),
                                       created_at=utcnow() - timedelta(weeks=3))
            UserFactory(role=Role.STAFF, retailer_id=user.retailer_id, premises=premises)
            FollowUpFactory(visit=VisitFactory(premises=premises))
        elif role == Role.OFFICER:
            VisitFactory(officer=user, status="draft")
            FollowUpFactory(visit=VisitFactory(officer=user), status="answered")
        elif role == Role.ADMIN:
            UserFactory(role=Role.OFFICER, agency=AgencyFactory())
            audit.record(Actor(user, "192.0.2.1"), "account_locked", "Account locked")


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER, Role.ADMIN, Role.STAFF])
def test_home_to_do_lists_use_constant_queries(client, login_as, count_queries, role):
    retailer = RetailerFactory()
    premises = PremisesFactory(retailer=retailer)
    user = login_as(UserFactory(role=role, agency=AgencyFactory() if role == Role.OFFICER
                                else None, retailer=retailer if role in (Role.MANAGER,
                                                                         Role.STAFF) else None,
                                premises=premises if role == Role.STAFF else None))
    _grow_home(role, user, 1)
    one = _queries_for(client, count_queries, "/")
    _grow_home(role, user, 19)
    assert _queries_for(client, count_queries, "/") == one


def test_a_managers_home_reads_its_to_dos_in_thirteen_statements(client, login_as,
                                                                  count_queries):
    """Signed in (1), the page of premises with its total (1), the register's sign-offs and
    first entries (2), follow-ups (1), staff training (4), self-assessments (1), certificates
    with their premises' conditions (1), the reminders and chases (1), the business with its
    staff count (1)."""
    retailer = RetailerFactory()
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=retailer))
    _grow_home(Role.MANAGER, manager, 3)
    with count_queries() as counter:
        page = client.get("/")
    assert page.status_code == 200 and page.text.count("Sign off 3 weeks") == 3
    reads = [s for s in counter["statements"] if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 13, reads
