"""Moodle GIFT: the full grammar for the question types the portal runs, and export.

Read as Moodle reads it (qformat_gift): questions are blocks separated by blank lines, answers
may share a line, '=' marks the one right answer, '~%50%' gives a weight, {T}/{FALSE} is
true/false, [html]/[markdown] set a text format, backslash escapes special characters.
Essay, matching, numerical, short-answer and description blocks are reported, not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    split_list,
    to_portal_text,
)

_SPECIAL = "~=#{}:"
_ESCAPES = {"n": "\n", "\\": "\\", "%": "%", **{c: c for c in _SPECIAL}}
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_META = re.compile(r"//\s*jurisdictions:\s*(.*?)\s*(?:;\s*sources:\s*(.*))?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_Ch = tuple[str, bool, int]  # (character, was escaped, line number)


def _lex(lines: list[tuple[int, str]]) -> list[_Ch]:
    """Characters of a block with escapes resolved, each with its line number."""
    out: list[_Ch] = []
    for index, (number, text) in enumerate(lines):
        if index:
            out.append(("\n", False, number))
        i = 0
        while i < len(text):
            if text[i] == "\\" and text[i + 1 : i + 2] in _ESCAPES:
                out.append((_ESCAPES[text[i + 1]], True, number))
                i += 2
            else:
                out.append((text[i], False, number))
                i += 1
    return out


def _find(chars: list[_Ch], char: str, start: int = 0) -> int:
    """Index of the first unescaped char at or after start, or -1."""
    return next((i for i in range(start, len(chars)) if chars[i][:2] == (char, False)), -1)


def _text(chars: list[_Ch]) -> str:
    return "".join(c[0] for c in chars).strip()


def _strip(chars: list[_Ch]) -> list[_Ch]:
    start, end = 0, len(chars)
    while start < end and chars[start][0].isspace():
        start += 1
    while end > start and chars[end - 1][0].isspace():
        end -= 1
    return chars[start:end]


class _Reader:
    """Reads one file, recording every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[tuple[int, str]] = []
        self.parsed = Parsed()
        self.keys: dict[str, int] = {}
        self.category: str | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))

    def read(self, text: str) -> Parsed:
        block: list[tuple[int, str]] = []
        comments: list[tuple[int, str]] = []
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip(" \t\r")
            closed = bool(block) and _closed(block)
            if not line or line.startswith("$CATEGORY:") or (
                    block and (line.startswith("::") or closed)):
                if block:  # a comment before a blank line still belongs to the next question
                    self.question(block, comments)
                    block, comments = [], []
            if line.startswith("$CATEGORY:"):
                self.category = line.removeprefix("$CATEGORY:").strip() or None
            elif line.startswith("//"):
                comments.append((number, line))
            elif line:
                block.append((number, line))
        self.question(block, comments)
        if self.errors:
            raise InterchangeError(self.errors)
        return self.parsed

    def question(self, block: list[tuple[int, str]], comments: list[tuple[int, str]]) -> None:
        """Read one question block (lines of text; its comment lines hold our metadata)."""
        if not block:
            return
        line, chars = block[0][0], _strip(_lex(block))
        name = ""
        if [c[:2] for c in chars[:2]] == [(":", False)] * 2:
            end = next((i for i in range(2, len(chars) - 1)
                        if chars[i][:2] == chars[i + 1][:2] == (":", False)), -1)
            if end == -1:
                return self.error(line, "missing question name: '::' has no closing '::'")
            name, chars = _text(chars[2:end]), _strip(chars[end + 2 :])
        opening = _find(chars, "{")
        closing = _find(chars, "}", opening + 1) if opening >= 0 else _find(chars, "}")
        text_format, before = _format(chars[: opening if opening >= 0 else len(chars)], "moodle")
        key = make_key(name, _text(before))
        if opening == -1 and closing == -1:
            return self.skip(line, key, "description")
        if opening == -1 or _find(before, "}") >= 0:
            return self.error(line, "expected '{' before the answers")
        if closing == -1:
            return self.error(line, "unclosed '{': no '}' before the end of the question")
        after = _strip(chars[closing + 1 :])
        if _find(after, "{") >= 0:
            return self.skip(line, key, "embedded answers (cloze)")
        if (stray := _find(after, "}")) >= 0:
            self.error(after[stray][2], "unescaped '}' (write it as '\\}')")
        text = _text(before) + (" _____ " + _text(after) if after else "")
        answers = _strip(chars[opening + 1 : closing])
        qtype = _qtype(answers)
        if qtype not in ("multichoice", "truefalse"):
            return self.skip(line, key, qtype)
        if key in self.keys:
            self.error(line, f"duplicate question name {key!r} (first on line {self.keys[key]})")
        self.keys.setdefault(key, line)
        answers, explanation = _general_feedback(answers)
        explanation_format, explanation = _format(explanation, text_format)
        choices = (self.true_false(answers) if qtype == "truefalse"
                   else self.choices(line, answers, text_format))
        if choices is None:
            return None
        single = qtype == "truefalse" or any(c.marked for c in choices)
        kind, problems = decide_kind(single, choices)
        for problem in problems:
            self.error(line, problem)
        places, sources = self.meta(comments)
        self.parsed.questions.append(BankQuestion(
            key, self.category, kind, to_portal_text(text, text_format),
            tuple(c.option for c in choices),
            to_portal_text(_text(explanation), explanation_format), places, sources, line))
        return None

    def skip(self, line: int, key: str, qtype: str) -> None:
        self.parsed.unsupported.append(Unsupported(line, key, qtype))

    def choices(self, line: int, chars: list[_Ch], text_format: str) -> list[Choice] | None:
        """Split '=right #feedback ~wrong ~%50%weighted' into choices."""
        starts = [i for i, c in enumerate(chars) if c[:2] in (("=", False), ("~", False))]
        if stray := _strip(chars[: starts[0]]):
            self.error(stray[0][2], "answers must start with '=' or '~'")
        out = []
        for n, start in enumerate(starts):
            marker, number = chars[start][0], chars[start][2]
            part = _strip(chars[start + 1 : starts[n + 1] if n + 1 < len(starts) else None])
            fraction = 100.0 if marker == "=" else 0.0
            if marker == "~" and (match := _WEIGHT.match("".join(c[0] for c in part))):
                if not part[0][1]:
                    fraction, part = float(match[1]), _strip(part[match.end():])
            cut = _find(part, "#")
            answer, feedback = (part, []) if cut < 0 else (part[:cut], part[cut + 1 :])
            for where, piece in (("answer", answer), ("feedback", feedback)):
                for char in "{}#":
                    if _find(piece, char) >= 0:
                        self.error(number, f"{where}: unescaped '{char}' (write it as '\\{char}')")
            answer_format, answer = _format(answer, text_format)
            feedback_format, feedback = _format(feedback, answer_format)
            text = to_portal_text(_text(answer), answer_format)
            if not text:
                self.error(number, "empty answer text")
            option = Option(text, fraction > 0, to_portal_text(_text(feedback), feedback_format))
            out.append(Choice(option, fraction, marker == "="))
        return out

    @staticmethod
    def true_false(chars: list[_Ch]) -> list[Choice]:
        """'{T#shown if wrong#shown if right}' as a two-option single-answer question."""
        parts, start = [], 0
        while (cut := _find(chars, "#", start)) >= 0 and len(parts) < 2:
            parts.append(chars[start:cut])
            start = cut + 1
        parts.append(chars[start:])
        answer = _TRUE_FALSE[_text(parts[0])]
        wrong, right = (_text(p) for p in (parts[1:] + [[], []])[:2])
        return [Choice(Option("True", answer, right if answer else wrong), 100.0 * answer),
                Choice(Option("False", not answer, wrong if answer else right),
                       100.0 * (not answer))]

    def meta(self, comments: list[tuple[int, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Jurisdictions and sources from a '// jurisdictions: …; sources: …' comment."""
        for number, comment in comments:
            if match := _META.fullmatch(comment):
                places = split_list(match[1])
                for code in places:
                    if code not in JURISDICTIONS:
                        self.error(number, f"unknown jurisdiction {code!r}")
                return places, split_list(match[2])
        return (), ()


def _closed(block: list[tuple[int, str]]) -> bool:
    """True once a block holds a complete '{…}' answer section."""
    chars = _lex(block)
    return _find(chars, "}", max(_find(chars, "{"), 0)) >= 0 and _find(chars, "{") >= 0


def _format(chars: list[_Ch], default: str) -> tuple[str, list[_Ch]]:
    """A leading [html]/[markdown]/[plain]/[moodle] marker, removed from the text."""
    chars = _strip(chars)
    match = _FORMAT.match("".join(c[0] for c in chars[:10]))
    return (match[1], _strip(chars[match.end():])) if match else (default, chars)


def _general_feedback(chars: list[_Ch]) -> tuple[list[_Ch], list[_Ch]]:
    """Split off the general feedback after the last unescaped '####'."""
    for i in range(len(chars) - 4, -1, -1):
        if all(c[:2] == ("#", False) for c in chars[i : i + 4]):
            return _strip(chars[:i]), chars[i + 4 :]
    return chars, []


def _qtype(chars: list[_Ch]) -> str:
    """Moodle's rule for the question type of an answer section."""
    if not chars:
        return "essay"
    if chars[0][:2] == ("#", False):
        return "numerical"
    if _find(chars, "~") >= 0:
        return "multichoice"
    if _find(chars, "=") >= 0 and "->" in "".join(c[0] for c in chars):
        return "matching"
    cut = _find(chars, "#")
    if _text(chars[: cut if cut >= 0 else len(chars)]) in _TRUE_FALSE:
        return "truefalse"
    return "short answer"


def parse_gift(text: str) -> Parsed:
    """Read GIFT text, raising InterchangeError with every problem found."""
    return _Reader().read(text.removeprefix("\ufeff"))


def _escape(text: str) -> str:
    """Escape GIFT special characters, backslashes and newlines."""
    out = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


def _format_question(question: BankQuestion) -> list[str]:
    """Render one question as GIFT lines, metadata comment first."""
    if question.kind not in KINDS:
        raise ValueError(f"{question.key}: unknown question kind {question.kind!r}")
    places, sources = ", ".join(question.jurisdictions), ", ".join(question.sources)
    lines = [f"// jurisdictions: {places}; sources: {sources}".rstrip(),
             f"::{_escape(question.key)}:: {_escape(question.text)} {{"]
    weight = share(sum(option.correct for option in question.options))
    for option in question.options:
        if question.kind == "multiple":
            prefix = f"~%{weight if option.correct else '-100'}%"
        else:
            prefix = "=" if option.correct else "~"
        text = _escape(option.text)
        text = "\\" + text if text.startswith("%") else text  # not read as a weight
        feedback = f" #{_escape(option.feedback)}" if option.feedback else ""
        lines.append(prefix + text + feedback)
    if question.explanation:
        lines.append("####" + _escape(question.explanation))
    return [*lines, "}"]


def format_gift(questions: Iterable[BankQuestion]) -> str:
    """Render questions as GIFT text, grouped by category in first-seen order."""
    groups: dict[str | None, list[BankQuestion]] = {}
    for question in questions:
        groups.setdefault(question.category, []).append(question)
    lines: list[str] = []
    for category, members in groups.items():
        lines += [f"$CATEGORY: {category}", ""]
        for question in members:
            lines += [*_format_question(question), ""]
    return "\n".join(lines)
