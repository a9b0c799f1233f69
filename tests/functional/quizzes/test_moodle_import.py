"""Moodle files through the import page and the command line: preview first, unsupported
questions skipped only on confirmation, a module for category-less files, round trips."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from compliance.extensions import db
from compliance.models import AuditEvent, Question, Role
from compliance.training.content import load_content
from tests.factories import UserFactory

DATA = Path(__file__).resolve().parents[2] / "data"
DOCS_GIFT = (DATA / "moodle_docs.gift").read_bytes()
EXPORT_XML = (DATA / "moodle_export.xml").read_bytes()


@pytest.fixture
def admin(login_as, app):
    load_content()
    return login_as(UserFactory(role=Role.ADMIN))


def total() -> int:
    return db.session.scalar(select(func.count(Question.id)))


def upload(client, data: bytes, name: str, module: str = ""):
    return client.post("/admin/questions/import", data={
        "file": (io.BytesIO(data), name), "module": module}, content_type="multipart/form-data")


def payload_of(page: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)[1]
            for name in ("payload", "module")}


def test_a_file_without_categories_asks_for_a_module(client, admin):
    before = total()
    page = upload(client, DOCS_GIFT, "moodle.gift").text
    assert "There is a problem" in page
    assert "Select a module for the questions in these categories: (no category)" in page
    assert total() == before


def test_preview_lists_what_changes_and_unsupported_questions_with_their_lines(client, admin):
    before = total()
    page = upload(client, DOCS_GIFT, "moodle.gift", module="challenge-25-and-id").text
    assert "Check the import" in page and "Nothing has been saved yet." in page
    for line, key, qtype in [(13, "Q3", "short answer"), (16, "Q4", "matching"),
                             (19, "Q5", "numerical"), (28, "Q8", "essay"),
                             (77, "you-can-use-your-pencil", "description")]:
        assert re.search(rf">{line}</td><td class=\"govuk-table__cell\">{key}[^<]*</td>"
                         rf"<td class=\"govuk-table__cell\">{qtype}</td>", page), (line, key)
    assert "Import the 13 questions we can; skip 9" in page
    assert page.count(">New question<") == 13
    assert "13 questions have no jurisdictions" in page
    assert total() == before


def test_unsupported_questions_are_skipped_only_when_the_admin_confirms(client, admin):
    before = total()
    page = upload(client, DOCS_GIFT, "moodle.gift", module="challenge-25-and-id").text
    refused = client.post("/admin/questions/import/confirm", data=payload_of(page))
    assert "Confirm that the 9 questions listed will be skipped" in refused.text
    assert total() == before
    done = client.post("/admin/questions/import/confirm",
                       data=payload_of(page) | {"skip_unsupported": "y"}, follow_redirects=True)
    assert "Imported 13 questions: 13 new versions. Skipped 9." in done.text
    assert total() == before + 13
    q1 = db.session.scalar(select(Question).where(Question.key == "Q1"))
    assert (q1.module_slug, q1.kind, [o["text"] for o in q1.options]) == (
        "challenge-25-and-id", "single", ["True", "False"])
    kanji = db.session.scalar(select(Question).where(Question.key == "Kanji"))
    assert kanji.text == "Which of these is not a colour?" and "<" not in kanji.explanation
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questions_imported"))
    assert "13 new versions, 9 skipped" in event.summary


def test_a_damaged_preview_is_refused_and_changes_nothing(client, admin):
    before = total()
    page = client.post("/admin/questions/import/confirm",
                       data={"payload": "not base64!", "module": ""}).text
    assert "Upload the file again" in page and total() == before


def test_a_moodle_xml_export_imports_with_its_category_and_tags(client, admin):
    page = upload(client, EXPORT_XML, "moodle.xml").text
    assert "Moodle XML" in page and "Import the 3 questions we can; skip 6" in page
    assert ">140</td>" in page and "embedded answers (cloze)" in page
    client.post("/admin/questions/import/confirm",
                data=payload_of(page) | {"skip_unsupported": "y"})
    question = db.session.scalar(select(Question).where(Question.key == "Who can be prosecuted?"))
    assert question.module_slug == "law-and-liability"  # the category names the module's title
    assert (question.jurisdictions, question.source_tags) == (["england-wales"], ["S33"])


def test_unknown_source_tags_are_reported_at_their_line(client, admin):
    gift = b"$CATEGORY: law-and-liability\n\n// jurisdictions: scotland; sources: S999\n" \
           b"::s-1:: Q {=a ~b}\n"
    page = upload(client, gift, "s.gift").text
    assert "The file has 1 problems" in page and "source tags not in the source list: S999" in page


def test_preview_marks_new_versions_and_unchanged_questions(client, admin, runner):
    exported = runner.invoke(args=["questions", "export"]).output
    edited = exported.replace("Who can be prosecuted?", "Who could be prosecuted?", 1)
    page = upload(client, edited.encode(), "bank.gift").text
    assert page.count(">New version<") == 1
    assert page.count(">No change<") == db.session.scalar(
        select(func.count(Question.id)).where(Question.is_current,
                                              Question.retired_at.is_(None))) - 1


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_round_trip_through_the_command_line_gives_the_same_bank(runner, app, tmp_path, fmt):
    load_content()
    first = runner.invoke(args=["questions", "export", "--format", fmt])
    assert first.exit_code == 0
    path = tmp_path / f"bank.{fmt}"
    path.write_text(first.output, encoding="utf-8")
    rows = {q.key: (q.module_slug, q.kind, q.text, q.options, q.explanation, q.jurisdictions,
                    q.source_tags) for q in db.session.scalars(select(Question))}
    db.session.execute(delete(Question))
    imported = runner.invoke(args=["questions", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert {q.key: (q.module_slug, q.kind, q.text, q.options, q.explanation, q.jurisdictions,
                    q.source_tags) for q in db.session.scalars(select(Question))} == rows
    assert runner.invoke(args=["questions", "export", "--format", fmt]).output == first.output


def test_command_line_lists_unsupported_questions_and_needs_the_flag(runner, app, tmp_path):
    load_content()
    path = tmp_path / "moodle.gift"
    path.write_bytes(DOCS_GIFT)
    before = total()
    no_module = runner.invoke(args=["questions", "import", str(path)])
    assert no_module.exit_code != 0 and "--module" in no_module.output
    refused = runner.invoke(args=["questions", "import", str(path), "--module",
                                  "challenge-25-and-id"])
    assert refused.exit_code != 0 and "--skip-unsupported" in refused.output
    assert "line 16: Q4: matching questions are not supported" in refused.output
    assert total() == before
    dry = runner.invoke(args=["questions", "import", str(path), "--module", "challenge-25-and-id",
                              "--dry-run"])
    assert dry.exit_code == 0 and "nothing was imported" in dry.output and total() == before
    done = runner.invoke(args=["questions", "import", str(path), "--module",
                               "challenge-25-and-id", "--skip-unsupported"])
    assert done.exit_code == 0, done.output
    assert "Imported 13 questions: 13 new versions; skipped 9" in done.output
    assert total() == before + 13


def test_command_line_refuses_hostile_xml(runner, app, tmp_path):
    path = tmp_path / "evil.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM '
                     b'"file:///etc/passwd">]>\n<quiz>&x;</quiz>')
    result = runner.invoke(args=["questions", "import", str(path)])
    assert result.exit_code != 0 and "DTD or entities" in result.output
    assert "root:" not in result.output


def test_moodle_xml_download(client, admin):
    response = client.get("/admin/questions/export.xml")
    assert response.headers["Content-Disposition"].endswith('question-bank.xml"')
    assert response.mimetype == "application/xml"
    assert "<name>\n      <text>q-001</text>" in response.text


def test_a_whole_moodle_bank_fits_through_the_preview(client, admin, app, monkeypatch):
    from compliance.quizzes.interchange import BankQuestion, Option, format_moodle_xml

    # A form limit below the file's size: the preview must send the file back compressed.
    monkeypatch.setitem(app.config, "MAX_FORM_MEMORY_SIZE", 100_000)
    bank = [BankQuestion(f"big-{n}", "law-and-liability", "single", f"Question {n}: " + "x" * 300,
                         (Option("Right " * 40, True, "Yes. " * 40), Option("Wrong", False)),
                         "Because. " * 40, ("england-wales",), ("S1",)) for n in range(200)]
    data = format_moodle_xml(bank).encode()
    assert len(data) > 3 * app.config["MAX_FORM_MEMORY_SIZE"]
    page = upload(client, data, "bank.xml").text
    done = client.post("/admin/questions/import/confirm", data=payload_of(page),
                       follow_redirects=True)
    assert "Imported 200 questions: 200 new versions. Skipped 0." in done.text
