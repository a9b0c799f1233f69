"""The premises profile (managers) and the checklist editor (admins)."""

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import AuditEvent, ChecklistItem
from tests.functional.assessments.helpers import base, manual_items


def test_profile_page_saves_and_explains_errors(client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    empty = client.post(f"/premises/{premises.id}/profile", data={})
    for message in ("Select where the shop is", "Select yes if you sell knives online",
                    "Select yes if you offer click-and-collect",
                    "Select the kinds of bladed stock you sell"):
        assert message in empty.text
    back = f"/businesses/{premises.retailer_id}/premises/{premises.id}"
    saved = client.post(f"/premises/{premises.id}/profile?next={back}", data={
        "jurisdiction": "scotland", "sells_remotely": "no", "click_and_collect": "yes",
        "stock_kinds": ["swords-collectables", "kitchen-cutlery"]})
    assert saved.headers["Location"] == back
    db.session.refresh(premises)
    assert premises.jurisdiction.value == "scotland" and premises.click_and_collect
    assert premises.stock_kinds == ["kitchen-cutlery", "swords-collectables"]
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "premises_profile_updated"))
    offsite = client.post(f"/premises/{premises.id}/profile?next=//evil.example.com", data={
        "jurisdiction": "scotland", "sells_remotely": "no", "click_and_collect": "yes",
        "stock_kinds": ["kitchen-cutlery"]})
    assert offsite.headers["Location"] == base(premises) + "/"


def test_admin_edits_the_checklist_as_a_new_version(client, login_as, people, content):
    item = manual_items()[3]
    login_as(people["admin"])
    listing = client.get("/admin/checklist/")
    assert "22 items" in listing.text and "Answered from records" in listing.text
    form = {"question": item.question, "officer_check": item.officer_check, "why": item.why,
            "how_to_fix": item.how_to_fix + " Check weekly.", "weight": item.weight,
            "applicability": item.applicability, "basis": item.basis,
            "sources": ", ".join(item.source_tags)}
    unknown = client.post(f"/admin/checklist/{item.key}/edit", data=form | {"sources": "S999"})
    assert "These source tags are not in the source list: S999" in unknown.text
    not_law = client.post(f"/admin/checklist/{item.key}/edit",
                          data=form | {"weight": "critical", "basis": "good_practice"})
    assert "Only an item that rests on the law can be Critical" in not_law.text
    no_basis = client.post(f"/admin/checklist/{item.key}/edit", data=form | {"basis": ""})
    assert "Select what the item rests on" in no_basis.text
    bad = client.post(f"/admin/checklist/{item.key}/edit", data=form | {"sources": "five"})
    assert "Enter source tags like S5" in bad.text
    saved = client.post(f"/admin/checklist/{item.key}/edit", data=form, follow_redirects=True)
    assert "Saved version 2 of item" in saved.text
    db.session.expire_all()
    versions = db.session.scalars(select(ChecklistItem).where(ChecklistItem.key == item.key)
                                  .order_by(ChecklistItem.version)).all()
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[1].created_by_id == people["admin"].id
    assert versions[1].how_to_fix.endswith("Check weekly.")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action ==
                                                       "checklist_item_edited"))
    assert event.details == {"changed": ["how_to_fix"]}
    same = client.post(f"/admin/checklist/{item.key}/edit", data=form | {
        "how_to_fix": versions[1].how_to_fix}, follow_redirects=True)
    assert "Nothing changed" in same.text
    assert client.get("/admin/checklist/no-such-item/edit").status_code == 404
