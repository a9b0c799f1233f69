"""Admins manage the question bank in the browser and with GIFT files."""

import io
import re

import pytest
from sqlalchemy import delete, func, select

from compliance.extensions import db
from compliance.models import Question, Role
from compliance.training.content import load_content
from tests.factories import UserFactory


@pytest.fixture
def admin(login_as, app):
    load_content()
    return login_as(UserFactory(role=Role.ADMIN))


def question_form(**overrides):
    data = {
        "module": "challenge-25-and-id", "jurisdictions": ["england-wales", "scotland"],
        "kind": "single", "text": "A customer offers a bus pass with a photo. Is it acceptable?",
        "option_1_text": "No: it is not on the acceptable ID list", "option_1_correct": "y",
        "option_1_feedback": "Right.",
        "option_2_text": "Yes: it has a photo", "option_2_feedback": "Not on the list.",
        "explanation": "Only the listed documents are acceptable.", "sources": "S32, S37",
    }
    return data | overrides


def count(key=None) -> int:
    stmt = select(func.count(Question.id))
    if key:
        stmt = stmt.where(Question.key == key)
    return db.session.scalar(stmt)


def test_admin_adds_a_question(client, admin):
    response = client.post("/admin/questions/new", data=question_form(), follow_redirects=True)
    assert "saved as version 1" in response.text
    added = db.session.scalar(select(Question).order_by(Question.id.desc()).limit(1))
    assert added.key == "q-099" and added.source_tags == ["S32", "S37"]
    assert [o["correct"] for o in added.options] == [True, False]


def test_question_form_explains_problems_and_keeps_input(client, admin):
    response = client.post("/admin/questions/new", data=question_form(
        kind="multiple", sources="S999, nonsense"))
    assert "needs at least two answers marked as right" in response.text
    assert "Source tags look like S6 or S5b" in response.text
    assert "A customer offers a bus pass" in response.text
    unknown = client.post("/admin/questions/new", data=question_form(sources="S999"))
    assert "not in the source list: S999" in unknown.text


def test_editing_creates_a_new_version(client, admin):
    before = count("q-001")
    page = client.get("/admin/questions/q-001/edit")
    assert "Saving creates version 2" in page.text
    client.post("/admin/questions/q-001/edit", data=question_form())
    assert count("q-001") == before + 1
    versions = db.session.scalars(select(Question).where(Question.key == "q-001")
                                  .order_by(Question.version)).all()
    assert [v.is_current for v in versions] == [False, True]


def test_retiring_keeps_the_question_out_of_new_quizzes(client, admin):
    client.post("/admin/questions/q-002/retire")
    retired = db.session.scalar(select(Question).where(Question.key == "q-002"))
    assert retired.retired_at is not None
    assert "Retired" in client.get("/admin/questions/").text


def test_gift_round_trip_through_the_command_line(runner, app, tmp_path):
    load_content()
    first = runner.invoke(args=["questions", "export", "--format", "gift"])
    assert first.exit_code == 0 and "$CATEGORY: law-and-liability" in first.output
    (tmp_path / "bank.gift").write_text(first.output, encoding="utf-8")
    db.session.execute(delete(Question))
    assert count() == 0
    imported = runner.invoke(args=["questions", "import", str(tmp_path / "bank.gift")])
    assert imported.exit_code == 0, imported.output
    again = runner.invoke(args=["questions", "export", "--format", "gift"])
    assert again.output == first.output


def test_a_bad_gift_file_reports_every_line_and_changes_nothing(runner, app, tmp_path):
    load_content()
    db.session.commit()  # loaded earlier, as in real use (a savepoint release in tests)
    before = count()
    bad = tmp_path / "bad.gift"
    bad.write_text("$CATEGORY: challenge-25-and-id\n\n::ok-1:: Fine? {\n=yes\n~no\n}\n\n"
                   "::bad-1:: Two right? {\n=a\n=b\n~c\n}\n\n::bad-2:: Broken {\n?? what\n=x\n~y\n"
                   "}\n",
                   encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(bad)])
    assert result.exit_code != 0
    assert "line 8:" in result.output and "line 15:" in result.output
    assert "nothing was imported" in result.output
    assert count() == before


def test_import_in_the_browser_previews_then_imports(client, admin):
    gift = ("$CATEGORY: refusing-a-sale\n\n// jurisdictions: england-wales; sources: S32\n"
            "::new-1:: Should you log a refused sale? {\n=Yes, in the refusals register\n"
            "~No, only sales are logged\n####The register shows refusals happen.\n}\n")
    preview = client.post("/admin/questions/import", data={
        "file": (io.BytesIO(gift.encode()), "bank.gift")}, content_type="multipart/form-data")
    assert "Check the import" in preview.text and "New question" in preview.text
    assert count("new-1") == 0  # nothing written by the preview
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', preview.text)[1]
    response = client.post("/admin/questions/import/confirm", data={"payload": payload},
                           follow_redirects=True)
    assert "Imported 1 questions: 1 new versions. Skipped 0." in response.text
    assert db.session.scalar(select(Question).where(Question.key == "new-1")).source_tags == [
        "S32"]
    bad = client.post("/admin/questions/import", data={
        "file": (io.BytesIO(b"::x:: two right {\n=a\n=b\n~c\n}\n"), "bad.gift")},
        content_type="multipart/form-data")
    assert "Nothing was imported" in bad.text and "<td class=\"govuk-table__cell\">1</td>" in \
        bad.text


def test_export_download(client, admin):
    response = client.get("/admin/questions/export.gift")
    assert response.headers["Content-Disposition"].endswith('question-bank.gift"')
    assert "::q-001::" in response.text


def test_content_load_command(runner, app):
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0 and "new module versions" in result.output
    again = runner.invoke(args=["content", "load"])
    assert "0 new sources, 0 new module versions, 0 new question versions" in again.output
