"""The shipped content: complete, sourced, and loaded idempotently with versions."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from compliance.extensions import db
from compliance.models import Question, Source, TrainingModule
from compliance.training.content import CONTENT_DIR, ContentError, load_content, read_module_file
from compliance.training.rendering import render_markdown

MODULES = sorted((CONTENT_DIR / "modules").glob("*.md"))
QUESTIONS = yaml.safe_load((CONTENT_DIR / "questions.yaml").read_text(encoding="utf-8"))
SOURCES = {s["tag"] for s in yaml.safe_load((CONTENT_DIR / "sources.yaml").read_text())}
REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "domain" / "knife-sales-uk.md"


def test_at_least_ten_modules_of_five_to_ten_minutes():
    assert len(MODULES) >= 10
    for path in MODULES:
        meta = read_module_file(path)
        words = len(meta["body"].split())
        assert 5 <= meta["reading_minutes"] <= 10, path.name
        assert 800 <= words <= 2400, (path.name, words)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_module_cites_known_sources_and_has_a_review_date(path):
    meta = read_module_file(path)
    cited = set(re.findall(r"S\d+[a-z]?", " ".join(re.findall(r"\[([^\]]+)\]", meta["body"]))))
    assert cited <= set(meta["sources"]) <= SOURCES
    assert meta["last_reviewed"] and meta["version"] >= 1
    assert "UNVERIFIED" not in meta["body"]


def test_modules_cover_the_required_topics():
    slugs = {read_module_file(p)["slug"] for p in MODULES}
    assert {"law-and-liability", "what-counts-as-a-knife", "prohibited-weapons-and-marketing",
            "challenge-25-and-id", "refusing-a-sale", "proxy-and-concerning-sales",
            "display-storage-and-till-prompts", "remote-sales-and-delivery",
            "vulnerability-and-reporting", "test-purchases"} <= slugs
    text = " ".join(p.read_text() for p in MODULES)
    for must in ("Crimestoppers", "0800 555 111", "101", "999", "Challenge 25", "Scotland",
                 "Northern Ireland", "awaiting confirmation of commencement"):
        assert must in text, must


def test_question_bank_is_big_enough_and_well_formed():
    slugs = {read_module_file(p)["slug"] for p in MODULES}
    assert len(QUESTIONS) >= 60
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    scenarios = [q for q in QUESTIONS if re.match(r"(A|An|Your|You)\b", q["text"])]
    assert len(scenarios) >= 20
    for q in QUESTIONS:
        right = sum(o["correct"] for o in q["options"])
        assert q["module"] in slugs
        assert (right == 1) if q["kind"] == "single" else (right >= 2), q["id"]
        assert set(q["sources"]) <= SOURCES and q["sources"], q["id"]
        assert q["explanation"].strip(), q["id"]
        assert set(q["jurisdictions"]) <= {"england-wales", "scotland", "northern-ireland"}
    assert {q["kind"] for q in QUESTIONS} == {"single", "multiple"}


def test_source_list_matches_the_reference():
    if not REFERENCE.exists():
        pytest.skip("the shared domain reference is not beside this checkout")
    table_tags = set(re.findall(r"^\| (S\d+[a-z]?) \|", REFERENCE.read_text(), re.M))
    assert table_tags == SOURCES


def test_loading_twice_adds_nothing_the_second_time(app):
    first = load_content()
    assert len(first.modules_added) == len(MODULES)
    assert len(first.questions_added) == len(QUESTIONS)
    second = load_content()
    assert (second.modules_added, second.questions_added, second.sources) == ([], [], 0)
    assert db.session.scalar(select(func.count(Source.id))) == len(SOURCES)


def test_a_changed_file_becomes_a_new_version_and_history_stays(app, tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    load_content(copy)
    module_file = sorted((copy / "modules").glob("*.md"))[0]
    module_file.write_text(module_file.read_text().replace("## ", "## Updated: ", 1))
    questions = yaml.safe_load((copy / "questions.yaml").read_text())
    questions[0]["explanation"] = "A clearer explanation."
    (copy / "questions.yaml").write_text(yaml.safe_dump(questions, allow_unicode=True))
    report = load_content(copy)
    slug = read_module_file(module_file)["slug"]
    assert report.modules_added == [slug]
    assert report.questions_added == [questions[0]["id"]]
    versions = db.session.scalars(select(TrainingModule).where(TrainingModule.slug == slug)
                                  .order_by(TrainingModule.version)).all()
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert "Updated: " not in versions[0].body_markdown
    q_versions = db.session.scalars(select(Question).where(
        Question.key == questions[0]["id"]).order_by(Question.version)).all()
    assert [q.explanation for q in q_versions][-1] == "A clearer explanation."
    assert len(q_versions) == 2


def test_malformed_module_file_is_refused(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter here")
    with pytest.raises(ContentError):
        read_module_file(bad)
    bad.write_text("---\nslug: x\ntitle: y\n---\nBody")
    with pytest.raises(ContentError, match="missing"):
        read_module_file(bad)


def test_markdown_renders_with_govuk_classes_and_linked_sources():
    html = render_markdown("## Title\n\nA fact [S6, S32].\n\n- one\n- two\n\n<script>x</script>")
    assert '<h2 class="govuk-heading-m">Title</h2>' in html
    assert 'href="#source-S6"' in html and 'href="#source-S32"' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_checklist_loads_22_versioned_items_with_two_automatic(app):
    report = load_content()
    assert len(report.checklist_added) == 22
    from compliance.models import ChecklistItem

    items = db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.number)).all()
    assert [i.number for i in items] == list(range(1, 23))
    assert {i.key: i.automatic for i in items if i.automatic} == {
        "staff-trained-and-refreshed": "training", "refusals-register": "refusals"}
    assert sum(i.points for i in items) == sum(
        {"critical": 5, "high": 3, "medium": 2, "low": 1}[i.weight] for i in items)
    assert {i.applicability for i in items} == {
        "always", "online_or_phone", "click_and_collect", "scotland"}
    for item in items:
        assert set(item.source_tags) <= SOURCES and item.how_to_fix
    assert load_content().checklist_added == []
