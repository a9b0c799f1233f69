"""GIFT import/export of the portal's own files: round trips, escaping, weights and every
parse error with its line. Moodle's wider grammar is tested in test_moodle_gift.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.quizzes.interchange import BankQuestion, InterchangeError, Option, format_gift
from compliance.quizzes.interchange import parse_gift as parse_file

pytestmark = pytest.mark.no_db

QUESTIONS_YAML = Path(__file__).resolve().parents[3] / "compliance" / "content" / "questions.yaml"
SPECIALS = "~ = # { } : \\"


def opt(text: str, correct: bool = False, feedback: str = "") -> Option:
    return Option(text, correct, feedback)


BANK: tuple[BankQuestion, ...] = (
    BankQuestion(
        key="q-001",
        category="law-and-liability",
        kind="single",
        text="Who can be prosecuted if a 16-year-old buys a £3 bread knife?",
        options=(
            opt("The seller and the business", True, "Right: both can be."),
            opt("Only the manager", feedback="No – liability doesn’t depend on the manager."),
            opt("Nobody"),
        ),
        explanation="Strict liability: intent doesn’t matter.",
        jurisdictions=("england-wales",),
        sources=("S33", "S71", "S104"),
    ),
    BankQuestion(
        key="q-002",
        category="law-and-liability",
        kind="multiple",
        text="Which are covered by the under-18 rule?",
        options=(
            opt("Cutlery knives", True, "Right."),
            opt("Axes", True),
            opt("Craft knives", True, "Hobby knives count."),
            opt("Scissors", feedback="Not intended to be covered."),
        ),
        explanation="Three of four.",
        jurisdictions=("england-wales", "northern-ireland"),
        sources=("S1", "S6"),
    ),
    BankQuestion(
        key="q-003",
        category="law-and-liability",
        kind="single",
        text=f"Every special character: {SPECIALS} and a path C:\\new\\table",
        options=(
            opt(f"Answer with {SPECIALS}", True, f"Feedback with {SPECIALS}"),
            opt("%5% off is not a weight", feedback="#hashtag = {braces}"),
            opt("\\ leading backslash and trailing \\"),
        ),
        explanation=f"General feedback with {SPECIALS} and ####",
        jurisdictions=("scotland",),
        sources=("S2",),
    ),
    BankQuestion(
        key="q-004",
        category="challenge-25-and-id",
        kind="multiple",
        text="Line one\nLine two\n\nLine four after a blank line",
        options=(
            opt("First\nsecond line", True, "multi\nline feedback"),
            opt("Two", True),
            opt("Three", feedback="Wrong"),
        ),
        explanation="Explanation\nover two lines",
        jurisdictions=("england-wales", "scotland", "northern-ireland"),
        sources=("S10",),
    ),
    BankQuestion(
        key="q-005",
        category="challenge-25-and-id",
        kind="single",
        text="No metadata, no explanation, no feedback",
        options=(opt("Yes", True), opt("No")),
    ),
    BankQuestion(
        key="q-006",
        category="challenge-25-and-id",
        kind="multiple",
        text="Pick the three: “quotes”, é, 日本, emoji 🔪",
        options=(
            opt("Passport", True, "Yes – photo ID"),
            opt("Driving licence", True),
            opt("PASS card", True, "PASS hologram"),
            opt("Bus pass", feedback="No"),
            opt("Library card", feedback="No"),
        ),
        explanation="Three-way split: 33.33333 each.",
        jurisdictions=("scotland",),
        sources=("S32", "S33"),
    ),
    BankQuestion(
        key="q-007",
        category="challenge-25-and-id",
        kind="multiple",
        text="Two correct",
        options=(opt("A", True), opt("B", True), opt("C")),
    ),
)


def parse_gift(text: str) -> list[BankQuestion]:
    return parse_file(text).questions


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def errors_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(InterchangeError) as info:
        parse_file(text)
    return info.value.errors


def assert_errors(text: str, expected: list[tuple[int, str]]) -> None:
    """The reported line numbers are exactly `expected`, each message containing its fragment."""
    got = errors_of(text)
    assert [line for line, _ in got] == [line for line, _ in expected], got
    for (_, message), (_, fragment) in zip(got, expected, strict=True):
        assert fragment in message, got


# ------------------------------------------------------------------------------ round trips


def test_round_trip_of_the_hand_made_bank():
    text = format_gift(BANK)
    assert parse_gift(text) == list(BANK)
    assert format_gift(parse_gift(text)) == text


@pytest.mark.parametrize("question", BANK, ids=[q.key for q in BANK])
def test_round_trip_of_each_question_alone(question):
    text = format_gift([question])
    assert parse_gift(text) == [question]
    assert format_gift(parse_gift(text)) == text


def test_output_layout_is_pinned():
    assert format_gift(BANK[:2]) == lines(
        "$CATEGORY: law-and-liability",
        "",
        "// jurisdictions: england-wales; sources: S33, S71, S104",
        "::q-001:: Who can be prosecuted if a 16-year-old buys a £3 bread knife? {",
        "=The seller and the business #Right\\: both can be.",
        "~Only the manager #No – liability doesn’t depend on the manager.",
        "~Nobody",
        "####Strict liability\\: intent doesn’t matter.",
        "}",
        "",
        "// jurisdictions: england-wales, northern-ireland; sources: S1, S6",
        "::q-002:: Which are covered by the under-18 rule? {",
        "~%33.33333%Cutlery knives #Right.",
        "~%33.33333%Axes",
        "~%33.33333%Craft knives #Hobby knives count.",
        "~%-100%Scissors #Not intended to be covered.",
        "####Three of four.",
        "}",
    )


def test_special_characters_and_newlines_are_escaped_on_one_line():
    text = format_gift([BANK[2], BANK[3]])
    assert "\\~ \\= \\# \\{ \\} \\: \\\\" in text
    assert "C\\:\\\\new\\\\table" in text
    assert "Line one\\nLine two\\n\\nLine four" in text
    assert "~\\%5% off" in text
    # 2 categories x ($CATEGORY + blank) + 2 questions x (meta, header, 3 options, ####, }) + blank
    assert len(text.splitlines()) == 2 * 2 + 2 * 7 + 1


def test_categories_group_in_first_seen_order():
    a1, a2, b1 = BANK[0], BANK[1], BANK[3]
    text = format_gift([a1, b1, a2])
    assert text.count("$CATEGORY:") == 2
    assert text.index("$CATEGORY: law-and-liability") < text.index("$CATEGORY: challenge-25")
    assert parse_gift(text) == [a1, a2, b1]


def test_empty_bank_is_empty_text():
    assert format_gift([]) == ""
    assert parse_gift("") == []


def test_unknown_kind_cannot_be_exported():
    with pytest.raises(ValueError, match="unknown question kind"):
        format_gift([BankQuestion("q-x", "c", "truefalse", "T?", (opt("a", True), opt("b")))])


def load_real_bank() -> list[BankQuestion]:
    items = yaml.safe_load(QUESTIONS_YAML.read_text(encoding="utf-8"))
    return [
        BankQuestion(
            key=item["id"],
            category=item["module"],
            kind=item["kind"],
            text=item["text"],
            options=tuple(
                Option(o["text"], bool(o["correct"]), o.get("feedback") or "")
                for o in item["options"]
            ),
            explanation=item.get("explanation") or "",
            jurisdictions=tuple(item["jurisdictions"]),
            sources=tuple(str(s) for s in item["sources"]),
        )
        for item in items
    ]


def test_round_trip_of_the_real_question_bank():
    bank = load_real_bank()
    assert len(bank) > 50
    assert {q.kind for q in bank} == {"single", "multiple"}
    text = format_gift(bank)
    # Moodle group order: the real bank is already grouped by module, so order is kept.
    assert parse_gift(text) == bank
    assert format_gift(parse_gift(text)) == text


# ------------------------------------------------------------------------------ reading


@pytest.mark.parametrize(
    ("correct_count", "weight"),
    [(2, "50"), (3, "33.33333"), (4, "25"), (5, "20"), (6, "16.66667"), (7, "14.28571"),
     (8, "12.5"), (9, "11.11111"), (10, "10")],
)
def test_multiple_weights_use_moodle_fractions_and_read_back(correct_count, weight):
    options = tuple(opt(f"right {i}", True) for i in range(correct_count)) + (opt("wrong"),)
    question = BankQuestion("q-w", "c", "multiple", "Pick", options)
    text = format_gift([question])
    assert text.count(f"~%{weight}%right") == correct_count
    assert "~%-100%wrong" in text
    assert parse_gift(text) == [question]


@pytest.mark.parametrize(
    ("answers", "correct"),
    [
        (["~%50%a", "~%50%b", "~%0%c"], [True, True, False]),
        (["~%70%a", "~%30%b", "~%-50%c", "~d"], [True, True, False, False]),
        (["~%33.333%a", "~%33.333%b", "~%33.334%c"], [True, True, True]),
        (["~%33.33%a", "~%33.33%b", "~%33.33%c", "~%-100%d"], [True, True, True, False]),
    ],
)
def test_positive_weight_is_correct_and_zero_or_negative_is_wrong(answers, correct):
    (question,) = parse_gift(lines("$CATEGORY: c", "::q:: Pick {", *answers, "}"))
    assert question.kind == "multiple"
    assert [o.correct for o in question.options] == correct


@pytest.mark.parametrize("char", list("~=#{}:\\"))
def test_tokenizer_does_not_split_on_escaped_characters(char):
    text = lines(
        "$CATEGORY: c",
        f"::q\\{char}1:: Before \\{char} after {{",
        f"=right \\{char} answer #feed \\{char} back",
        f"~wrong\\{char} #x",
        f"####gen\\{char}eral",
        "}",
    )
    (question,) = parse_gift(text)
    assert question.key == f"q{char}1"
    assert question.text == f"Before {char} after"
    assert question.options == (opt(f"right {char} answer", True, f"feed {char} back"),
                                opt(f"wrong{char}", False, "x"))
    assert question.explanation == f"gen{char}eral"


def test_question_without_metadata_gets_empty_tuples_and_other_comments_are_ignored():
    text = lines(
        "// exported from somewhere else",
        "$CATEGORY: c",
        "",
        "// a plain comment, not metadata",
        "::q1:: One {",
        "  =yes",
        "  // comment inside a question",
        "  ~no",
        "}",
        "// jurisdictions: scotland; sources: S1",
        "",
        "::q2:: Two {",
        "=yes",
        "~no",
        "}",
        "::q3:: Three {",
        "=yes",
        "~no",
        "}",
    )
    q1, q2, q3 = parse_gift(text)
    assert (q1.jurisdictions, q1.sources) == ((), ())
    assert (q2.jurisdictions, q2.sources) == (("scotland",), ("S1",))
    assert (q3.jurisdictions, q3.sources) == ((), ())
    assert [q.category for q in (q1, q2, q3)] == ["c", "c", "c"]


def test_category_applies_until_the_next_category_line():
    text = lines(
        "$CATEGORY: first", "::a:: A {", "=y", "~n", "}",
        "::b:: B {", "=y", "~n", "}",
        "$CATEGORY: second", "::c:: C {", "=y", "~n", "}",
    )
    assert [(q.key, q.category) for q in parse_gift(text)] == [
        ("a", "first"), ("b", "first"), ("c", "second")]


def test_windows_line_endings_are_accepted():
    text = format_gift(BANK).replace("\n", "\r\n")
    assert parse_gift(text) == list(BANK)


# ------------------------------------------------------------------------------ errors

ERROR_CASES = {
    "unterminated name": (
        ["$CATEGORY: c", "::q-1 Question {", "=a", "~b", "}"],
        [(2, "missing question name")],
    ),
    "duplicate name": (
        ["$CATEGORY: c", "::q-1:: A {", "=a", "~b", "}", "", "::q-1:: B {", "=a", "~b", "}"],
        [(7, "duplicate question name 'q-1' (first on line 2)")],
    ),
    "unclosed at end of file": (
        ["$CATEGORY: c", "", "::q-1:: A {", "=a", "~b"],
        [(3, "unclosed '{'")],
    ),
    "unclosed before next question": (
        ["$CATEGORY: c", "::q-1:: A {", "=a", "~b", "", "::q-2:: B {", "=a", "~b", "}"],
        [(2, "unclosed '{'")],
    ),
    "unclosed before next category": (
        ["$CATEGORY: c", "::q-1:: A {", "=a", "~b", "$CATEGORY: d", "::q-2:: B {", "=a", "~b", "}"],
        [(2, "unclosed '{'")],
    ),
    "no brace on question line": (
        ["$CATEGORY: c", "::q-1:: A", "=a", "~b", "}"],
        [(2, "expected '{'")],
    ),
    "bad answer line": (
        ["$CATEGORY: c", "::q-1:: A {", "right answer", "=a", "~b #feedback", "}"],
        [(3, "answers must start with '=' or '~'")],
    ),
    "single with no =": (
        ["$CATEGORY: c", "", "::q-1:: A {", "~a", "~b", "}"],
        [(3, "2+ correct options, found 0")],
    ),
    "single with two =": (
        ["$CATEGORY: c", "::q-1:: A {", "=a", "=b", "~c", "}"],
        [(2, "exactly one right answer, found 2")],
    ),
    "one option": (
        ["$CATEGORY: c", "::q-1:: A {", "~%100%a", "}"],
        [(2, "at least 2 options, found 1"), (2, "2+ correct options, found 1")],
    ),
    "multiple with one correct": (
        ["$CATEGORY: c", "::q-1:: A {", "~%100%a", "~%-100%b", "}"],
        [(2, "2+ correct options, found 1")],
    ),
    "multiple weights sum to 90": (
        ["$CATEGORY: c", "::q-1:: A {", "~%50%a", "~%40%b", "~%-100%c", "}"],
        [(2, "sum to 100, not 90")],
    ),
    "multiple weights just outside tolerance": (
        ["$CATEGORY: c", "::q-1:: A {", "~%33.3%a", "~%33.3%b", "~%33.3%c", "}"],
        [(2, "sum to 100, not 99.9")],
    ),
    "unknown jurisdiction": (
        ["$CATEGORY: c", "", "// jurisdictions: england-wales, wales, ireland; sources: S1",
         "::q-1:: A {", "=a", "~b", "}"],
        [(3, "unknown jurisdiction 'wales'"), (3, "unknown jurisdiction 'ireland'")],
    ),
    "empty answer text": (
        ["$CATEGORY: c", "::q-1:: A {", "=", "~ #feedback only", "~b", "}"],
        [(3, "empty answer text"), (4, "empty answer text")],
    ),
    "empty weighted answer text": (
        ["$CATEGORY: c", "::q-1:: A {", "~%50%", "~%50%b", "~%-100%c", "}"],
        [(3, "empty answer text")],
    ),
    "unescaped special in answer": (
        ["$CATEGORY: c", "::q-1:: A {", "=a = b", "~c #d # e", "~f}", "}"],
        [(2, "exactly one right answer, found 2"), (4, "unescaped '#'"), (6, "expected '{'")],
    ),
}


@pytest.mark.parametrize(("rows", "expected"), ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_each_error_is_reported_at_its_line(rows, expected):
    assert_errors(lines(*rows), expected)


def test_every_error_in_a_file_is_reported_together():
    text = lines(
        "::q-1:: No category is fine {",                 # 1
        "=a", "~b", "}",                                 # 2-4
        "$CATEGORY: c",                                  # 5
        "// jurisdictions: mars; sources: S1",           # 6: unknown jurisdiction
        "::q-1:: Duplicate {",                           # 7: duplicate name, two right answers
        "=a", "=b", "~c", "}",                           # 8-11
        "::q-2 Unterminated name {",                     # 12: missing question name
        "=a", "~b", "}",                                 # 13-15
        "::q-3:: Stray text {",                          # 16
        "oops", "=a", "~b", "}",                         # 17-20: 17 text before the answers
        "::q-4:: Empty {",                               # 21
        "=a", "~", "}",                                  # 22-24: 23 empty answer text
        "::q-5:: Weights {",                             # 25: one correct, sum 60
        "~%60%a", "~%-100%b", "}",                       # 26-28
        "::q-6:: Never closed {",                        # 29: unclosed
        "=a", "~b",                                      # 30-31
    )
    expected = [
        (6, "unknown jurisdiction 'mars'"),
        (7, "duplicate question name 'q-1' (first on line 1)"),
        (7, "exactly one right answer, found 2"),
        (12, "missing question name"),
        (17, "answers must start with '=' or '~'"),
        (23, "empty answer text"),
        (25, "2+ correct options, found 1"),
        (25, "sum to 100, not 60"),
        (29, "unclosed '{'"),
    ]
    assert_errors(text, expected)


def test_gift_error_is_a_value_error_listing_lines():
    error = InterchangeError([(3, "first"), (9, "second")])
    assert isinstance(error, ValueError)
    assert error.errors == [(3, "first"), (9, "second")]
    assert str(error) == "line 3: first\nline 9: second"
