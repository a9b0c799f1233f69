"""The printed visit summary lists every source its advice cites ("... [S14][S13]")."""

from __future__ import annotations

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Source
from compliance.training.citations import cited_tags
from tests.visit_factories import FindingFactory, VisitFactory


def test_the_summary_lists_every_source_its_advice_cites(client, login_as, checklist, cast):
    visit = VisitFactory(premises=cast["shop"], officer=cast["officer"])
    unmet = [item for item in checklist if "[S" in item.how_to_fix][:6]
    for item in unmet:
        FindingFactory(visit=visit, item=item, answer="no")
    db.session.flush()
    login_as(cast["officer"])
    page = client.get(f"/visits/{visit.id}/summary").text
    sources = page[page.index('id="sources"'):]
    cited = cited_tags(item.how_to_fix for item in unmet)
    assert len(cited) >= 6
    for tag in cited:
        assert f'id="source-{tag}"' in sources, f"{tag} cited but not listed"
        assert db.session.scalar(select(Source.id).where(Source.tag == tag)), tag

    login_as(cast["manager"])  # the shop's own copy lists them too
    assert f'id="source-{cited[0]}"' in client.get(f"/visits/{visit.id}/summary").text


def test_no_sources_heading_without_anything_to_put_right(client, login_as, checklist, cast):
    visit = VisitFactory(premises=cast["shop"], officer=cast["officer"])
    login_as(cast["officer"])
    assert 'id="sources"' not in client.get(f"/visits/{visit.id}/summary").text
