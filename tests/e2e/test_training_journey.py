"""A new staff member's whole training journey, in a real browser, by keyboard on a phone.

1. The demo manager invites Nia New through the "Invite a staff member" form; the invitation
   link is read from the served app's memory mailer.
2. In a fresh 360 x 800 context Nia opens the link, creates her password and is signed in.
3. By keyboard only (Tab, Shift+Tab, Enter, Space, arrow keys) she reads every module.
4. She starts the quiz, answers 5 questions, closes the browser; signed in again, the quiz is
   "In progress" and continuing resumes at question 6.
5. She answers the rest wrong (the right answers come from the live server's database) and
   does not pass: the result shows which were wrong, why, and what to read again (not the
   right options).
6. The quiz is cooling off (3 seconds in the live server's settings); after it she passes.
7. The manager's "Training records" show her as trained, and the CSV download lists her.

axe-core checks the training task list, a module, the quiz start page, a question, the
check-answers page and both results (at phone width).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import time
from contextlib import closing
from datetime import datetime

from tests.e2e.conftest import check_a11y, sign_in

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1100, "height": 900}

NIA_NAME = "Nia New"
NIA_EMAIL = "nia.new@example.com"
NIA_PASSWORD = "nia reads every module"
PREMISES = "Demo Hardware High Street"
ANSWER_BEFORE_CLOSING = 5


# --- keyboard helpers -----------------------------------------------------------------------

# What has focus now: enough to recognise a link, a button or a form control.
_ACTIVE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  return {tag: e.tagName.toLowerCase(), id: e.id || "", type: e.type || "",
          name: e.getAttribute("name") || "", value: e.value ?? "",
          text: (e.innerText || "").replace(/\\s+/g, " ").trim(),
          expanded: e.getAttribute("aria-expanded")};
}"""


def _describe(el: dict | None) -> str:
    if el is None:
        return "<body>"
    return f"<{el['tag']} id={el['id']!r} name={el['name']!r}>{el['text'][:40]!r}"


def tab_to(page, matches, *, back: bool = False, limit: int = 200) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; return its description.

    Focus wraps from the last tab stop to the first (through the document), as in a browser.
    """
    key = "Shift+Tab" if back else "Tab"
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        el = page.evaluate(_ACTIVE)
        if el is not None and matches(el):
            return el
        visited.append(_describe(el))
    raise AssertionError(f"{key} x{limit} on {page.url} never reached the element; "
                         f"last stops: {visited[-12:]}")


def text_is(text: str):
    return lambda el: el["text"] == text


def id_is(element_id: str):
    return lambda el: el["id"] == element_id


def press_enter_and_wait(page) -> None:
    """Enter on the focused link or button, and wait for the next page to load."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def activate(page, text: str, *, back: bool = False) -> None:
    """Tab to the link or button with this text and follow it with Enter."""
    tab_to(page, text_is(text), back=back)
    press_enter_and_wait(page)


def type_into(page, element_id: str, value: str) -> None:
    tab_to(page, id_is(element_id))
    page.keyboard.type(value)


def go_to_nav(page, name: str) -> None:
    """Follow a header link: at phone width it is behind the "Menu" button, so open it first."""
    el = tab_to(page, lambda e: e["text"] in (name, "Menu"), back=True)
    if el["text"] == "Menu":
        if el["expanded"] != "true":
            page.keyboard.press("Enter")  # opens the menu; focus stays on the button
            assert page.evaluate(_ACTIVE)["expanded"] == "true"
        tab_to(page, text_is(name))
    press_enter_and_wait(page)


# --- the live server's database (read-only) -------------------------------------------------


def read_db(db_file, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def open_attempt(db_file, email: str) -> dict:
    """The open attempt's id and, per position, the display order and the right answers."""
    rows = read_db(db_file, """
        SELECT qa.id, aa.position, aa.option_order, aa.chosen, q.kind, q.options, q.explanation
        FROM quiz_attempts qa JOIN users u ON u.id = qa.user_id
        JOIN attempt_answers aa ON aa.attempt_id = qa.id
        JOIN questions q ON q.id = aa.question_id
        WHERE u.email = ? AND qa.submitted_at IS NULL ORDER BY aa.position""", email)
    assert rows, f"{email} has no open quiz attempt"
    assert len({r[0] for r in rows}) == 1, "more than one open attempt"
    questions = {}
    for _id, position, order, chosen, kind, options, explanation in rows:
        options = json.loads(options)
        questions[position] = {
            "order": json.loads(order),
            "chosen": json.loads(chosen) if chosen else None,
            "kind": kind,
            "options": options,
            "correct": {i for i, o in enumerate(options) if o["correct"]},
            "explanation": explanation,
        }
    return {"id": rows[0][0], "questions": questions}


def wrong_choice(question: dict) -> set[int]:
    """A choice that is certainly marked wrong: one wrong option (or too few right ones)."""
    wrong = [i for i in question["order"] if i not in question["correct"]]
    if wrong:
        return {wrong[0]}
    return {question["order"][0]} if len(question["correct"]) > 1 else set()


# --- answering one question by keyboard -----------------------------------------------------


def answer_question(page, position: int, total: int, question: dict, choose: set[int]) -> None:
    """On a question page: pick `choose` (canonical option indexes) and save, by keyboard."""
    assert choose, f"question {position}: nothing to choose"
    hint = page.locator("main .govuk-hint").first.inner_text()
    assert hint.startswith(f"Question {position} of {total}."), hint
    inputs = page.locator("main input[name=answer]")
    shown = [int(v) for v in inputs.evaluate_all("els => els.map(e => e.value)")]
    # The inputs' values are positions in the attempt's shuffled order (0, 1, 2...), never the
    # bank's indexes: a value must not tell which option is right.
    assert shown == list(range(len(question["order"]))), f"question {position}: {shown}"
    wanted = {question["order"].index(i) for i in choose}  # the positions of `choose`

    first = tab_to(page, lambda el: el["name"] == "answer")
    if question["kind"] == "single":
        assert first["type"] == "radio" and len(choose) == 1
        target = next(iter(wanted))
        page.keyboard.press("Space")  # select the first option...
        for _ in range(target):
            page.keyboard.press("ArrowDown")  # ...then move (and select) down to the one
    else:
        assert first["type"] == "checkbox"
        el = first
        for i, value in enumerate(shown):
            if i:
                page.keyboard.press("Tab")
                el = page.evaluate(_ACTIVE)
            assert el["name"] == "answer" and int(el["value"]) == value, _describe(el)
            if value in wanted:
                page.keyboard.press("Space")
    checked = inputs.evaluate_all("els => els.filter(e => e.checked).map(e => +e.value)")
    assert set(checked) == wanted, f"question {position}: checked {checked}, wanted {wanted}"
    activate(page, "Save and continue")


# --- the journey ----------------------------------------------------------------------------


def test_new_staff_member_training_journey(browser, live_server, live_app, live_db_file):
    contexts = []

    def new_page(viewport):
        context = browser.new_context(viewport=viewport, base_url=live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    try:
        # 1. The manager invites Nia; the link comes from the served app's outbox. ---------
        manager = new_page(DESKTOP)
        sign_in(manager, live_server, "manager@example.com")
        with manager.expect_navigation():
            manager.get_by_role("link", name="Invite a staff member").click()
        assert manager.locator("h1").inner_text() == "Invite a staff member"
        manager.fill("#name", NIA_NAME)
        manager.fill("#email", NIA_EMAIL)
        manager.select_option("#premises", label=PREMISES)
        with manager.expect_navigation():
            manager.get_by_role("button", name="Send invitation").click()
        banner = manager.locator(".govuk-notification-banner").inner_text()
        assert f"Invitation sent to {NIA_EMAIL}" in banner

        sent = [m for m in live_app.extensions["mailer"].outbox if m.to == NIA_EMAIL]
        assert len(sent) == 1, sent
        assert sent[0].subject == "Join Demo Hardware Ltd on Knife Sales Compliance"
        links = re.findall(r"https?://\S+", sent[0].body)
        assert len(links) == 1, sent[0].body
        link = links[0]
        # url_for(_external=True) with no SERVER_NAME: the host the manager's request came to.
        assert link.startswith(f"{live_server}/auth/invitation/"), link

        # 2. Nia, on her phone, creates her account. ---------------------------------------
        nia = new_page(PHONE)
        nia.goto(link)
        assert nia.locator("h1").inner_text() == "Create your account"
        assert f"You have been invited as {NIA_NAME}" in nia.locator("main").inner_text()
        type_into(nia, "password", NIA_PASSWORD)
        type_into(nia, "confirm", NIA_PASSWORD)
        activate(nia, "Create account")
        assert nia.locator("h1").inner_text() == f"Hello, {NIA_NAME}"
        assert "Your account has been created" in \
            nia.locator(".govuk-notification-banner").inner_text()
        assert f"You work at {PREMISES}" in nia.locator("main").inner_text()

        # 3. By keyboard only: Training, then every module in turn. ------------------------
        go_to_nav(nia, "Training")
        assert nia.locator("h1").inner_text() == "Responsible knife sales training"
        modules = [t.strip() for t in nia.locator(".govuk-task-list").first.locator(
            ".govuk-task-list__link").all_inner_texts()]
        total_modules = len(modules)
        assert total_modules >= 2, modules
        assert f"You have read 0 of {total_modules} modules." in nia.locator("main").inner_text()
        assert nia.locator(".govuk-task-list").nth(1).inner_text().count("Cannot start yet") == 1
        check_a11y(nia)  # the training task list

        activate(nia, modules[0])
        for n, title in enumerate(modules, start=1):
            assert nia.locator("h1").inner_text() == title
            assert nia.locator(".govuk-caption-l").inner_text() == \
                f"Module {n} of {total_modules}"
            if n == 1:
                check_a11y(nia)  # one module page
            # The button is the last tab stop before the footer, after 70 to 100 links to
            # sources: Shift+Tab reaches it from the top of the page (focus wraps round).
            activate(nia, "Confirm I have read this module", back=True)
            assert f"Module marked as read: {title}" in \
                nia.locator(".govuk-notification-banner").inner_text()
        # After the last module the app goes back to the task list.
        assert nia.locator("h1").inner_text() == "Responsible knife sales training"
        assert f"You have read {total_modules} of {total_modules} modules." in \
            nia.locator("main").inner_text()

        activate(nia, "Take the quiz")
        assert nia.locator("h1").inner_text() == "Responsible knife sales quiz"
        check_a11y(nia)  # the quiz start page

        # 4. Five answers, then the browser closes mid-attempt. ----------------------------
        activate(nia, "Start the quiz")
        attempt = open_attempt(live_db_file, NIA_EMAIL)
        questions = attempt["questions"]
        total = len(questions)
        assert total == live_app.config["QUIZ_LENGTH"] == 15
        assert nia.title().startswith(f"Question 1 of {total} ")
        check_a11y(nia)  # a question page
        for position in range(1, ANSWER_BEFORE_CLOSING + 1):
            question = questions[position]
            answer_question(nia, position, total, question, question["correct"])
        assert nia.title().startswith(f"Question {ANSWER_BEFORE_CLOSING + 1} of {total} ")
        saved = open_attempt(live_db_file, NIA_EMAIL)["questions"]
        assert [p for p in saved if saved[p]["chosen"] is not None] == \
            list(range(1, ANSWER_BEFORE_CLOSING + 1))
        nia.context.close()

        nia = new_page(PHONE)
        nia.goto(f"{live_server}/auth/sign-in")
        type_into(nia, "email", NIA_EMAIL)
        type_into(nia, "password", NIA_PASSWORD)
        page_before = nia.url
        press_enter_and_wait(nia)  # Enter in the password field submits the form
        assert nia.url != page_before
        assert nia.locator("h1").inner_text() == f"Hello, {NIA_NAME}"
        go_to_nav(nia, "Training")
        quiz_item = nia.locator(".govuk-task-list").nth(1).inner_text()
        assert "Continue the quiz" in quiz_item and "In progress" in quiz_item, quiz_item
        activate(nia, "Continue the quiz")
        resume = ANSWER_BEFORE_CLOSING + 1
        assert re.search(rf"/training/quiz/{attempt['id']}/{resume}$", nia.url), nia.url
        assert nia.locator("main .govuk-hint").first.inner_text().startswith(
            f"Question {resume} of {total}.")

        # 5. The rest deliberately wrong: she does not pass. -------------------------------
        for position in range(resume, total + 1):
            answer_question(nia, position, total, questions[position],
                            wrong_choice(questions[position]))
        assert nia.locator("h1").inner_text() == "Check your answers before you submit"
        assert nia.locator(".govuk-summary-list__row").count() == total
        check_a11y(nia)  # the check-answers page
        activate(nia, "Submit answers")
        failed_result = nia.url
        assert nia.locator("h1").inner_text() == "You did not pass this time"
        main = nia.locator("main").inner_text()
        score = ANSWER_BEFORE_CLOSING
        assert f"You scored {score} out of {total}" in main
        assert "You can try again after" in main

        # 6. Cooling off: no start button until it is over (3 s in the live settings). ----
        activate(nia, "Back to training")
        quiz_item = nia.locator(".govuk-task-list").nth(1).inner_text()
        assert "Take the quiz again" in quiz_item and "Not passed yet" in quiz_item, quiz_item
        assert "You can try again after" in quiz_item
        nia.goto(f"{live_server}/training/quiz")  # no link to it while cooling off
        start_button = nia.get_by_role("button", name="Start the quiz")
        assert "You can try again after" in nia.locator("main .govuk-inset-text").inner_text()
        assert start_button.count() == 0
        deadline = time.monotonic() + 10
        while start_button.count() == 0:
            assert time.monotonic() < deadline, "the cooling-off never ended"
            time.sleep(0.5)
            nia.reload()
        activate(nia, "Start the quiz")
        retry = open_attempt(live_db_file, NIA_EMAIL)
        assert retry["id"] != attempt["id"]
        for position, question in retry["questions"].items():
            answer_question(nia, position, total, question, question["correct"])
        activate(nia, "Submit answers")
        assert nia.locator(".govuk-panel__title").inner_text() == "You passed"
        assert f"You scored {total} out of {total} (100%)" in \
            nia.locator(".govuk-panel").inner_text()
        assert nia.locator(".app-review").count() == total  # the full review after a pass
        check_a11y(nia)  # the result page (passed)

        # The failed result lists each wrong answer, explained, with what to read again, but
        # not the right option: the same questions can come back.
        nia.goto(failed_result)
        reviews = nia.locator(".app-review")
        assert reviews.count() == total - score
        for i, position in enumerate(range(resume, total + 1)):
            question = questions[position]
            text = reviews.nth(i).inner_text()
            assert text.startswith(f"{position}. "), text
            assert "Right answer:" not in text, text
            assert question["explanation"] in text and "Read again:" in text
        check_a11y(nia)  # the result page (not passed)

        # 7. The manager's training records. -----------------------------------------------
        completed = read_db(live_db_file, """
            SELECT tc.completed_at FROM training_completions tc JOIN users u
            ON u.id = tc.user_id WHERE u.email = ?""", NIA_EMAIL)
        assert len(completed) == 1
        completed_on = datetime.fromisoformat(str(completed[0][0])).date()

        manager.goto(live_server + "/")
        with manager.expect_navigation():
            manager.get_by_role("link", name="Training records").click()
        assert manager.locator("h1").inner_text() == "Training records"
        row = manager.locator("tbody tr").filter(has_text=NIA_NAME)
        assert row.count() == 1
        cells = [c.strip() for c in row.locator("td").all_inner_texts()]
        name, premises, modules_read, last_attempt, done, expires, status = cells
        assert (name, premises) == (NIA_NAME, PREMISES)
        assert modules_read == f"{total_modules} / {total_modules}"
        assert last_attempt.endswith(": 100%, passed"), last_attempt
        assert done == f"{completed_on.day} {completed_on:%B %Y}"
        assert expires and status == "Trained"

        href = manager.get_by_role("link", name="Download as CSV").get_attribute("href")
        response = manager.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("text/csv")
        text = response.body().decode("utf-8-sig")  # the CSV starts with a BOM for Excel
        records = {r["Email"]: r for r in csv.DictReader(io.StringIO(text))}
        assert NIA_EMAIL in records, list(records)
        nia_record = records[NIA_EMAIL]
        assert nia_record["Name"] == NIA_NAME
        assert nia_record["Modules read"] == nia_record["Modules required"] == str(total_modules)
        assert nia_record["Status"] == "Trained"
        assert nia_record["Completed"] == completed_on.isoformat()
    finally:
        for context in contexts:
            context.close()
