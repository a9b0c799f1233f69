"""Real Moodle files: GIFT as Moodle's documentation writes it, a Moodle XML export, and XML
that tries to expand entities or reach outside. Each question in and each one reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.quizzes.interchange import (
    BankQuestion,
    InterchangeError,
    Option,
    detect_format,
    format_gift,
    format_moodle_xml,
    parse_gift,
    parse_moodle_xml,
    read_bank,
)
from compliance.quizzes.interchange.model import html_to_text, make_key

pytestmark = pytest.mark.no_db

DATA = Path(__file__).resolve().parents[2] / "data"
DOCS_GIFT = (DATA / "moodle_docs.gift").read_text(encoding="utf-8")
EXPORT_XML = (DATA / "moodle_export.xml").read_bytes()
CATEGORY = "$course$/top/Default for Knife training/challenge-25-and-id"


def summary(question: BankQuestion) -> tuple:
    return (question.line, question.key, question.category, question.kind, question.text,
            [(o.text, o.correct, o.feedback) for o in question.options], question.explanation)


def test_every_supported_gift_construct_from_moodles_documentation():
    parsed = parse_gift(DOCS_GIFT)
    got = [summary(q) for q in parsed.questions]
    tomb = make_key("", "Who's buried in Grant's tomb?")
    assert got == [
        (6, "Q1", None, "single", "1+1=2", [("True", True, ""), ("False", False, "")], ""),
        (9, "Q2", None, "single", "What's between orange and green in the spectrum?",
         [("yellow", True, "right; good!"), ("red", False, "wrong, it's yellow"),
          ("blue", False, "wrong, it's yellow")], ""),
        (32, tomb, CATEGORY, "single", "Who's buried in Grant's tomb?",
         [("Grant", False, ""), ("Jefferson", False, ""), ("no one", True, "")], ""),
        (34, make_key("", "Grant is"), CATEGORY, "single", "Grant is _____ in Grant's tomb.",
         [("buried", False, ""), ("entombed", True, ""), ("living", False, "")], ""),
        (36, make_key("", "Grant was buried in a tomb in New York City."), CATEGORY, "single",
         "Grant was buried in a tomb in New York City.",
         [("True", True, ""), ("False", False, "")], ""),
        (38, make_key("", "The sun rises in the west."), CATEGORY, "single",
         "The sun rises in the west.",
         [("True", False, "This was wrong feedback"), ("False", True, "This was right feedback")],
         ""),
        (40, make_key("", "The sun rises in the east."), CATEGORY, "single",
         "The sun rises in the east.", [("True", True, ""), ("False", False, "")], ""),
        (42, make_key("", "What two people are entombed in Grant's tomb?"), CATEGORY, "multiple",
         "What two people are entombed in Grant's tomb?",
         [("No one", False, ""), ("Grant", True, ""), ("Grant's wife", True, ""),
          ("Grant's father", False, "")], ""),
        (49, "Kanji", CATEGORY, "single", "Which of these is not a colour?",
         [("Table", True, "Right: it is furniture & not a colour."), ("Red", False, ""),
          ("Blue", False, "")], "Tables are furniture."),
        (56, "Markdown question", CATEGORY, "single", "Which is **bold**?",
         [("**this**", True, ""), ("that", False, "")], ""),
        (58, make_key("", "Which answer equals 5?"), CATEGORY, "single", "Which answer equals 5?",
         [("= 2 + 2", False, ""), ("= 2 + 3", True, ""), ("= 2 + 4", False, "")], ""),
        (64, "Escapes: all of them", CATEGORY, "single",
         "Pick the line with {braces}, a ~tilde, a # and a backslash \\.\nSecond line.",
         [("{ } ~ # \\", True, "right: yes"), ("none", False, "")], ""),
        (71, "Exported by Moodle", CATEGORY, "single", "Is this from a Moodle export?",
         [("True", True, "Yes."), ("False", False, "No, it is.")], ""),
    ]
    assert tomb.startswith("who-s-buried-in-grant-s-") and len(tomb) <= 40


def test_every_unsupported_gift_type_is_listed_with_its_line():
    parsed = parse_gift(DOCS_GIFT)
    assert [(u.line, u.key, u.qtype) for u in parsed.unsupported] == [
        (13, "Q3", "short answer"),
        (16, "Q4", "matching"),
        (19, "Q5", "numerical"),
        (22, "Q7", "numerical"),
        (28, "Q8", "essay"),
        (73, make_key("", "Who's buried in Grant's tomb?"), "short answer"),
        (75, make_key("", "Two plus two equals"), "short answer"),
        (77, make_key("", "You can use your pencil and paper for these next math questions."),
         "description"),
        (79, "Q6", "numerical"),
    ]


def test_generated_keys_are_stable_and_fit_the_column():
    first = [q.key for q in parse_gift(DOCS_GIFT).questions]
    assert first == [q.key for q in parse_gift(DOCS_GIFT).questions]
    assert make_key("x" * 41, "") != make_key("x" * 42, "")
    assert all(len(make_key(name, "t")) <= 40 for name in ("a" * 39, "b" * 80, ""))


def test_an_error_in_a_supported_question_rejects_the_file_but_unsupported_ones_are_not_checked():
    bad = DOCS_GIFT.replace("{ =yellow # right; good!", "{ =yellow # right; good! =green")
    with pytest.raises(InterchangeError) as info:
        parse_gift(bad)
    assert info.value.errors == [(9, "a single question needs exactly one right answer, found 2")]


def test_html_is_sanitised_to_plain_text():
    assert html_to_text("<p>One &amp; <b>two</b></p><script>alert(1)</script><p>three</p>") \
        == "One & two\nthree"
    assert html_to_text("<style>p {}</style>a<br>b") == "a\nb"


def test_a_moodle_xml_export_reads_every_question_and_reports_the_rest():
    parsed = parse_moodle_xml(EXPORT_XML)
    category = "$course$/top/Default for Knife training/The law and who is liable"
    assert [summary(q) for q in parsed.questions] == [
        (15, "Who can be prosecuted?", category, "single",
         "Your colleague sells a bread knife to a 16-year-old. Who can be prosecuted?",
         [("Both your colleague and the business", True, "Right."),
          ("Only the manager", False, "")], "Both can be prosecuted."),
        (63, "Which are covered?", category, "multiple",
         "Which of these are covered by the under-18 rule?",
         [("Cutlery knives", True, "Right."), ("Axes", True, ""),
          ("Scissors & compasses", False, "Not covered.")], ""),
        (89, "Strict liability", category, "single", "The offence needs no intent.",
         [("True", True, "Right: it is strict liability."),
          ("False", False, "Intent does not matter.")], ""),
    ]
    first = parsed.questions[0]
    assert (first.jurisdictions, first.sources) == (("england-wales",), ("S33",))
    assert [(u.line, u.key, u.qtype) for u in parsed.unsupported] == [
        (113, "Legal age", "short answer"), (120, "Describe your policy", "essay"),
        (126, "Match the ages", "matching"), (133, "Pocket knife limit", "numerical"),
        (140, "Cloze", "embedded answers (cloze)"), (146, "Read this first", "description")]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<quiz><question type="truefalse"><name><text>&b;</text></name></question></quiz>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><name><text>&secret;</text></name></question></quiz>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://example.invalid/quiz.dtd"><quiz/>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL, DTD_ONLY],
                         ids=["entity expansion", "external entity", "external DTD"])
def test_xml_with_a_dtd_or_entities_is_refused_without_expanding_anything(document):
    with pytest.raises(InterchangeError, match="DTD or entities"):
        parse_moodle_xml(document)


@pytest.mark.parametrize(("document", "fragment"), [
    (b"<quiz><question type='multichoice'>", "not well-formed"),
    (b"<?xml version='1.0'?><questions/>", "expected a Moodle <quiz>"),
    (b"<quiz>\n<question type='multichoice'><name><text>x</text></name>"
     b"<answer fraction='lots'><text>a</text></answer></question></quiz>", "not a number"),
])
def test_broken_xml_is_a_clear_error(document, fragment):
    with pytest.raises(InterchangeError, match=fragment):
        parse_moodle_xml(document)


BANK = [
    BankQuestion("q-1", "law-and-liability", "single", "Who? It's \"quoted\" & <tagged>",
                 (Option("Both", True, "Right: both."), Option("One", False, "")),
                 "Both can be.", ("england-wales", "scotland"), ("S33", "S71")),
    BankQuestion("q-2", "law-and-liability", "multiple", "Which?\nTwo lines.",
                 (Option("A", True), Option("B", True), Option("C", True),
                  Option("D", False, "no")),
                 "", ("northern-ireland",), ()),
    BankQuestion("q-3", "challenge-25-and-id", "single", "Accept?",
                 (Option("%5 off", False), Option("{yes}", True)), "x", (), ("S32",)),
]


def test_moodle_xml_round_trip_gives_the_same_bank():
    text = format_moodle_xml(BANK)
    assert detect_format(text.encode()) == "moodle-xml"
    back = parse_moodle_xml(text.encode()).questions
    assert [q.category for q in back] == [f"$course$/top/{q.category}" for q in BANK]
    assert [q.__class__(**{**q.__dict__, "category": q.category.rsplit("/", 1)[-1]})
            for q in back] == BANK
    assert "<!DOCTYPE" not in text and 'fraction="33.33333"' in text


def test_gift_round_trip_gives_the_same_bank_and_is_detected_as_gift():
    text = format_gift(BANK)
    assert detect_format(text.encode()) == "gift"
    assert read_bank(text.encode()).questions == BANK
    assert read_bank(format_moodle_xml(BANK).encode()).questions[0].key == "q-1"
