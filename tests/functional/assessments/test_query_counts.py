"""Self-assessment pages run a constant number of queries however many rows they show."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Assessment, AssessmentAnswer, ChecklistItem, Role
from compliance.models.base import utcnow
from tests.factories import ChecklistItemFactory, PremisesFactory, UserFactory


def _queries(client, count_queries, url) -> int:
    with count_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
    return counter["n"]


@pytest.fixture
def shop(login_as):
    premises = PremisesFactory()
    manager = login_as(UserFactory(role=Role.MANAGER, retailer=premises.retailer))
    return premises, manager


def _submitted(premises, manager, n) -> list[Assessment]:
    rows = [Assessment(premises_id=premises.id, status="submitted", started_by_id=manager.id,
                       submitted_by_id=manager.id, declaration_name=manager.name,
                       submitted_at=utcnow() - timedelta(days=30 * k), points_met=10,
                       points_applicable=12, score_percent=83, rating="amber",
                       next_due_at=utcnow()) for k in range(n)]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def test_history_and_trend_use_constant_queries(client, count_queries, shop):
    premises, manager = shop
    url = f"/premises/{premises.id}/assessments/"
    _submitted(premises, manager, 1)
    one = _queries(client, count_queries, url)
    _submitted(premises, manager, 19)
    page = client.get(url)
    assert page.text.count("self-assessment</span></a>") == 20 and "<svg" in page.text
    assert _queries(client, count_queries, url) == one


def _answered(assessment, items, value) -> None:
    for item in items:
        db.session.add(AssessmentAnswer(assessment_id=assessment.id, checklist_item_id=item.id,
                                        answer=value))
    db.session.flush()


@pytest.mark.parametrize("page", ["check", "tasks"])
def test_draft_pages_use_constant_queries(client, count_queries, shop, page):
    premises, manager = shop
    items = [ChecklistItemFactory() for _ in range(20)]
    draft = Assessment(premises_id=premises.id, status="draft", started_by_id=manager.id)
    db.session.add(draft)
    db.session.flush()
    url = f"/premises/{premises.id}/assessments/{draft.id}/{page}"
    _answered(draft, items[:1], "yes")
    one = _queries(client, count_queries, url)
    _answered(draft, items[1:], "partly")
    assert _queries(client, count_queries, url) == one


def test_result_and_action_plan_use_constant_queries(client, count_queries, shop):
    premises, manager = shop
    items = [ChecklistItemFactory() for _ in range(20)]
    small, large = _submitted(premises, manager, 2)
    _answered(small, items[:1], "no")
    _answered(large, items, "no")
    one = _queries(client, count_queries, f"/premises/{premises.id}/assessments/{small.id}")
    page = client.get(f"/premises/{premises.id}/assessments/{large.id}")
    assert "20 items are not fully met" in page.text
    assert _queries(client, count_queries,
                    f"/premises/{premises.id}/assessments/{large.id}") == one


def test_checklist_editor_list_uses_constant_queries(client, count_queries, login_as):
    login_as(UserFactory(role=Role.ADMIN))
    ChecklistItemFactory()
    one = _queries(client, count_queries, "/admin/checklist/")
    for _ in range(19):
        ChecklistItemFactory()
    assert len(db.session.scalars(select(ChecklistItem)).all()) == 20
    assert _queries(client, count_queries, "/admin/checklist/") == one
