"""The self-assessment numbers the items a premises answers 1, 2, 3... in page order, asks the
Scottish knife dealer's licence item of Scottish premises only, and its action plan lists every
source its advice cites."""

from __future__ import annotations

import html
import re

from compliance.extensions import db
from compliance.models import Jurisdiction
from compliance.training.citations import cited_tags
from tests.functional.assessments.helpers import (
    answer_everything,
    assessment_version,
    base,
    draft_of,
    manual_items,
)

LICENCE = "knife dealer&#39;s licence"


def _start(client, premises):
    client.post(base(premises) + "/new")
    return draft_of(premises)


def _task_numbers(page: str) -> list[int]:
    names = re.findall(r'<div class="govuk-task-list__name-and-hint">(.*?)</div>', page, re.S)
    return [int(re.search(r"(\d+)\.", re.sub(r"<[^>]+>", "", n)).group(1)) for n in names]


def test_items_are_numbered_in_page_order_and_the_licence_is_asked_only_in_scotland(
        client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    tasks = client.get(f"{base(premises)}/{_start(client, premises).id}/tasks").text
    numbers = _task_numbers(tasks)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 20
    assert LICENCE not in tasks

    premises.jurisdiction = Jurisdiction.SCOTLAND
    premises.stock_kinds = ["swords"]
    db.session.flush()
    tasks = client.get(f"{base(premises)}/{draft_of(premises).id}/tasks").text
    assert LICENCE in tasks
    assert _task_numbers(tasks) == list(range(1, len(numbers) + 2))
    item = next(i for i in manual_items(scottish=True) if i.applicability == "scotland")
    page = client.get(f"{base(premises)}/{draft_of(premises).id}/items/{item.key}").text
    names = re.findall(r'<div class="govuk-task-list__name-and-hint">(.*?)</div>', tasks, re.S)
    position = _task_numbers(tasks)[next(i for i, n in enumerate(names) if LICENCE in n)]
    assert f"Item {position} of {len(numbers) + 1}" in page


def test_the_licence_item_is_not_found_for_premises_outside_scotland(client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    draft = _start(client, premises)
    item = next(i for i in manual_items(scottish=True) if i.applicability == "scotland")
    assert client.get(f"{base(premises)}/{draft.id}/items/{item.key}").status_code == 404


def test_the_action_plan_lists_every_source_it_cites(client, login_as, shop):
    premises = shop["premises"]
    login_as(shop["manager"])
    draft = _start(client, premises)
    items = manual_items()
    answer_everything(client, premises, draft, {i.key: "no" for i in items
                                                if i.applicability == "always"})
    client.post(f"{base(premises)}/{draft.id}/check", data={
        "declaration_name": "Mo Manager", "confirm": "y",
        "lock_version": assessment_version(draft)})
    result = client.get(f"{base(premises)}/{draft.id}").text
    plan = result[result.index("Action plan"):result.index("All answers")]
    entries = plan.split('<li class="app-action-plan__item')[1:]
    assert len(entries) >= 10
    beyond_tags = 0
    for item in (i for i in items if i.applicability == "always"):
        entry = next(e for e in entries if item.question[:40] in html.unescape(e))
        listed = entry.split("Sources:", 1)[1]
        cited = cited_tags([item.how_to_fix], item.source_tags)
        beyond_tags += len(set(cited) - set(item.source_tags))
        for tag in cited:
            assert f">{tag}: " in listed, f"{item.key}: {tag} cited but not listed"
    assert beyond_tags > 0  # the advice cites sources the item's own tags leave out


def test_cited_tags_reads_single_and_grouped_citations():
    assert cited_tags(["Do it [S14][S13], see [S5, S71] and [note]."], ["S1", "S14"]) == [
        "S1", "S14", "S13", "S5", "S71"]
    assert cited_tags([None, "[S15b]"]) == ["S15b"]
