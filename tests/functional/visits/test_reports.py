"""Visit priorities, operations and the operation report with its CSV."""

from __future__ import annotations

import csv
import gzip
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import (
    Assessment,
    AuditEvent,
    Operation,
    QuizAttempt,
    Refusal,
    Role,
    TrainingCompletion,
)
from compliance.models.base import utcnow
from compliance.priorities.services import priority_list
from compliance.visits.services import clear_earlier_failures, load_visit
from tests.factories import PremisesFactory, RetailerFactory, UserFactory
from tests.visit_factories import (
    CheckFactory,
    FindingFactory,
    FollowUpFactory,
    OperationFactory,
    PurchaseFactory,
    VisitFactory,
)


def _assessment(premises, **values):
    db.session.add(Assessment(premises_id=premises.id, status="submitted",
                              started_by_id=UserFactory(role=Role.MANAGER).id,
                              submitted_at=utcnow() - timedelta(days=5), profile={}, **values))
    db.session.flush()


def _expired_staff(premises):
    person = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
    attempt = QuizAttempt(user_id=person.id, jurisdiction="england-wales", total=1,
                          pass_mark=80, submitted_at=utcnow() - timedelta(days=400))
    db.session.add(attempt)
    db.session.flush()
    db.session.add(TrainingCompletion(user_id=person.id, attempt_id=attempt.id,
                                      completed_at=utcnow() - timedelta(days=400),
                                      expires_at=utcnow() - timedelta(days=35),
                                      score_percent=90))
    db.session.flush()


@pytest.fixture
def shops(cast):
    """One shop per reason, all visited by the officer's agency unless said otherwise."""
    officer = cast["officer"]
    old = utcnow() - timedelta(days=200)
    made = {key: PremisesFactory(name=key) for key in (
        "failed", "red", "overdue", "training", "quiet", "follow_up", "fine", "never",
        "elsewhere", "busy")}
    for key in ("failed", "red", "overdue", "training", "quiet", "follow_up", "fine", "busy"):
        VisitFactory(officer=officer, premises=made[key])
    VisitFactory(officer=cast["stranger"], premises=made["elsewhere"])
    PurchaseFactory(visit=VisitFactory(officer=officer, premises=made["failed"]),
                    premises_id=made["failed"].id)
    _assessment(made["red"], rating="red", next_due_at=utcnow() + timedelta(days=300))
    _assessment(made["overdue"], rating="green", next_due_at=utcnow() - timedelta(days=1))
    _expired_staff(made["training"])
    FollowUpFactory(visit=VisitFactory(officer=officer, premises=made["follow_up"]),
                    due_on=utcnow().date() - timedelta(days=3))
    for key in ("quiet", "busy"):
        made[key].created_at = old
    recorder = UserFactory(role=Role.MANAGER, retailer=made["busy"].retailer)
    db.session.add(Refusal(premises_id=made["busy"].id, occurred_at=utcnow() - timedelta(days=2),
                           product="Knife", reason="no_id", refused_by_name="Jo",
                           recorded_by_id=recorder.id))
    unclaimed = RetailerFactory(claimed=False)
    made["never"].retailer = unclaimed
    db.session.flush()
    return made


def test_priority_list_gives_each_shops_reasons(client, login_as, cast, shops):
    rows = {r.premises.name: [x.key for x in r.reasons] for r in priority_list(cast["officer"])}
    assert rows["failed"] == ["failed_test_purchase"]
    assert rows["red"] == ["assessment_red"]
    assert rows["overdue"] == ["assessment_overdue"]
    assert rows["training"] == ["training_expired"]
    assert rows["quiet"] == ["no_refusals"]
    assert rows["follow_up"] == ["overdue_follow_ups"]
    assert rows["never"] == ["never_visited"]
    # Shop fine: nothing to do; "busy" has recent refusals; "elsewhere" is another agency's.
    assert not {"fine", "busy", "elsewhere"} & set(rows)
    assert list(rows)[0] == "failed"  # the most pressing first
    admin_rows = {r.premises.name for r in priority_list(cast["admin"])}
    assert "elsewhere" not in admin_rows and "never" in admin_rows  # admins see every shop

    login_as(cast["officer"])
    page = client.get("/visits/priorities").text
    for text in ("Unresolved failed test purchase", "Self-assessment rated red",
                 "Self-assessment overdue", "Staff training expired (1 person)",
                 "No refusals recorded for 60 days", "1 overdue follow-up", "Never visited"):
        assert text in page, text
    assert ">elsewhere<" not in page
    assert "Unresolved failed test purchase" in client.get("/visits/").text
    # Each row names its shop, postcode and, for a business not yet registered, says so.
    rows = {r.premises.name: r.premises for r in priority_list(cast["officer"])}
    assert (rows["never"].postcode, rows["never"].retailer.claimed) == (
        shops["never"].postcode, False)
    assert rows["red"].retailer.name == shops["red"].retailer.name
    for name, claimed in (("never", False), ("red", True)):
        cell = page[page.index(f">{name}</a>"):]
        cell = cell[:cell.index("</td>")]
        assert shops[name].postcode in cell
        assert ("not registered" in cell) is not claimed, name


def test_a_follow_up_visit_takes_the_shop_off_the_list(cast, shops):
    visit = VisitFactory(officer=cast["officer"], premises=shops["failed"],
                         visit_type="follow_up", visited_at=utcnow())
    clear_earlier_failures(load_visit(visit.id), Actor(cast["officer"]))
    names = {r.premises.name for r in priority_list(cast["officer"])}
    assert "failed" not in names


@pytest.fixture
def operation_visits(cast):
    officer = cast["officer"]
    op = OperationFactory(name="Operation Sceptre, November 2026", areas=["North", "South"])
    a, b = CheckFactory(officer_check="Challenge 25 signs"), CheckFactory(
        officer_check="Till prompts")
    v1 = VisitFactory(officer=officer, operation_id=op.id, area="North", visit_type=
                      "test_purchase", outcome="non_compliant", materials=["posters",
                                                                          "leaflets"],
                      advice_given="Advice one", officer_notes="NOTE-ONE")
    PurchaseFactory(visit=v1, premises_id=v1.premises_id, sold=True)
    FindingFactory(visit=v1, item=a, checklist_item_id=a.id, answer="no")
    FindingFactory(visit=v1, item=b, checklist_item_id=b.id, answer="partly")
    v2 = VisitFactory(officer=officer, operation_id=op.id, area="North", visit_type=
                      "test_purchase", outcome="compliant", materials=["posters"],
                      advice_given=None)
    PurchaseFactory(visit=v2, premises_id=v2.premises_id, sold=False)
    FindingFactory(visit=v2, item=a, checklist_item_id=a.id, answer="no")
    v3 = VisitFactory(officer=officer, operation_id=op.id, area="South",
                      outcome="advice_given", materials=[], advice_given="=SUM(A1)")
    FindingFactory(visit=v3, item=a, checklist_item_id=a.id, answer="yes")
    VisitFactory(officer=officer, operation_id=op.id, area="North", status="draft")
    VisitFactory(officer=officer, operation_id=OperationFactory().id)
    return op


def _figures(page: str) -> dict:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', page))


def test_operation_report_counts_visits_purchases_and_unmet_checks(client, login_as, cast,
                                                                 operation_visits):
    login_as(cast["officer"])
    op = operation_visits
    page = client.get(f"/visits/operations/{op.id}/report").text
    assert _figures(page) == {"visits": "3", "premises": "3", "attempted": "2", "failed": "1",
                              "rate": "50%"}
    assert page.index("Challenge 25 signs") < page.index("Till prompts")
    assert '<svg role="img" aria-labelledby="chart-outcomes-title chart-outcomes-desc"' in page
    assert "Compliant: 1; Advice given: 1; Non-compliant, follow-up needed: 1" in page
    assert "Posters: 2; Leaflets: 1; Training sign-up: 0" in page
    assert "Advice one" in page
    north = client.get(f"/visits/operations/{op.id}/report?area=North").text
    assert _figures(north) == {"visits": "2", "premises": "2", "attempted": "2", "failed": "1",
                               "rate": "50%"}
    south = client.get(f"/visits/operations/{op.id}/report?area=South").text
    assert _figures(south)["rate"] == "No test purchases"
    assert client.get(f"/visits/operations/{op.id}/report?area=Nowhere").status_code == 404


def _csv(client, url) -> list[dict]:
    """Ask for the CSV as the report page's button does; the job (in-process here, as in the
    demo) writes it; download it from its page."""
    prepared = client.post(url)
    assert prepared.status_code == 302 and prepared.headers["Location"].startswith("/exports/")
    assert "Your file is ready" in client.get(prepared.headers["Location"]).text
    download = client.get(prepared.headers["Location"] + "/download")
    assert download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    download.close()
    return rows


def test_csv_has_officer_notes_only_for_admins_who_ask(client, login_as, cast,
                                                      operation_visits):
    url = f"/visits/operations/{operation_visits.id}/report.csv"
    login_as(cast["officer"])
    rows = _csv(client, url + "?notes=1")
    assert len(rows) == 3 and "Officer notes" not in rows[0]
    assert {r["Test purchase"] for r in rows} == {"sold", "refused", ""}
    assert "'=SUM(A1)" in {r["Advice given"] for r in rows}  # no spreadsheet formulas
    login_as(cast["admin"])
    assert "Officer notes" not in _csv(client, url)[0]
    with_notes = _csv(client, url + "?notes=1&area=North")
    assert len(with_notes) == 2 and "NOTE-ONE" in {r["Officer notes"] for r in with_notes}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "visit_notes_exported"))
    assert event.actor_id == cast["admin"].id and event.details == {"area": "North"}


def test_the_csv_goes_gzipped_to_a_browser_that_accepts_it(client, login_as, cast,
                                                            operation_visits):
    """A browser says it accepts gzip and gets the stored gzipped copy (a tenth of a big CSV's
    bytes), unpacked to the very same CSV; a client that does not say so gets the CSV as it is.
    Each has its own validator, and caches are told the answer varies."""
    from compliance.exports import services as export_services
    from compliance.models import Export

    login_as(cast["officer"])
    prepared = client.post(f"/visits/operations/{operation_visits.id}/report.csv")
    url = prepared.headers["Location"] + "/download"
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "gzip" and packed.mimetype == "text/csv"
    assert gzip.decompress(packed.data) == plain.data
    assert "Officer" in plain.data.decode("utf-8-sig")
    assert all("Accept-Encoding" in r.headers["Vary"] for r in (plain, packed))
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert packed.headers["Cache-Control"] == "no-store"
    assert 'filename=' in packed.headers["Content-Disposition"]
    again = client.get(url, headers={"Accept-Encoding": "gzip",
                                     "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304
    for response in (plain, packed, again):
        response.close()
    # Forgotten with its file.
    export = db.session.scalar(select(Export).order_by(Export.id.desc()))
    copy = export_services.gzip_path_of(export)
    assert copy is not None and copy.is_file()
    assert copy.stat().st_mode & 0o777 == export_services.path_of(export).stat().st_mode & 0o777
    export.requested_at = utcnow() - timedelta(days=export_services.keep_days() + 1)
    db.session.flush()
    assert export_services.purge() == 1
    assert not copy.exists() and not copy.with_name(copy.name[:-3]).exists()


def test_admins_set_up_operations(app, monkeypatch, client, login_as, cast):
    # The visit form offers operations near the visit's date; this one is months ahead.
    monkeypatch.setitem(app.config, "VISIT_FORM_OPERATION_DAYS", 100_000)
    login_as(cast["admin"])
    form = {"name": "Operation Sceptre, May 2027", "starts_on": ["10", "5", "2027"],
            "ends_on": ["16", "5", "2027"], "areas": "Exampleton North\n\nExampleton South\n"
                                                      "exampleton north"}
    assert client.post("/visits/operations/new", data=form).status_code == 302
    op = db.session.scalar(select(Operation).where(Operation.name == form["name"]))
    assert op.areas == ["Exampleton North", "Exampleton South"]
    again = client.post("/visits/operations/new", data=form).text
    assert "An operation with this name already exists" in again
    bad = client.post(f"/visits/operations/{op.id}/edit", data={
        **form, "ends_on": ["1", "5", "2027"]}).text
    assert "End date must be the same as or after the start date" in bad
    client.post(f"/visits/operations/{op.id}/edit", data={**form, "areas": "Central"})
    db.session.refresh(op)
    assert op.areas == ["Central"]
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "Operation")))
    assert actions == ["operation_created", "operation_updated"]
    login_as(cast["officer"])
    listing = client.get("/visits/operations").text
    assert "Operation Sceptre, May 2027" in listing and "Add an operation" not in listing
    page = client.get(f"/visits/new?premises={cast['shop'].id}").text
    assert f'value="{op.id}|Central"' in page


def test_the_operations_list_pages_latest_first(app, client, login_as, cast, monkeypatch):
    """Years of local weeks of action, each with its areas: a page at a time, latest first."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    today = utcnow().date()
    for n in range(5):
        OperationFactory(name=f"Week {n}", starts_on=today - timedelta(days=30 * n),
                         ends_on=today - timedelta(days=30 * n - 6))
    login_as(cast["officer"])
    first = client.get("/visits/operations").text
    shown = re.findall(r">(Week \d)<span", first)
    assert shown == ["Week 0", "Week 1"] and "Page 1 of 3" in first
    assert 'href="/visits/operations?page=2"' in first
    last = client.get("/visits/operations?page=3").text
    assert re.findall(r">(Week \d)<span", last) == ["Week 4"]
