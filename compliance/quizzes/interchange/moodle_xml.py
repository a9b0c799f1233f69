"""Moodle XML (the format of Moodle's whole-bank backups): import and export.

Parsing goes through defusedxml with DTDs, entity declarations and external references all
forbidden, so a file cannot expand entities (billion laughs) or make the server fetch anything.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - used only to build XML, never to parse it
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from compliance.quizzes.interchange.model import (
    JURISDICTIONS,
    KINDS,
    BankQuestion,
    Choice,
    InterchangeError,
    Option,
    Parsed,
    Unsupported,
    decide_kind,
    make_key,
    share,
    to_portal_text,
)

_TYPE_NAMES = {"essay": "essay", "match": "matching", "numerical": "numerical",
               "shortanswer": "short answer", "multianswer": "embedded answers (cloze)",
               "description": "description", "ddwtos": "drag and drop into text",
               "gapselect": "select missing words", "calculated": "calculated"}


class _LineParser(DefusedXMLParser):
    """defusedxml's parser that also notes the line each <question> starts on."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.question_lines: list[int] = []
        start = self.parser.StartElementHandler

        def on_start(tag, attrs):
            if tag == "question":
                self.question_lines.append(self.parser.CurrentLineNumber)
            return start(tag, attrs)

        self.parser.StartElementHandler = on_start


def _root(data: bytes) -> tuple[ET.Element, list[int]]:
    parser = _LineParser()
    try:
        parser.feed(data)
        return parser.close(), parser.question_lines
    except DefusedXmlException as exc:
        raise InterchangeError([(1, "the file declares a DTD or entities, which Moodle XML "
                                    "does not use and this service does not accept")]) from exc
    except ET.ParseError as exc:
        raise InterchangeError([(exc.position[0], f"not well-formed XML: {exc}")]) from exc


def _text(element: ET.Element | None, default_format: str = "html") -> str:
    """The <text> of a Moodle text element, as portal text for its format."""
    if element is None:
        return ""
    return to_portal_text(element.findtext("text") or "", element.get("format", default_format))


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[int, str]] = []
        self.parsed = Parsed()
        self.keys: dict[str, int] = {}
        self.category: str | None = None

    def read(self, data: bytes) -> Parsed:
        root, lines = _root(data)
        if root.tag != "quiz":
            raise InterchangeError([(1, f"expected a Moodle <quiz> document, not <{root.tag}>")])
        for element, line in zip(root.iter("question"), lines, strict=False):
            self.question(element, line)
        if self.errors:
            raise InterchangeError(self.errors)
        return self.parsed

    def question(self, element: ET.Element, line: int) -> None:
        qtype = element.get("type", "")
        if qtype == "category":
            self.category = (element.findtext("category/text") or "").strip() or None
            return
        text_element = element.find("questiontext")
        text = _text(text_element)
        key = make_key(element.findtext("name/text") or "", text)
        if qtype not in ("multichoice", "truefalse"):
            self.parsed.unsupported.append(Unsupported(line, key, _TYPE_NAMES.get(qtype, qtype)))
            return
        if key in self.keys:
            self.error(line, f"duplicate question name {key!r} (first on line {self.keys[key]})")
        self.keys.setdefault(key, line)
        choices = self.choices(element, line, qtype == "truefalse")
        single = qtype == "truefalse" or (element.findtext("single") or "true").strip().lower() \
            in ("true", "1")
        kind, problems = decide_kind(single, choices)
        for problem in problems:
            self.error(line, problem)
        places, sources = self.tags(element, line)
        self.parsed.questions.append(BankQuestion(
            key, self.category, kind, text, tuple(c.option for c in choices),
            _text(element.find("generalfeedback")), places, sources, line))

    def choices(self, element: ET.Element, line: int, true_false: bool) -> list[Choice]:
        out = []
        for answer in element.findall("answer"):
            try:
                fraction = float(answer.get("fraction", "0"))
            except ValueError:
                self.error(line, f"answer fraction {answer.get('fraction')!r} is not a number")
                fraction = 0.0
            text = _text(answer)
            if true_false:
                text = {"true": "True", "false": "False"}.get(text.lower(), text)
            if not text:
                self.error(line, "empty answer text")
            out.append(Choice(Option(text, fraction > 0, _text(answer.find("feedback"))),
                              fraction, fraction >= 100))
        return out

    def tags(self, element: ET.Element, line: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Our metadata travels as Moodle tags: 'jurisdiction:scotland', 'source:S6'."""
        places, sources = [], []
        for tag in element.findall("tags/tag"):
            name, _, value = (tag.findtext("text") or "").strip().partition(":")
            if name == "jurisdiction":
                if value not in JURISDICTIONS:
                    self.error(line, f"unknown jurisdiction {value!r}")
                places.append(value)
            elif name == "source" and value:
                sources.append(value)
        return tuple(places), tuple(sources)

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))


def parse_moodle_xml(data: bytes) -> Parsed:
    """Read a Moodle XML question file, raising InterchangeError with every problem found."""
    return _Reader().read(data)


def _add_text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    ET.SubElement(element, "text").text = text
    return element


def _add_question(quiz: ET.Element, question: BankQuestion) -> None:
    if question.kind not in KINDS:
        raise ValueError(f"{question.key}: unknown question kind {question.kind!r}")
    element = ET.SubElement(quiz, "question", type="multichoice")
    _add_text(element, "name", question.key)
    _add_text(element, "questiontext", question.text, format="plain_text")
    _add_text(element, "generalfeedback", question.explanation, format="plain_text")
    for tag, value in (("defaultgrade", "1"), ("penalty", "0.3333333"), ("hidden", "0"),
                       ("single", "true" if question.kind == "single" else "false"),
                       ("shuffleanswers", "true"), ("answernumbering", "abc")):
        ET.SubElement(element, tag).text = value
    weight = share(sum(o.correct for o in question.options))
    for option in question.options:
        wrong = "0" if question.kind == "single" else "-100"
        answer = _add_text(element, "answer", option.text,
                           fraction=weight if option.correct else wrong, format="plain_text")
        _add_text(answer, "feedback", option.feedback, format="plain_text")
    tags = ET.SubElement(element, "tags")
    for value in [f"jurisdiction:{j}" for j in question.jurisdictions] + [
            f"source:{s}" for s in question.sources]:
        _add_text(tags, "tag", value)


def format_moodle_xml(questions: Iterable[BankQuestion]) -> str:
    """Render questions as a Moodle XML quiz file, one category per module."""
    quiz = ET.Element("quiz")
    category: object = object()
    for question in questions:
        if question.category != category:
            category = question.category
            marker = ET.SubElement(quiz, "question", type="category")
            _add_text(marker, "category", f"$course$/top/{category}")
        _add_question(quiz, question)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, "unicode") + "\n"
