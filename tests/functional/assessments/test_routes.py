"""Self-assessment journeys through the HTTP interface, on the real 22-item checklist."""

from datetime import timedelta

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Assessment, AuditEvent, RefusalSignOff, TrainingCompletion
from compliance.models.base import utcnow
from compliance.refusals.clock import monday_of, uk_today
from tests.factories import PremisesFactory, RefusalFactory
from tests.functional.assessments.helpers import (
    answer,
    answer_everything,
    answers_of,
    assessment_version,
    base,
    draft_of,
    esc,
    manual_items,
)


def _start_answer_five_and_stop(client, premises, items) -> Assessment:
    index = client.get(base(premises) + "/")
    assert "Start a new self-assessment" in index.text and "No self-assessment" in index.text
    assert "Check the premises profile first" in client.get(base(premises) + "/new").text
    started = client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    assert started.headers["Location"] == f"{base(premises)}/{assessment.id}/resume"
    assert client.get(started.headers["Location"]).headers["Location"].endswith(
        f"/items/{items[0].key}")
    first = client.get(f"{base(premises)}/{assessment.id}/items/{items[0].key}")
    assert esc(items[0].question) in first.text and "Critical (5 points)" in first.text
    assert esc(items[0].how_to_fix) in first.text and "Save and come back later" in first.text
    for item in items[:4]:
        saved = answer(client, premises, assessment, item, "no" if item == items[0] else "yes")
    assert saved.headers["Location"].endswith(f"/items/{items[4].key}")
    stopped = answer(client, premises, assessment, items[4], "partly", note="Half done",
                     save_and_stop="1")
    assert stopped.headers["Location"] == base(premises) + "/"
    page = client.get(base(premises) + "/")
    assert "Your answers are saved" in page.text and "5 answers saved" in page.text
    return assessment


def _finish(client, premises, items, assessment) -> None:
    """Another manager carries on from the first gap and answers the rest."""
    resumed = client.get(f"{base(premises)}/{assessment.id}/resume")
    assert resumed.headers["Location"].endswith(f"/items/{items[5].key}")
    assert client.post(base(premises) + "/new").headers["Location"].endswith(
        f"/{assessment.id}/resume")  # one draft per premises
    tasks = client.get(f"{base(premises)}/{assessment.id}/tasks")
    assert f"You have answered 5 of {len(items)} questions" in tasks.text
    assert len(items) == 19  # twenty manual items, less the Scottish licence
    assert "From your records" in tasks.text
    for item in items[5:]:
        answer(client, premises, assessment, item,
               "na" if item.applicability != "always" else "yes")
    check = client.get(f"{base(premises)}/{assessment.id}/check")
    assert "Check your answers before you submit" in check.text
    assert "active staff at this premises have a current quiz pass" in check.text
    assert check.text.count(">Change<") == 19


def test_manager_stops_part_way_another_manager_resumes_and_submits(client, login_as, shop):
    premises, items = shop["premises"], manual_items()
    login_as(shop["manager"])
    assessment = _start_answer_five_and_stop(client, premises, items)
    login_as(shop["deputy"])
    _finish(client, premises, items, assessment)
    refused = client.post(f"{base(premises)}/{assessment.id}/check",
                          data={"declaration_name": "", "lock_version": 99})
    assert "Enter your full name" in refused.text
    assert "Confirm that the answers are true" in refused.text
    submitted = client.post(f"{base(premises)}/{assessment.id}/check", data={
        "declaration_name": "Dee Deputy", "confirm": "y",
        "lock_version": assessment_version(assessment)})
    assert submitted.headers["Location"] == f"{base(premises)}/{assessment.id}"
    db.session.refresh(assessment)
    assert (assessment.status, assessment.rating) == ("submitted", "red")
    assert assessment.submitted_by_id == shop["deputy"].id
    assert assessment.next_due_at - assessment.submitted_at > timedelta(days=88)
    stored = answers_of(assessment)
    assert len(stored) == 21 and stored["staff-trained-and-refreshed"] == "no"  # no licence item
    assert db.session.scalar(select(AuditEvent.target_id).where(
        AuditEvent.action == "assessment_submitted")) == assessment.id

    result = client.get(f"{base(premises)}/{assessment.id}")
    assert "Action plan" in result.text and ">Red<" in result.text
    plan = result.text[result.text.index("Action plan"):result.text.index("All answers")]
    assert plan.index(esc(items[0].question)) < plan.index("Partly")
    assert "At least one Critical item is not met" in result.text
    assert "S59:" in plan  # sources named with their titles


def test_green_when_every_item_is_met_and_staff_trained(client, login_as, shop):
    premises = shop["premises"]
    db.session.add(TrainingCompletion(user_id=shop["staff"].id, attempt_id=_attempt(shop),
                                      completed_at=utcnow(),
                                      expires_at=utcnow() + timedelta(days=300),
                                      score_percent=100))
    RefusalFactory(premises=premises, recorded_by=shop["staff"])
    db.session.add(RefusalSignOff(premises_id=premises.id, week_start=monday_of(uk_today()),
                                  signed_by_id=shop["manager"].id, entries=1))
    db.session.flush()
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    answer_everything(client, premises, assessment)
    client.post(f"{base(premises)}/{assessment.id}/check", data={
        "declaration_name": "Mo Manager", "confirm": "y",
        "lock_version": assessment_version(assessment)})
    db.session.refresh(assessment)
    assert (assessment.rating, assessment.score_percent) == ("green", 100)
    assert assessment.next_due_at - assessment.submitted_at > timedelta(days=364)
    result = client.get(f"{base(premises)}/{assessment.id}")
    assert "Every applicable item is met" in result.text
    index = client.get(base(premises) + "/")
    assert "Scores over time" in index.text and "100%" in index.text


def _attempt(shop) -> int:
    from compliance.models import QuizAttempt

    attempt = QuizAttempt(user_id=shop["staff"].id, jurisdiction="england-wales", total=1,
                          pass_mark=80, submitted_at=utcnow(), score=1, passed=True)
    db.session.add(attempt)
    db.session.flush()
    return attempt.id


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(client, login_as, shop):
    premises, item = shop["premises"], manual_items()[0]
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    url = f"{base(premises)}/{assessment.id}/items/{item.key}"
    empty = client.post(url, data={"note": "We keep a list", "lock_version": 1})
    assert empty.status_code == 200 and "govuk-error-summary" in empty.text
    assert "Select yes, partly or no" in empty.text and "We keep a list" in empty.text
    assert empty.text.startswith("<!DOCTYPE html>") and "<title>Error:" in empty.text
    forged = client.post(url, data={"answer": "na", "lock_version": 1})
    assert "Select yes, partly or no" in forged.text
    long = client.post(url, data={"answer": "yes", "note": "x" * 1001, "lock_version": 1})
    assert "Note must be 1000 characters or fewer" in long.text
    assert 'value="yes" checked' in long.text or "checked" in long.text
    assert answers_of(assessment) == {}


def test_not_applicable_only_when_the_profile_allows_it(client, login_as, shop):
    premises = shop["premises"]
    remote = next(i for i in manual_items() if i.applicability == "online_or_phone")
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    url = f"{base(premises)}/{assessment.id}/items/{remote.key}"
    page = client.get(url)
    assert "Not applicable" in page.text and "does not apply" in page.text
    assert answer(client, premises, assessment, remote, "na").status_code == 302

    client.post(f"/premises/{premises.id}/profile", data={
        "jurisdiction": "england-wales", "sells_remotely": "yes", "click_and_collect": "no",
        "stock_kinds": ["kitchen-cutlery"]})
    page = client.get(url)
    assert 'value="na"' not in page.text
    assert "Select yes, partly or no" in answer(client, premises, assessment, remote, "na").text
    # The saved Not applicable no longer fits the profile: the check page says so.
    check = client.get(f"{base(premises)}/{assessment.id}/check")
    assert "Your premises profile says this item applies" in check.text


def test_a_stale_save_is_refused_with_a_clear_message(client, login_as, shop):
    premises, items = shop["premises"], manual_items()
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    stale = assessment_version(assessment)
    answer(client, premises, assessment, items[0], "no", note="The deputy's answer")

    mine = client.post(f"{base(premises)}/{assessment.id}/items/{items[0].key}",
                       data={"answer": "yes", "note": "Mine", "lock_version": stale})
    assert mine.status_code == 409
    assert "Another manager saved this self-assessment" in mine.text
    assert "The saved answer to this question is now: No" in mine.text
    assert "The deputy&#39;s answer" in mine.text and ">Mine</textarea>" in mine.text
    assert answers_of(assessment) == {items[0].key: "no"}  # not silently overwritten
    fresh = f'name="lock_version" type="hidden" value="{assessment_version(assessment)}"'
    assert fresh in mine.text
    again = client.post(f"{base(premises)}/{assessment.id}/items/{items[0].key}",
                        data={"answer": "yes", "lock_version": assessment_version(assessment)})
    assert again.status_code == 302 and answers_of(assessment) == {items[0].key: "yes"}

    # Submitting from a stale check page is refused too.
    check = client.post(f"{base(premises)}/{assessment.id}/check",
                        data={"declaration_name": "Mo", "confirm": "y", "lock_version": stale})
    assert "Another manager changed this self-assessment" in check.text
    assert draft_of(premises) is not None


def test_submitting_with_gaps_names_them(client, login_as, shop):
    premises, items = shop["premises"], manual_items()
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    answer(client, premises, assessment, items[0])
    response = client.post(f"{base(premises)}/{assessment.id}/check", data={
        "declaration_name": "Mo", "confirm": "y",
        "lock_version": assessment_version(assessment)})
    assert "There is a problem" in response.text and "Answer item 2:" in response.text
    assert f"/items/{items[1].key}?change=1" in response.text
    assert draft_of(premises) is not None


def test_submitted_assessments_are_kept_unchanged(client, login_as, shop, people):
    premises, items = shop["premises"], manual_items()
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    answer_everything(client, premises, assessment)
    client.post(f"{base(premises)}/{assessment.id}/check", data={
        "declaration_name": "Mo", "confirm": "y", "lock_version": assessment_version(assessment)})
    late = answer(client, premises, assessment, items[0], "no")
    assert late.headers["Location"] == f"{base(premises)}/{assessment.id}"
    assert answers_of(assessment)[items[0].key] == "yes"

    # An admin rewrites item 1: the submitted assessment keeps the version it answered.
    login_as(people["admin"])
    edited = client.post(f"/admin/checklist/{items[0].key}/edit", data={
        "question": "A brand new wording?", "officer_check": items[0].officer_check,
        "why": items[0].why, "how_to_fix": items[0].how_to_fix, "weight": "critical",
        "applicability": "always", "basis": "law", "sources": "S59, S55"})
    assert edited.status_code == 302
    login_as(shop["officer"])
    result = client.get(f"{base(premises)}/{assessment.id}")
    assert esc(items[0].question) in result.text and "A brand new wording?" not in result.text


def test_officers_read_results_but_not_drafts_and_strangers_read_nothing(client, login_as,
                                                                         shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    client.post(base(premises) + "/new")
    assessment = draft_of(premises)
    login_as(shop["officer"])
    assert client.get(base(premises) + "/").status_code == 200
    assert client.get(f"{base(premises)}/{assessment.id}").status_code == 404
    assert client.get(f"{base(premises)}/{assessment.id}/tasks").status_code == 403
    login_as(shop["stranger"])
    assert client.get(base(premises) + "/").status_code == 403
    assert client.get(f"{base(premises)}/{assessment.id}").status_code == 403
    other = PremisesFactory()
    login_as(shop["manager"])
    assert client.get(f"/premises/{other.id}/assessments/{assessment.id}/tasks").status_code \
        == 403
    mine_elsewhere = PremisesFactory(retailer=premises.retailer)
    assert client.get(f"/premises/{mine_elsewhere.id}/assessments/{assessment.id}/tasks") \
        .status_code == 404


def test_premises_page_links_to_the_records(client, login_as, shop):
    premises = shop["premises"]
    url = f"/businesses/{premises.retailer_id}/premises/{premises.id}"
    login_as(shop["manager"])
    page = client.get(url)
    assert f"/premises/{premises.id}/assessments/" in page.text
    assert f"/premises/{premises.id}/refusals/" in page.text
    assert f"/premises/{premises.id}/profile" in page.text
    login_as(shop["staff"])
    page = client.get(url)
    assert f"/premises/{premises.id}/assessments/" not in page.text
    assert f"/premises/{premises.id}/refusals/new" in page.text
