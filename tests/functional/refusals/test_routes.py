"""Refusals register journeys: record, see your own, correct, sign off, download."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import AuditEvent, Refusal, RefusalSignOff, Role
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, to_uk, uk_today
from tests.factories import AgencyFactory, PremisesFactory, RefusalFactory, UserFactory


@pytest.fixture
def shop():
    # Joined a few hours ago, so entries from the last hour or two can be recorded.
    premises = PremisesFactory(name="Corner Hardware", created_at=utcnow() - timedelta(hours=3))
    retailer = premises.retailer
    return {
        "premises": premises,
        "manager": UserFactory(role=Role.MANAGER, retailer=retailer, name="Mo Manager"),
        "staff": UserFactory(role=Role.STAFF, retailer=retailer, premises=premises,
                             name="Sid Staff"),
        "colleague": UserFactory(role=Role.STAFF, retailer=retailer, premises=premises,
                                 name="Cat Colleague"),
        "officer": UserFactory(role=Role.OFFICER, agency=AgencyFactory()),
        "stranger": UserFactory(role=Role.MANAGER, retailer=PremisesFactory().retailer),
    }


def url(premises, path="") -> str:
    return f"/premises/{premises.id}/refusals/{path}"


def local(dt: datetime) -> dict:
    """The date (day, month, year) and time fields for a moment, as typed in the UK."""
    uk = to_uk(dt)
    return {"occurred_at": [str(uk.day), str(uk.month), str(uk.year)],
            "occurred_time": uk.strftime("%H:%M")}


def entries(premises) -> list[Refusal]:
    return list(db.session.scalars(select(Refusal).where(Refusal.premises_id == premises.id)
                                   .order_by(Refusal.id)))


def test_staff_record_a_refusal_with_sensible_defaults(client, login_as, shop):
    premises, staff = shop["premises"], login_as(shop["staff"])
    start = client.get("/refusals/record")
    assert start.headers["Location"] == url(premises, "new")
    form = client.get(url(premises, "new"))
    now = to_uk(utcnow())
    # "When" defaults to now, typed as the GOV.UK date pattern (two-digit day and month, as
    # govuk-frontend-wtf writes a date: "01" on the first) and a time.
    assert f'id="occurred_at-day" name="occurred_at" type="text" value="{now:%d}"' in form.text
    assert f'id="occurred_at-month" name="occurred_at" type="text" value="{now:%m}"' in form.text
    assert f'id="occurred_at-year" name="occurred_at" type="text" value="{now.year}"' in form.text
    assert re.search(r'id="occurred_time" name="occurred_time" type="text" value="\d\d:\d\d"',
                     form.text)
    assert "Date of the refusal</legend>" in " ".join(form.text.split()).replace("> ", ">") \
        .replace(" <", "<")
    assert 'type="datetime-local"' not in form.text
    assert re.search(rf'<option value="{staff.id}" selected>Sid Staff</option>', form.text)
    assert "Mo Manager" in form.text and "Cat Colleague" in form.text
    saved = client.post(url(premises, "new"), data={
        **local(utcnow() - timedelta(minutes=3)), "product": "Craft knife",
        "reason": "no_id", "refused_by": staff.id})
    assert saved.headers["Location"] == url(premises)
    [entry] = entries(premises)
    assert (entry.product, entry.reason, entry.refused_by_name, entry.recorded_by_id) == (
        "Craft knife", "no_id", "Sid Staff", staff.id)
    assert timedelta(0) < utcnow() - entry.occurred_at < timedelta(minutes=5)
    assert entry.description is None

    RefusalFactory(premises=premises, recorded_by=shop["colleague"], product="Axe")
    mine = client.get(url(premises), follow_redirects=True)
    assert "Your refusals" in mine.text and "Craft knife" in mine.text
    assert "Axe" not in mine.text and "Weekly sign-off" not in mine.text
    assert "register.csv" not in mine.text


def test_times_are_typed_and_shown_in_uk_time(app, client, login_as, shop, monkeypatch):
    premises, staff = shop["premises"], login_as(shop["staff"])
    premises.created_at = datetime(2026, 6, 1, tzinfo=UTC)
    db.session.flush()
    monkeypatch.setitem(app.config, "REFUSAL_MAX_DAYS_BACK", 3650)
    client.post(url(premises, "new"), data={
        "occurred_at": ["1", "7", "2026"], "occurred_time": "12:30", "product": "Bread knife",
        "reason": "proxy",
        "refused_by": staff.id})
    [entry] = entries(premises)
    assert entry.occurred_at == datetime(2026, 7, 1, 11, 30, tzinfo=UTC)  # BST is UTC+1
    assert "1 July 2026, 12:30" in client.get(url(premises)).text


def test_bad_input_gets_clear_messages_and_keeps_what_was_typed(client, login_as, shop):
    premises, staff = shop["premises"], login_as(shop["staff"])
    empty = client.post(url(premises, "new"), data={"occurred_at": ["", " ", ""],
                                                     "occurred_time": " ", "product": "",
                                                     "description": "Tall lad"})
    for message in ("Enter the date and time of the refusal", "Enter the product or category",
                    "Select why the sale was refused"):
        assert message in empty.text
    assert "Tall lad" in empty.text and "<title>Error:" in empty.text
    bad = client.post(url(premises, "new"), data={
        "occurred_at": ["45", "13", "2026"], "occurred_time": "25:00", "product": "Axe",
        "reason": "no_id", "refused_by": staff.id})
    assert "Date of the refusal must be a real date" in bad.text and 'value="Axe"' in bad.text
    assert "Enter the time in the 24-hour clock, like 14:30" in bad.text
    assert 'value="45"' in bad.text and 'value="25:00"' in bad.text  # kept as typed
    no_time = client.post(url(premises, "new"), data={
        **local(utcnow()), "occurred_time": "", "product": "Axe", "reason": "no_id",
        "refused_by": staff.id})
    assert "Enter the time of the refusal" in no_time.text
    assert "Enter the date and time of the refusal" not in no_time.text
    future = client.post(url(premises, "new"), data={
        **local(utcnow() + timedelta(hours=2)), "product": "Axe",
        "reason": "no_id", "refused_by": staff.id})
    assert "The date and time of the refusal must be in the past" in future.text
    outsider = client.post(url(premises, "new"), data={
        **local(utcnow()), "product": "Axe", "reason": "nonsense",
        "refused_by": shop["stranger"].id, "description": "x" * 501})
    assert "Select who refused the sale" in outsider.text
    assert "Select why the sale was refused" in outsider.text
    assert "Description must be 500 characters or fewer" in outsider.text
    assert entries(premises) == []


def test_a_correction_is_a_new_entry_and_the_old_one_stays(client, login_as, shop):
    premises, staff = shop["premises"], shop["staff"]
    old = RefusalFactory(premises=premises, recorded_by=staff, product="Kitchen knfe",
                         occurred_at=utcnow() - timedelta(hours=2))
    theirs = RefusalFactory(premises=premises, recorded_by=shop["colleague"])
    login_as(staff)
    listing = client.get(url(premises))
    assert url(premises, f"{old.id}/correct") in listing.text
    assert url(premises, f"{theirs.id}/correct") not in listing.text
    assert client.get(url(premises, f"{theirs.id}/correct")).status_code == 403
    form = client.get(url(premises, f"{old.id}/correct"))
    assert 'value="Kitchen knfe"' in form.text and f"Correct entry {old.id}" in form.text
    assert f'value="{to_uk(old.occurred_at):%H:%M}"' in form.text
    no_reason = client.post(url(premises, f"{old.id}/correct"), data={
        **local(old.occurred_at), "product": "Kitchen knife", "reason": "no_id",
        "refused_by": staff.id})
    assert "Enter what is being corrected and why" in no_reason.text
    assert 'value="Kitchen knife"' in no_reason.text and len(entries(premises)) == 2
    saved = client.post(url(premises, f"{old.id}/correct"), data={
        **local(old.occurred_at), "product": "Kitchen knife", "reason": "no_id",
        "refused_by": staff.id, "correction_reason": "Product name misspelt"},
        follow_redirects=True)
    new = entries(premises)[-1]
    assert f"Correction saved as entry {new.id}" in saved.text
    assert new.corrects_id == old.id and new.product == "Kitchen knife"
    assert new.correction_reason == "Product name misspelt"
    assert "Product name misspelt" in saved.text
    db.session.refresh(old)
    assert old.product == "Kitchen knfe"  # never changed, never deleted
    assert "Corrected</strong>" in saved.text and "Correction</strong>" in saved.text
    assert f'href="#entry-{new.id}">entry {new.id}' in saved.text
    assert db.session.scalar(select(AuditEvent.details).where(
        AuditEvent.action == "refusal_corrected")) == {"premises_id": premises.id,
                                                       "corrects_id": old.id}
    again = client.post(url(premises, f"{old.id}/correct"), data={
        **local(old.occurred_at), "product": "Knife", "reason": "no_id",
        "refused_by": staff.id, "correction_reason": "Again"}, follow_redirects=True)
    assert f"already been corrected by entry {new.id}" in again.text
    assert len(entries(premises)) == 3
    login_as(shop["manager"])
    assert client.get(url(premises, f"{theirs.id}/correct")).status_code == 200
    other = PremisesFactory(retailer=premises.retailer)
    assert client.get(url(other, f"{theirs.id}/correct")).status_code == 404


def test_manager_signs_off_a_week_once(client, login_as, shop):
    premises, manager = shop["premises"], login_as(shop["manager"])
    premises.created_at = utcnow()
    db.session.flush()
    this_week = monday_of(uk_today())
    RefusalFactory(premises=premises, recorded_by=shop["staff"])
    page = client.get(url(premises))
    assert "1 week is not signed off" in page.text
    sign_url = url(premises, f"weeks/{this_week.isoformat()}/sign-off")
    assert sign_url in page.text
    review = client.get(sign_url)
    assert "1 refusal recorded." in review.text
    signed = client.post(sign_url, data={"note": "Spoke to Sid"}, follow_redirects=True)
    assert "signed off" in signed.text and "Every week shown is signed off" in signed.text
    sign_off = db.session.scalar(select(RefusalSignOff))
    assert (sign_off.week_start, sign_off.signed_by_id, sign_off.entries, sign_off.note) == (
        this_week, manager.id, 1, "Spoke to Sid")
    assert "By Mo Manager on" in signed.text
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "refusals_week_signed_off"))
    twice = client.post(sign_url, data={}, follow_redirects=True)
    assert "That week has already been signed off" in twice.text
    assert len(db.session.scalars(select(RefusalSignOff)).all()) == 1
    next_week = this_week + timedelta(weeks=1)
    assert client.post(url(premises, f"weeks/{next_week}/sign-off")).status_code == 404
    tuesday = this_week + timedelta(days=1)
    assert client.get(url(premises, f"weeks/{tuesday}/sign-off")).status_code == 404
    assert client.get(url(premises, "weeks/not-a-date/sign-off")).status_code == 404
    last_week = this_week - timedelta(weeks=1)
    assert client.post(url(premises, f"weeks/{last_week}/sign-off")).status_code == 302


def test_register_csv_for_managers_and_officers(client, login_as, shop):
    premises, staff = shop["premises"], shop["staff"]
    old = RefusalFactory(premises=premises, recorded_by=staff, product="=HYPERLINK(1)",
                         description="Boy, about 15")
    RefusalFactory(premises=premises, recorded_by=staff, product="Craft knife",
                   corrects_id=old.id, refused_by_name="Sid Staff")
    for who in ("manager", "officer"):
        login_as(shop[who])
        response = client.get(url(premises, "register.csv"))
        assert response.mimetype == "text/csv"
        assert f"refusals-register-{premises.id}.csv" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert rows[0][:4] == ["Entry", "Date and time (UK)", "Product or category", "Reason"]
        assert rows[1][2] == "'=HYPERLINK(1)" and rows[1][3] == "No ID"
        assert rows[1][9] == str(old.id + 1) and rows[2][8] == str(old.id)
    for who in ("staff", "stranger"):
        login_as(shop[who])
        assert client.get(url(premises, "register.csv")).status_code == 403


def test_officers_read_any_register_and_strangers_none(client, login_as, shop):
    premises = shop["premises"]
    RefusalFactory(premises=premises, recorded_by=shop["staff"], product="Machete")
    login_as(shop["officer"])
    page = client.get(url(premises))
    assert "Refusals register" in page.text and "Machete" in page.text
    assert "Record a refusal" not in page.text and "Review and sign off" not in page.text
    assert client.get(url(premises, "new")).status_code == 403
    login_as(shop["stranger"])
    assert client.get(url(premises)).status_code == 403
    assert client.post(url(premises, "new"), data={}).status_code == 403
