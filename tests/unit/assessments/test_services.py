"""Self-assessment services: drafts, optimistic locking, evidence from records, submission."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from compliance.assessments import evidence, history, scoring, services
from compliance.assessments.checklist import edit_item
from compliance.assessments.profile import Profile, update_profile
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import (
    Assessment,
    AuditEvent,
    Jurisdiction,
    QuizAttempt,
    RefusalSignOff,
    Role,
    Source,
    TrainingCompletion,
)
from compliance.models.base import utcnow
from tests.factories import ChecklistItemFactory, PremisesFactory, RefusalFactory, UserFactory


@pytest.fixture
def shop():
    premises = PremisesFactory()
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    return premises, manager, Actor(manager, "192.0.2.1")


@pytest.fixture
def items():
    return [ChecklistItemFactory(key="policy", weight="critical", number=1),
            ChecklistItemFactory(key="remote", weight="critical", number=2,
                                 applicability="online_or_phone"),
            ChecklistItemFactory(key="training", weight="critical", number=3,
                                 automatic="training")]


def _sheet(assessment, premises):
    return services.sheet(services.load(assessment.id, premises.id), premises)


def test_one_draft_per_premises_shared_by_its_managers(shop, items):
    premises, manager, actor = shop
    first = services.start_or_resume(premises, actor)
    deputy = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    assert services.start_or_resume(premises, Actor(deputy)) is first
    assert first.started_by_id == manager.id and first.status == "draft"


def test_two_managers_starting_at_the_same_moment_share_one_draft(shop, items, monkeypatch):
    premises, manager, actor = shop
    deputy = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    theirs = services.start_or_resume(premises, Actor(deputy))
    # Our check for a draft ran just before the deputy's insert landed.
    real = services.draft_for
    calls = iter([None])
    monkeypatch.setattr(services, "draft_for", lambda pid: next(calls, None) or real(pid))
    assert services.start_or_resume(premises, actor) is theirs
    drafts = db.session.scalars(select(Assessment).where(Assessment.premises_id == premises.id,
                                                         Assessment.status == "draft")).all()
    assert drafts == [theirs]


def test_the_database_refuses_a_second_draft(shop):
    from sqlalchemy.exc import IntegrityError

    premises, manager, _actor = shop
    db.session.add(Assessment(premises_id=premises.id, status="draft", started_by_id=manager.id))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Assessment(premises_id=premises.id, status="draft",
                                  started_by_id=manager.id))
    db.session.add(Assessment(premises_id=premises.id, status="submitted",
                              started_by_id=manager.id, submitted_at=utcnow()))
    db.session.flush()  # submitted ones are not limited


def test_each_save_bumps_the_version_and_a_stale_one_is_refused(shop, items):
    premises, _manager, actor = shop
    assessment = services.start_or_resume(premises, actor)
    version = assessment.lock_version
    row = _sheet(assessment, premises).row("policy")
    services.save_answer(assessment, premises, row, "yes", " A note ", expected_version=version,
                         actor=actor)
    assert assessment.lock_version == version + 1
    assert row.answer is not None and row.answer.note == "A note"
    with pytest.raises(services.DraftChanged):
        services.save_answer(assessment, premises, row, "no", None, expected_version=version,
                             actor=actor)


def test_a_concurrent_write_raises_draft_changed_not_a_silent_overwrite(shop, items):
    """Both saves passed the form check; the database's version counter catches the loser."""
    premises, _manager, actor = shop
    assessment = services.start_or_resume(premises, actor)
    db.session.flush()
    row = _sheet(assessment, premises).row("policy")
    seen = assessment.lock_version
    db.session.execute(update(Assessment.__table__).where(Assessment.id == assessment.id)
                       .values(lock_version=seen + 1))  # another request committed first
    with pytest.raises(services.DraftChanged):
        services.save_answer(assessment, premises, row, "yes", None, expected_version=seen,
                             actor=actor)
    db.session.rollback()


def test_not_applicable_follows_the_profile(shop, items):
    premises, _manager, actor = shop
    assessment = services.start_or_resume(premises, actor)
    sheet = _sheet(assessment, premises)
    assert sheet.row("remote").na_allowed and not sheet.row("policy").na_allowed
    with pytest.raises(services.NotApplicableRefused):
        services.save_answer(assessment, premises, sheet.row("policy"), "na", None,
                             expected_version=None, actor=actor)
    update_profile(premises, Profile(Jurisdiction.ENGLAND_WALES, True, False, ["craft-diy"]),
                   actor)
    assert not _sheet(assessment, premises).row("remote").na_allowed


def test_training_evidence_counts_active_staff_with_a_current_pass(shop):
    premises, _manager, _actor = shop
    now = utcnow()
    staff = [UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises)
             for _ in range(4)]
    gone = UserFactory(role=Role.STAFF, retailer=premises.retailer, premises=premises,
                       active=False)
    elsewhere = UserFactory(role=Role.STAFF, retailer=premises.retailer,
                            premises=PremisesFactory(retailer=premises.retailer))
    for user, expires in ((staff[0], 200), (staff[1], 10), (staff[2], -1), (gone, 100),
                          (elsewhere, 100), (staff[0], 300)):
        attempt = QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=1,
                              pass_mark=80, submitted_at=utcnow(), score=1, passed=True)
        db.session.add(attempt)
        db.session.flush()
        db.session.add(TrainingCompletion(user_id=user.id, attempt_id=attempt.id,
                                          expires_at=now + timedelta(days=expires),
                                          score_percent=100))
    db.session.flush()
    found = evidence.training_evidence(premises.id, now)
    assert (found.evidence["staff"], found.evidence["trained"], found.answer) == (4, 2, "partly")
    assert found.summary == "2 of 4 active staff at this premises have a current quiz pass."
    nobody = evidence.training_evidence(PremisesFactory().id, now)
    assert nobody.answer == "no" and "No active staff" in nobody.summary


def test_refusals_evidence_counts_the_last_30_days(shop):
    premises, manager, _actor = shop
    now = utcnow()
    assert evidence.refusals_evidence(premises.id, now).answer == "no"
    old = RefusalFactory(premises=premises, recorded_by=manager,
                         occurred_at=now - timedelta(days=40))
    RefusalFactory(premises=premises, recorded_by=manager, occurred_at=now - timedelta(days=3))
    fixed = RefusalFactory(premises=premises, recorded_by=manager,
                           occurred_at=now - timedelta(days=2))
    RefusalFactory(premises=premises, recorded_by=manager, occurred_at=now - timedelta(days=2),
                   corrects_id=fixed.id)  # a correction and its original count once
    found = evidence.refusals_evidence(premises.id, now)
    assert (found.evidence["entries"], found.evidence["sign_offs"], found.answer) == (
        2, 0, "partly")
    db.session.add(RefusalSignOff(premises_id=premises.id, week_start=old.occurred_at.date(),
                                  signed_by_id=manager.id, entries=1,
                                  signed_at=now - timedelta(days=31)))
    db.session.flush()
    assert evidence.refusals_evidence(premises.id, now).answer == "partly"
    db.session.add(RefusalSignOff(premises_id=premises.id, week_start=now.date(),
                                  signed_by_id=manager.id, entries=1, signed_at=now))
    db.session.flush()
    assert evidence.refusals_evidence(premises.id, now).answer == "yes"


def test_submit_scores_stores_evidence_and_closes_the_draft(shop, items):
    premises, manager, actor = shop
    assessment = services.start_or_resume(premises, actor)
    sheet = _sheet(assessment, premises)
    with pytest.raises(services.Unanswered) as exc:
        services.submit(assessment, premises, "Mo", expected_version=None, actor=actor)
    assert exc.value.keys == ["policy", "remote"]
    for key, value in (("policy", "yes"), ("remote", "na")):
        services.save_answer(assessment, premises, sheet.row(key), value, None,
                             expected_version=None, actor=actor)
    result = services.submit(assessment, premises, " Mo Manager ", expected_version=None,
                             actor=actor)
    assert (result.points_met, result.points_applicable, result.rating) == (5, 10, "red")
    assert assessment.status == "submitted" and assessment.declaration_name == "Mo Manager"
    assert assessment.next_due_at == scoring.next_due(assessment.submitted_at, "red")
    stored = _sheet(assessment, premises)
    auto = stored.row("training")
    assert auto.answer.automatic and auto.answer.evidence["staff"] == 0 and auto.value == "no"
    assert "No active staff" in auto.summary
    with pytest.raises(services.AssessmentClosed):
        services.save_answer(assessment, premises, stored.row("policy"), "no", None,
                             expected_version=None, actor=actor)
    assert db.session.scalar(select(AuditEvent.action)) == "assessment_submitted"
    assert history.latest_submitted(premises.id) is assessment


def test_a_draft_keeps_the_version_it_answered_until_the_answer_changes(shop, items):
    premises, manager, actor = shop
    assessment = services.start_or_resume(premises, actor)
    services.save_answer(assessment, premises, _sheet(assessment, premises).row("policy"),
                         "yes", None, expected_version=None, actor=actor)
    admin = Actor(UserFactory(role=Role.ADMIN))
    db.session.add(Source(tag="S5", title="Sentencing guideline", url="https://example.com"))
    v2 = edit_item("policy", {"question": "Reworded?"}, admin)
    row = _sheet(assessment, premises).row("policy")
    assert row.item.version == 1 and row.item.question != "Reworded?"
    services.save_answer(assessment, premises, row, "partly", None, expected_version=None,
                         actor=actor)
    db.session.expire_all()
    assert _sheet(assessment, premises).row("policy").item.id == v2.id


def test_history_and_overview_run_a_fixed_number_of_queries(shop, items, count_queries):
    premises, manager, actor = shop
    for n in range(3):
        db.session.add(Assessment(premises_id=premises.id, status="submitted",
                                  started_by_id=manager.id, submitted_by_id=manager.id,
                                  submitted_at=utcnow() - timedelta(days=100 * n),
                                  score_percent=50 + n, rating="amber"))
    services.start_or_resume(premises, actor)
    db.session.flush()
    with count_queries() as counter:
        overview = history.overview(premises.id)
    assert counter["n"] == 4
    assert [r.assessment.score_percent for r in overview.history] == [50, 51, 52]
    assert [p for _w, p, _r in overview.trend] == [52, 51, 50]
    assert overview.draft is not None and overview.draft_started_by == manager.name
    assert overview.next_due is None and overview.due_now  # hand-made rows: no due date
