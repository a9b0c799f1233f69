"""Demo visits: "Operation Sceptre, November 2026", a dozen visits across six demo shops, and a
failed test purchase at Demo Hardware Retail Park with an open follow-up.

Idempotent: the visits carry fixed idempotency keys, so a second run adds nothing. Everything
goes through the services, so the audit log and the failed-purchase rule are as in real use.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from compliance.audit import Actor
from compliance.extensions import db
from compliance.followups import services as followups
from compliance.models import ChecklistItem, Jurisdiction, Operation, Premises, Retailer, User
from compliance.shops.services import new_claim_code
from compliance.visits import editing, services
from compliance.visits.checklist import checklist_groups
from compliance.visits.timezone import from_uk

OPERATION = "Operation Sceptre, November 2026"
AREAS = ["Exampleton North", "Exampleton South"]

# (business, claimed, [(shop, address, postcode)])
SHOPS = [
    ("Riverside Cutlery Co", True, [
        ("Riverside Cutlery Market Square", "3 Market Square", "EX1 2MS"),
        ("Riverside Cutlery Station Road", "48 Station Road", "EX2 3SR")]),
    ("Northgate Garden Centre Ltd", True, [
        ("Northgate Garden Centre", "Northgate Road", "EX4 1NG")]),
    ("Corner Hardware", False, [("Corner Hardware", "2 Side Street", "EX3 9CH")]),
]

# (shop, day in November 2026, time, area, type, test purchase sold?, outcome, materials)
VISITS = [
    ("Demo Hardware High Street", 17, "10:00", 0, "engagement", None, "advice_given",
     ["posters", "leaflets"]),
    ("Demo Hardware Retail Park", 17, "11:30", 1, "engagement", None, "compliant", ["posters"]),
    ("Riverside Cutlery Market Square", 17, "14:00", 0, "test_purchase", False, "compliant", []),
    ("Riverside Cutlery Station Road", 18, "10:15", 1, "test_purchase", False, "compliant", []),
    ("Northgate Garden Centre", 18, "13:00", 1, "engagement", None, "advice_given",
     ["leaflets", "training_sign_up"]),
    ("Corner Hardware", 18, "15:30", 0, "engagement", None, "non_compliant",
     ["posters", "leaflets", "training_sign_up"]),
    ("Demo Hardware Retail Park", 19, "16:00", 1, "test_purchase", True, "non_compliant", []),
    ("Northgate Garden Centre", 19, "11:00", 1, "test_purchase", False, "compliant", []),
    ("Corner Hardware", 20, "10:00", 0, "test_purchase", False, "advice_given", ["posters"]),
    ("Demo Hardware High Street", 20, "14:30", 0, "test_purchase", False, "compliant", []),
    ("Riverside Cutlery Market Square", 21, "12:00", 0, "follow_up", None, "compliant", []),
    ("Riverside Cutlery Station Road", 21, "15:00", 1, "engagement", None, "referred",
     ["leaflets"]),
]

ADVICE = {
    "advice_given": "Put Challenge 25 signs at the knife display and the till, and refresh "
                    "staff training on acceptable ID.",
    "non_compliant": "Move bladed items behind the counter, add a till prompt for every "
                     "bladed product and start a refusals register.",
}


def load() -> None:
    if services.visit_by_key("demo-visit-01") is not None:
        return
    if db.session.scalar(select(ChecklistItem.id).limit(1)) is None:
        from compliance.training.content import load_content

        load_content()
    officer = db.session.scalar(select(User).where(User.email == "officer@example.com"))
    admin = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    operation = db.session.scalar(select(Operation).where(Operation.name == OPERATION))
    if operation is None:
        operation = Operation(name=OPERATION, starts_on=date(2026, 11, 16),
                              ends_on=date(2026, 11, 22), areas=AREAS,
                              created_by_id=admin.id if admin else None)
        db.session.add(operation)
    _add_shops()
    actor = Actor(user=officer, ip_address="demo")
    for number, row in enumerate(VISITS, start=1):
        _record(number, row, operation, actor)


def _add_shops() -> None:
    for business, claimed, shops in SHOPS:
        retailer = db.session.scalar(select(Retailer).where(Retailer.name == business))
        if retailer is None:
            retailer = Retailer(name=business, claimed=claimed,
                                contact_name="Demo Owner" if claimed else "",
                                contact_email="owner@example.com" if claimed else "")
            db.session.add(retailer)
            db.session.flush()
        for name, street, postcode in shops:
            if db.session.scalar(select(Premises.id).where(Premises.name == name)) is None:
                db.session.add(Premises(
                    retailer_id=retailer.id, name=name, address_line_1=street,
                    town="Exampleton", postcode=postcode,
                    jurisdiction=Jurisdiction.ENGLAND_WALES,
                    claim_code=None if claimed else new_claim_code()))
    db.session.flush()


def _record(number: int, row: tuple, operation: Operation, actor: Actor) -> None:
    shop_name, day, clock, area, kind, sold, outcome, materials = row
    shop = db.session.scalar(select(Premises).where(Premises.name == shop_name))
    hours, minutes = (int(x) for x in clock.split(":"))
    details = services.VisitDetails(
        visited_at=from_uk(date(2026, 11, day), time(hours, minutes)), visit_type=kind,
        officers_present="Olu Officer, PC Dana Demo", operation_id=operation.id,
        area=AREAS[area], person_spoken_to="Duty manager", person_role="Manager")
    visit, _created = services.start_visit(shop, details, f"demo-visit-{number:02d}", actor)
    visit = services.load_visit(visit.id)
    _findings(visit, number, actor)
    if sold is not None:
        editing.save_test_purchase(visit, services.PurchaseAttempt(
            volunteer_age=15, item_attempted="Kitchen knife", id_asked=not sold, sold=sold,
            staff_member="Sales assistant on the till" if sold else None, letter_sent=True),
            services.Edit(visit.lock_version), actor)
    editing.save_outcome(visit, services.VisitOutcome(
        outcome=outcome, materials=materials, advice_given=ADVICE.get(outcome),
        officer_notes="Demo note: seen only by officers."), services.Edit(visit.lock_version),
        actor)
    if sold:
        followups.raise_follow_up(visit, followups.FollowUpDetails(
            action="Retrain every member of staff who sells knives on Challenge 25, and "
                   "record the training.", due_on=date(2026, 12, 10),
            evidence_wanted="The signed training records",
            guidance_link="/training/"), actor, mail=None)  # demo data: nobody is emailed
    services.submit_visit(visit, visit.lock_version, actor, mail=None)


def _findings(visit, number: int, actor: Actor) -> None:
    """Most checks met; a few not, varying by visit, so the report has something to show."""
    groups = checklist_groups()
    items = [item for group in groups for item in group.items][:10]
    answers = {}
    for i, item in enumerate(items):
        unmet = (i + number) % 4 == 0
        answers[item.id] = ("no" if unmet else "yes", None)
    editing.save_findings(visit, items, answers, services.Edit(visit.lock_version), actor)
