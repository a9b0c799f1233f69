"""PostgreSQL: the hot pages' queries use indexes, never a sequential scan of the big tables.

The test loads realistic row counts with INSERT ... SELECT generate_series (tens of thousands
of visits, refusals and findings), runs ANALYZE so the planner knows them, then serves each
hot page through HTTP, capturing every statement it runs, and asks PostgreSQL for each one's
plan (EXPLAIN (FORMAT JSON), with the planner's settings untouched). A plan that reads a whole
big table row by row fails the test.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, event, select, text

from compliance import tallies
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Operation, Premises, Role, User, Visit
from compliance.priorities import table as priority_table
from compliance.visits import editing, services
from tests.conftest import fresh_shared_state
from tests.factories import PremisesFactory, RetailerFactory, UserFactory
from tests.visit_factories import OfficerFactory, OperationFactory

# The tables that grow fastest with the country: never read whole on a page.
BIG = {"visits", "attempt_answers", "refusals", "certificates", "premises_priority"}

SEED = [
    # 20 agencies (the officer's first), 4,000 businesses, 12,000 premises over 600 districts;
    # the manager's business (the largest) owns 100 of them.
    """INSERT INTO agencies (name, kind, created_at)
       SELECT 'Agency ' || i, 'police', now() FROM generate_series(1, 19) i""",
    """INSERT INTO retailers (name, contact_name, contact_email, claimed, created_at)
       SELECT 'Business ' || i, 'Contact', 'b' || i || '@example.com', true,
              now() - interval '400 days' FROM generate_series(1, 4000) i""",
    """INSERT INTO premises (retailer_id, name, address_line_1, town, postcode, jurisdiction,
                             sells_remotely, click_and_collect, stock_kinds, created_at)
       SELECT CASE WHEN i <= 100 THEN :chain
                   ELSE (SELECT min(id) FROM retailers) + (i % 4000) END,
              'Branch ' || i, i || ' High Street', 'Town',
              'D' || (i % 600) || ' ' || (i % 9) || 'AA', 'england-wales', false, false, '[]',
              now() - interval '300 days'
       FROM generate_series(1, 12000) i""",
    """INSERT INTO users (email, name, password_hash, role, retailer_id, premises_id, active,
                          failed_sign_ins, session_version, created_at)
       SELECT 'staff' || i || '@example.com', 'Staff ' || i, 'x', 'staff', p.retailer_id,
              p.id, true, 0, 1, now()
       FROM generate_series(1, 12000) i
       JOIN premises p ON p.id = (SELECT min(id) FROM premises) + i - 1""",
    # 150,000 visits over 14 months; one operation has 5,700 of them. The officer made their
    # agency's (one in twenty; 15 of them drafts, as an officer has a few at a time) and 150
    # for another agency before they moved; a colleague elsewhere made the rest.
    # Each carries its premises' business, as 0011_lists filled in and a mapper event does
    # on every later insert: set here from the premises, analysed first, not by an UPDATE
    # after (planned from the statistics earlier tests' commits had left, a join of 150,000
    # visits to 12,000 premises took two minutes of the full run; 25 s alone).
    "ANALYZE premises",
    """INSERT INTO visits (premises_id, retailer_id, officer_id, agency_id, operation_id,
                           idempotency_key, status, visited_at, visit_type, area, materials,
                           advice_given, outcome, created_at, updated_at, submitted_at,
                           lock_version)
       SELECT p.id, p.retailer_id,
              CASE WHEN i % 20 = 0 OR i % 1000 = 1 THEN :officer ELSE :colleague END,
              (SELECT min(id) FROM agencies) + i % 20,
              CASE WHEN i % 26 = 0 THEN :operation END, md5(i::text),
              CASE WHEN i % 50 = 0 AND (i % 20 <> 0 OR i % 10000 = 0) THEN 'draft'
                   ELSE 'submitted' END,
              now() - (i % 420) * interval '1 day', 'engagement',
              CASE WHEN i % 2 = 0 THEN 'North' ELSE 'South' END, '["posters"]',
              'Advice ' || i, 'advice_given', now(), now(), now(), 1
       FROM generate_series(1, 150000) i
       JOIN premises p ON p.id = (SELECT min(id) FROM premises) + (i * 7919) % 12000
       ORDER BY i""",
    """INSERT INTO test_purchases (visit_id, premises_id, volunteer_age, item_attempted,
                                   id_asked, sold, letter_sent)
       SELECT id, premises_id, 16, 'Kitchen knife', true, id % 5 = 0, false
       FROM visits WHERE id % 10 = 0""",
    """INSERT INTO visit_findings (visit_id, checklist_item_id, answer)
       SELECT v.id, c.id, CASE WHEN (v.id + c.id) % 4 = 0 THEN 'no' ELSE 'yes' END
       FROM visits v CROSS JOIN (SELECT id FROM checklist_items LIMIT 3) c
       WHERE v.id % 2 = 0""",
    # A third closed, a third open, a third answered and waiting for an officer's review.
    """INSERT INTO follow_ups (visit_id, premises_id, retailer_id, agency_id, action, due_on,
                               status, responded_at, created_by_id, created_at)
       SELECT id, premises_id, retailer_id, agency_id, 'Put up a sign',
              current_date - (id % 60) + 20,
              CASE id / 12 % 3 WHEN 0 THEN 'closed' WHEN 1 THEN 'open' ELSE 'answered' END,
              CASE WHEN id / 12 % 3 = 2 THEN now() - (id % 90) * interval '1 hour' END,
              :officer, now()
       FROM visits WHERE id % 12 = 0""",
    """INSERT INTO refusals (premises_id, occurred_at, product, reason, refused_by_name,
                             recorded_by_id, recorded_at)
       SELECT (SELECT min(id) FROM premises) + (i * 31) % 12000,
              now() - (i % 500) * interval '1 day', 'Knife', 'no_id', 'Jo', :manager, now()
       FROM generate_series(1, 60000) i""",
    """INSERT INTO refusals (premises_id, occurred_at, product, reason, refused_by_name,
                             recorded_by_id, recorded_at)
       SELECT :shop, now() - (i % 300) * interval '1 day', 'Knife', 'no_id', 'Jo', :manager,
              now()
       FROM generate_series(1, 400) i""",
    """INSERT INTO assessments (premises_id, status, started_by_id, started_at, updated_at,
                                submitted_at, profile, rating, next_due_at, lock_version)
       SELECT id, 'submitted', :manager, now(), now(), now() - interval '20 days', '{}',
              CASE WHEN id % 7 = 0 THEN 'red' ELSE 'green' END,
              now() + (id % 200 - 30) * interval '1 day', 1
       FROM premises""",
    """INSERT INTO quiz_attempts (user_id, jurisdiction, started_at, total, pass_mark,
                                  submitted_at)
       SELECT id, 'england-wales', now(), 15, 80, now() - (id % 500) * interval '1 day'
       FROM users WHERE role = 'staff'""",
    """INSERT INTO training_completions (user_id, attempt_id, completed_at, expires_at,
                                         score_percent)
       SELECT user_id, id, submitted_at, submitted_at + interval '365 days', 90
       FROM quiz_attempts""",
]

TABLES = ["agencies", "retailers", "premises", "users", "visits", "test_purchases",
          "visit_findings", "follow_ups", "refusals", "assessments", "quiz_attempts",
          "training_completions", "checklist_items", "operations", "operation_tallies",
          "operation_tally_premises", "premises_priority"]


def _seq_scans(plan: dict) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan":
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= _seq_scans(child)
    return found


@pytest.fixture(scope="module")
def _module_connection(app) -> Iterator[Connection]:
    """One connection and transaction for the whole module, rolled back at its end: the
    national slice is loaded into it once (loading it took 25 s a test, most of the
    module's time), and each test runs in a savepoint of it (`_transaction` below)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("query plans are PostgreSQL's (set TEST_DATABASE_URL)")
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        connection = db.engine.connect()
        outer = connection.begin()
        patch.setitem(db.engines, None, connection)
        try:
            yield connection
        finally:
            db.session.remove()
            outer.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _transaction(app, _module_connection: Connection, _national_ids) -> Iterator[None]:
    """Overrides conftest's: each test in a savepoint of the module's transaction (the
    slice loaded before it), rolled back at its end, so what a test adds (people, events, an
    ANALYZE) is gone for the next."""
    with app.app_context():
        savepoint = _module_connection.begin_nested()
        fresh_shared_state(app)
        try:
            yield
        finally:
            db.session.remove()
            savepoint.rollback()


@pytest.fixture(scope="module")
def _national_ids(app, _module_connection: Connection) -> dict[str, int]:
    """A slice of the country, big enough that the planner's choices are real ones, loaded
    once for the module: the ids of the accounts and records the tests start from."""
    from compliance.training.content import load_content

    with app.app_context():
        load_content()
        officer = OfficerFactory()
        colleague = OfficerFactory()
        chain = RetailerFactory(name="Big Chain Ltd")
        manager = UserFactory(role=Role.MANAGER, retailer=chain)
        shop = PremisesFactory(retailer=chain)
        operation = OperationFactory(areas=["North", "South"])
        admin = UserFactory(role=Role.ADMIN)
        db.session.flush()
        ids = {"officer": officer.id, "colleague": colleague.id, "chain": chain.id,
               "manager": manager.id, "operation": operation.id, "shop": shop.id,
               "admin": admin.id}
        for statement in SEED:
            db.session.execute(text(statement), {k: v for k, v in ids.items()
                                                 if f":{k}" in statement})
        # Analysed before the rebuilds too: planned for the empty tables the statistics
        # still described, the first rebuild took two minutes, not a few seconds.
        for table in TABLES:
            db.session.execute(text(f"ANALYZE {table}"))
        tallies.rebuild(db.session.connection())  # the rows came in around the ORM, as seeded
        priority_table.rebuild(db.session.connection())  # likewise
        for table in TABLES:
            db.session.execute(text(f"ANALYZE {table}"))
        # Rows inserted into a GIN index wait in its pending list until a VACUUM (the seeded
        # database is vacuumed); planned with a pending list, every trigram look-up seemed
        # dearer than reading the whole table. A VACUUM cannot run in this transaction.
        for (index,) in db.session.execute(text(
                "SELECT indexrelid::regclass::text FROM pg_index JOIN pg_class c"
                " ON c.oid = indexrelid JOIN pg_am am ON am.oid = c.relam"
                " WHERE am.amname = 'gin'")):
            db.session.execute(text("SELECT gin_clean_pending_list(CAST(:i AS regclass))"),
                               {"i": index})
        db.session.commit()  # the session's savepoint, into the module's transaction
        db.session.remove()
    return ids


@pytest.fixture
def national(_national_ids: dict[str, int]) -> dict:
    """The slice's accounts and records, loaded in this test's session."""
    return {"officer": db.session.get(User, _national_ids["officer"]),
            "manager": db.session.get(User, _national_ids["manager"]),
            "admin": db.session.get(User, _national_ids["admin"]),
            "shop": db.session.get(Premises, _national_ids["shop"]),
            "operation": db.session.get(Operation, _national_ids["operation"])}


def _node_types(plan: dict) -> list[tuple[str, str | None]]:
    """Each node of a plan: its type and the table it reads, if any."""
    found = [(plan["Node Type"], plan.get("Relation Name"))]
    for child in plan.get("Plans", []):
        found += _node_types(child)
    return found


def _main_path(plan: dict) -> list[tuple[str, str | None]]:
    """Like _node_types, leaving out sub-plans (a scalar subquery's InitPlan or SubPlan)."""
    found = [(plan["Node Type"], plan.get("Relation Name"))]
    for child in plan.get("Plans", []):
        if child.get("Parent Relationship") not in ("InitPlan", "SubPlan"):
            found += _main_path(child)
    return found


def _explained(action) -> list[tuple[str, dict]]:
    """Every SELECT that `action()` ran, with its plan (EXPLAIN, the planner's own choice)."""
    engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine
    seen: list[tuple[str, object]] = []

    def _capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _capture)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    connection = db.session.connection()
    plans = []
    for statement, parameters in seen:
        raw = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement,
                                         parameters).scalar()
        plans.append((statement, (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]))
    return plans


def _generic_plan(statement: str, parameters: dict) -> dict:
    """The plan PostgreSQL may keep for a statement once psycopg has prepared it (its fifth
    run on a connection): a generic plan, made without the parameters' values. The statement
    is prepared as psycopg sends it (`%(name)s` as `$n`) and explained under
    `plan_cache_mode = force_generic_plan`, every parameter NULL (a plan is not run)."""
    names: list[str] = []

    def _number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", _number, statement).replace("%%", "%")
    assert set(names) <= set(parameters), names
    connection = db.session.connection()
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE generic_plan AS {sql}")
    try:
        nulls = ", ".join("NULL" for _ in names)
        raw = connection.exec_driver_sql(
            "EXPLAIN (FORMAT JSON) EXECUTE generic_plan" + (f"({nulls})" if names else "")
        ).scalar()
    finally:
        connection.exec_driver_sql("DEALLOCATE generic_plan")
        connection.exec_driver_sql("RESET plan_cache_mode")
    return (raw if isinstance(raw, list) else json.loads(raw))[0]["Plan"]


def _plans_of(action) -> list[tuple[str, set[str]]]:
    """Every SELECT that `action()` ran, with the big tables its plan scans sequentially."""
    return [(statement, _seq_scans(plan) & BIG) for statement, plan in _explained(action)]


HOT_PAGES = [
    # An agency officer's whole list, its top five on the dashboard and on the home page.
    ("officer", "/visits/priorities"),
    ("officer", "/visits/priorities?page=3"),
    ("officer", "/visits/"),
    ("officer", "/"),
    ("officer", "/visits/priorities?district=D12"),
    ("admin", "/visits/priorities?district=D12"),
    ("admin", "/visits/priorities?district=D12&agency={agency}"),
    ("officer", "/visits/list"),
    ("officer", "/visits/list?page=3"),
    ("admin", "/visits/list"),
    ("officer", "/visits/list?q=Branch"),
    ("officer", "/visits/list?q=Branch&page=2"),
    ("officer", "/visits/list?q=Branch 1234"),
    ("officer", "/visits/list?q=d7 1"),
    ("officer", "/visits/list?district=D7"),
    ("officer", "/visits/list?district=D7&page=2"),
    ("officer", "/visits/operations/{operation}/report"),
    ("officer", "/visits/operations/{operation}/report?area=North&page=2"),
    ("officer", "/visits/operations/{operation}/report?page=40"),
    ("admin", "/visits/operations/{operation}/report?area=South"),
    ("manager", "/visits/shop"),
    ("manager", "/visits/shop?page=3&follow_ups_page=2"),
    ("manager", "/premises/{shop}/refusals/"),
    ("manager", "/premises/{shop}/refusals/?page=2"),
]


def test_the_operation_csv_reads_big_tables_through_indexes(national):
    """The CSV is written by a job (operations/prepared.py), not a page: its one statement."""
    from compliance.operations.export import report_csv

    plans = _plans_of(lambda: "".join(report_csv(national["operation"].id, None)))
    assert plans
    assert [(s.split("FROM", 1)[-1][:300], t) for s, t in plans if t] == []


def test_hot_pages_read_big_tables_through_indexes(client, login_as, national):
    """One load of data for every page (the load is the slow part). No plan is costed past
    `jit_above_cost` either: the pages run without `SET LOCAL jit = off` (which would open a
    transaction on a GET), so such a plan would be JIT-compiled on every request."""
    jit_above = float(db.session.execute(text("SHOW jit_above_cost")).scalar())
    problems, costly = {}, {}
    for who, url in HOT_PAGES:
        login_as(national[who])
        url = url.format(operation=national["operation"].id, shop=national["shop"].id,
                         agency=national["officer"].agency_id)

        def _get(url=url) -> None:
            response = client.get(url)
            assert response.status_code == 200, url
            response.get_data()

        plans = _explained(_get)
        assert plans, url
        scans = [(statement.split("FROM", 1)[-1][:300], _seq_scans(plan) & BIG)
                 for statement, plan in plans if _seq_scans(plan) & BIG]
        if scans:
            problems[url] = scans
        over = [(statement[:200], plan["Total Cost"]) for statement, plan in plans
                if plan["Total Cost"] >= jit_above]
        if over:
            costly[url] = over
    assert problems == {}, f"sequential scans of big tables: {problems}"
    assert costly == {}, f"plans costed past jit_above_cost ({jit_above}): {costly}"


def test_tally_upkeep_reads_visits_through_indexes(national):
    """Changing a submitted visit of a big operation reads that visit's share, never the
    operation's visits."""
    visit = db.session.scalar(select(Visit).where(
        Visit.operation_id == national["operation"].id, Visit.status == "submitted")
        .order_by(Visit.id).limit(1))
    visit = services.load_visit(visit.id)
    actor = Actor(user=national["officer"], ip_address="test")

    def _edit() -> None:
        editing.save_outcome(visit, services.VisitOutcome("referred", ["leaflets"], "Moved"),
                             services.Edit(visit.lock_version, "Corrected"), actor)

    plans = _plans_of(_edit)
    assert any("operation_id" in statement for statement, _ in plans)
    scans = [(statement[:300], tables) for statement, tables in plans if tables]
    assert scans == []
    counts, _premises = tallies.stored(db.session.connection())
    assert (counts, _premises) == tallies.fresh(db.session.connection())


def test_the_training_matrix_reads_a_page_of_a_big_business_in_order(client, login_as, national):
    """A business of 2,000 people: the matrix's page of people is a range of the people index
    (ix_users_retailer_people) read in the page's order, not a sort of the business, and
    neither it nor the count reads the users table whole."""
    db.session.execute(text(
        """INSERT INTO users (email, name, password_hash, role, retailer_id, premises_id,
                              active, failed_sign_ins, session_version, created_at)
           SELECT 'chain' || i || '@example.com', 'Person ' || i, 'x', 'staff', :chain, :shop,
                  i % 10 <> 0, 0, 1, now()
           FROM generate_series(1, 2000) i"""),
        {"chain": national["manager"].retailer_id, "shop": national["shop"].id})
    db.session.execute(text("ANALYZE users"))
    login_as(national["manager"])

    def _get() -> None:
        response = client.get("/training/matrix?page=3")
        assert response.status_code == 200 and "Person " in response.text

    seen: list[tuple[str, dict]] = []
    engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine

    def _capture(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    plans = _explained(_get)
    people = [(s, p) for s, p in plans
              if "FROM users" in s and "ORDER BY users.active DESC" in s and "LIMIT" in s]
    assert len(people) == 1
    nodes = _node_types(people[0][1])
    assert ("Index Scan", "users") in nodes, nodes
    assert not {"Sort", "Incremental Sort", "Gather Merge"} & {kind for kind, _ in nodes}, nodes
    # The plan a worker keeps once psycopg prepares the page's statements: the business is a
    # literal, so it is still that business's page of the index in order, and the count reads
    # only its range. As parameters, PostgreSQL took a business for the average few people
    # and sorted the chain's 2,000 on every page.
    event.listen(engine, "before_cursor_execute", _capture)
    try:
        _get()
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    for statement, parameters in seen:
        if "FROM users" in statement and "retailer_id" in statement:
            generic = _node_types(_generic_plan(statement, parameters))
            assert not {"Sort", "Incremental Sort"} & {kind for kind, _ in generic}, \
                (statement[:200], generic)
            assert ("Seq Scan", "users") not in generic, (statement[:200], generic)
    seq_users = [s[:200] for s, p in plans if ("Seq Scan", "users") in _node_types(p)]
    assert seq_users == []


def _index_scans(plan: dict) -> set[tuple[str, str]]:
    """(node type, index name) of every node of a plan that reads an index."""
    found = {(plan["Node Type"], plan["Index Name"])} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):
        found |= _index_scans(child)
    return found


def test_the_shops_follow_ups_in_progress_are_read_in_due_order(client, login_as, national):
    """The manager's visits page lists the follow-ups not closed first, by due date: that half
    and its counts are read from ix_follow_ups_retailer_open_due (at national scale, an Index
    Scan in due order that stops at the page's end), not from the three statuses' ranges of
    ix_follow_ups_retailer_status_due sorted together."""
    # A chain with 600 follow-ups of its own, 400 of them in progress.
    db.session.execute(text(
        """INSERT INTO follow_ups (visit_id, premises_id, retailer_id, action, due_on, status,
                                   created_by_id, created_at)
           SELECT id, premises_id, retailer_id, 'Train the staff',
                  current_date - (n % 90)::int + 30,
                  CASE WHEN n % 3 = 0 THEN 'closed' ELSE 'open' END, officer_id, now()
           FROM (SELECT v.*, row_number() OVER (ORDER BY v.id) AS n FROM visits v
                 WHERE v.retailer_id = :chain AND v.status = 'submitted') numbered
           WHERE n <= 600"""), {"chain": national["manager"].retailer_id})
    db.session.execute(text("ANALYZE follow_ups"))
    login_as(national["manager"])

    def _get() -> None:
        assert client.get("/visits/shop").status_code == 200

    engine = db.engine.engine if hasattr(db.engine, "engine") else db.engine
    seen: list[tuple[str, dict]] = []

    def _capture(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _capture)
    try:
        plans = [(s, p) for s, p in _explained(_get) if "count_0.waiting" in s]
    finally:
        event.remove(engine, "before_cursor_execute", _capture)
    assert len(plans) == 1
    indexes = {name for _kind, name in _index_scans(plans[0][1])}
    assert "ix_follow_ups_retailer_open_due" in indexes, indexes
    # The plan PostgreSQL keeps once the statement is prepared, made without the values,
    # uses the partial index too: 'closed' is in the text (plan_constants), not a parameter.
    statement, parameters = next((s, p) for s, p in seen if "count_0.waiting" in s)
    generic = {name for _kind, name in _index_scans(_generic_plan(statement, parameters))}
    assert "ix_follow_ups_retailer_open_due" in generic, generic


def test_the_certificate_account_and_audit_lists_read_a_page_in_order(client, login_as,
                                                                     national):
    """20,000 certificates, 12,000 accounts and 30,000 audit events: each list's page is a
    range of its index read in the page's order (ix_certificates_issued, _retailer_issued,
    ix_users_name, _role_name, ix_audit_events_at_id, _action_at_id), not a sort of the table,
    and its bounded count reads no table whole; the admins' home finds locked accounts through
    ix_users_locked_until. Before: a sort of every certificate (37 ms a page at national
    scale), of every account (30 ms), and a count of every event (a million: 107 ms)."""
    db.session.execute(text(
        """INSERT INTO audit_events (at, actor_id, action, summary)
           SELECT now() - i * interval '1 minute', :admin,
                  CASE WHEN i % 3 = 0 THEN 'sign_in' ELSE 'visit_submitted' END, 'Event'
           FROM generate_series(1, 30000) i"""), {"admin": national["admin"].id})
    db.session.execute(text("ANALYZE audit_events"))
    db.session.execute(text(
        """INSERT INTO certificates (code, kind, holder_user_id, retailer_id, holder_name,
                                     business_name, details, issued_at, expires_at,
                                     verifications)
           SELECT 'KSC-' || lpad(i::text, 12, '0'), 'staff', u.id, u.retailer_id, u.name,
                  'Business', '{}', now() - (i % 700) * interval '1 day',
                  now() + (365 - i % 700) * interval '1 day', 0
           FROM generate_series(1, 20000) i
           JOIN users u ON u.id = (SELECT min(id) FROM users WHERE role = 'staff') + i % 12000
           WHERE u.role = 'staff'"""))
    db.session.execute(text(
        """UPDATE certificates SET retailer_id = :chain WHERE id % 40 = 0"""),
        {"chain": national["manager"].retailer_id})
    db.session.execute(text("ANALYZE certificates"))
    db.session.execute(text("ANALYZE users"))
    pages = [("officer", "/certificates/", "FROM certificates"),
             ("admin", "/certificates/?page=7", "FROM certificates"),
             ("manager", "/certificates/?page=2", "FROM certificates"),
             ("admin", "/admin/users", "FROM users"),
             ("admin", "/admin/users?role=staff&page=3", "FROM users"),
             ("admin", "/admin/audit?page=4", "FROM audit_events"),
             ("admin", "/admin/audit?action=sign_in&page=2", "FROM audit_events")]
    for who, url, table in pages:
        login_as(national[who])

        def _get(url=url) -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        plans = _explained(_get)
        listed = [(s, p) for s, p in plans if table in s and "LIMIT" in s and "ORDER BY" in s]
        assert len(listed) == 1, (url, [s[:120] for s, _ in plans])
        # The page itself: no sort. Its count (an InitPlan) reads at most cap + 1 rows of the
        # same index, or a business's few hundred through its own index: never the table.
        page = _main_path(listed[0][1])
        assert not {"Sort", "Incremental Sort", "Gather Merge"} & {k for k, _ in page}, \
            (url, page)
        assert ("Seq Scan", table.split()[-1]) not in _node_types(listed[0][1]), (url, page)
    login_as(national["admin"])
    plans = _explained(lambda: client.get("/").get_data())
    locked = [p for s, p in plans if "locked_until >" in s]
    assert len(locked) == 1 and ("Seq Scan", "users") not in _node_types(locked[0]), locked
    # The jobs page reads the jobs not finished through their indexes, never every email and
    # PDF ever sent (a million finished jobs: 230 ms).
    db.session.execute(text(
        """INSERT INTO job_outbox (key, name, payload, created_at, enqueued_at, attempts,
                                   finished_at)
           SELECT md5('job' || i), 'mail.send', '{}', now(), now(), 1, now()
           FROM generate_series(1, 30000) i"""))
    db.session.execute(text("ANALYZE job_outbox"))
    plans = _explained(lambda: client.get("/admin/jobs/").get_data())
    jobs = [(s[:120], _node_types(p)) for s, p in plans if "FROM job_outbox" in s]
    assert len(jobs) == 2 and all(("Seq Scan", "job_outbox") not in n for _s, n in jobs), jobs


def test_the_shop_finder_sends_its_patterns_as_literals(client, login_as, national):
    """The search's patterns are in the SQL as quoted literals, never parameters: psycopg
    prepares a statement after five runs and PostgreSQL may then plan it once for any
    pattern (a generic plan), which cannot use a trigram index and read every shop: 40 ms a
    search at national scale after a dozen searches, 3 to 20 ms with literals (measured in
    docs/benchmarks.md, stop 25). Each search still plans with its own pattern."""
    login_as(national["officer"])
    # (psycopg's paramstyle doubles each % of a literal in the statement text)
    for search, pattern in (("d71aa", "'%%d71aa%%'"), ("Business 17", "'%%business 17%%'"),
                            ("O'Brien", "'%%o''brien%%'")):
        def _get(search=search) -> None:
            assert client.get("/visits/premises", query_string={"q": search}).status_code == 200

        plans = _explained(_get)
        found = [s for s, _p in plans if s.lstrip().startswith("SELECT") and "ILIKE" in s]
        assert len(found) == 1, search
        assert pattern in found[0], found[0]


def test_an_officers_answers_to_review_are_a_range_of_their_agencys(client, login_as, national):
    """An officer's home lists the answered follow-ups waiting for their review, longest
    waiting first: their agency's submitted visits' are a range of
    ix_follow_ups_agency_answered in waiting order, read to the count's cap and no further;
    their own visits' outside the agency are found through their visits. Before, every
    agency's answers were read in waiting order until a hundred of theirs turned up (an
    agency of a tenth of the country: a thousand; a small agency: all of them)."""
    login_as(national["officer"])
    plans = [(s, p) for s, p in _explained(lambda: client.get("/").get_data())
             if "FROM follow_ups" in s and "responded_at" in s]
    assert len(plans) == 1, [s[:200] for s, _ in plans]
    scans = _index_scans(plans[0][1])
    assert ("Index Scan", "ix_follow_ups_agency_answered") in scans, scans
    assert "visits" not in _seq_scans(plans[0][1])
    # Each part is read once, for the count and the page both (it was read once for each).
    reads = [n for n in _node_types(plans[0][1]) if n[1] == "follow_ups"]
    assert len(reads) == 3, reads  # the agency's part, the officer's own, the page's rows
    # The officer's own visits outside the agency (150 from before their move) are found
    # first; their answers are then looked up by visit, not picked out of every answered
    # follow-up in the country (ix_follow_ups_status: all of them, whatever the officer).
    assert not any(index == "ix_follow_ups_status" for _, index in scans), scans


def test_an_officers_follow_ups_in_progress_are_a_range_of_their_agencys(client, login_as,
                                                                        national):
    """The officer dashboard's follow-ups in progress, soonest due first: their agency's
    submitted visits' are a range of ix_follow_ups_agency_open_due, their own visits'
    outside the agency looked up by visit. Before, the country's open follow-ups were read in
    due order (ix_follow_ups_open_due) until twenty were the agency's."""
    login_as(national["officer"])
    plans = [(s, p) for s, p in _explained(lambda: client.get("/visits/").get_data())
             if s.startswith("SELECT follow_ups.id")]
    assert len(plans) == 1, [s[:200] for s, _ in plans]
    scans = _index_scans(plans[0][1])
    assert ("Index Scan", "ix_follow_ups_agency_open_due") in scans, scans
    assert not any(index in ("ix_follow_ups_open_due", "ix_follow_ups_status")
                   for _, index in scans), scans
    assert not _seq_scans(plans[0][1]) & BIG


def test_a_managers_home_reads_a_range_of_the_business_premises_by_name(client, login_as,
                                                                       national):
    """The manager's home: a page of the business's premises by name, counted whole
    (count(*) OVER ()), is a range of ix_premises_retailer_name in page order. Indexed by
    business alone, the plan made for the business's own values (a statement's first five
    runs on a connection) walked every premises in the country in name order, keeping the
    chain's: 20 ms a page for a chain of 500 among 50,000."""
    login_as(national["manager"])
    plans = [(s, p) for s, p in _explained(lambda: client.get("/").get_data())
             if "FROM premises" in s and "OVER ()" in s]
    assert len(plans) == 1, [s[:200] for s, _ in plans]
    assert ("Index Scan", "ix_premises_retailer_name") in _index_scans(plans[0][1])
    assert not {"Sort", "Incremental Sort"} & {k for k, _ in _node_types(plans[0][1])}


def test_a_search_of_one_or_two_characters_reads_shops_through_indexes(client, login_as,
                                                                       national):
    """Too short for a trigram, "anywhere" read every shop and business (60 to 90 ms at
    national scale); the start of a word is found through the same trigram indexes, in the
    shop finder and the visit search, for a search that matches no shop as for one that
    matches a district's."""
    login_as(national["officer"])
    for url in ("/visits/premises?q=zq", "/visits/premises?q=D7", "/visits/list?q=zq",
                "/visits/list?q=d7", "/visits/list?q=7a"):
        def _get(url=url) -> None:
            assert client.get(url).status_code == 200, url

        plans = _explained(_get)
        assert plans, url
        scans = [(s.split("FROM", 1)[-1][:200], _seq_scans(p) & {"premises", "retailers"})
                 for s, p in plans if _seq_scans(p) & {"premises", "retailers"}]
        assert scans == [], url
