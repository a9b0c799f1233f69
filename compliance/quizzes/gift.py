"""Moodle GIFT import and export for the quiz question bank (standard library only)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

JURISDICTIONS = frozenset({"england-wales", "scotland", "northern-ireland"})
KINDS = ("single", "multiple")

_SPECIAL = "~=#{}:"
_ESCAPES = {"n": "\n", "\\": "\\", "%": "%", **{c: c for c in _SPECIAL}}
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_META = re.compile(r"//\s*jurisdictions:\s*(.*?)\s*(?:;\s*sources:\s*(.*))?")
_BLANKS = " \t"

_Token = tuple[bool, str]  # (is an unescaped special character, text)


@dataclass(frozen=True)
class GiftOption:
    """One answer option of a question."""

    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class GiftQuestion:
    """One multiple-choice question with the metadata kept in its GIFT comment."""

    key: str
    category: str
    kind: str
    text: str
    options: tuple[GiftOption, ...]
    explanation: str = ""
    jurisdictions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


class GiftError(ValueError):
    """Every problem parse_gift found: .errors is a list of (line_number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


def _escape(text: str) -> str:
    """Escape GIFT special characters, backslashes and newlines."""
    out = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\n")


def _share(correct_count: int) -> str:
    """Equal percentage for each correct answer, to 5 decimal places, e.g. '33.33333'."""
    return f"{100 / max(correct_count, 1):.5f}".rstrip("0").rstrip(".")


def _format_question(question: GiftQuestion) -> list[str]:
    """Render one question as GIFT lines, metadata comment first."""
    if question.kind not in KINDS:
        raise ValueError(f"{question.key}: unknown question kind {question.kind!r}")
    places, sources = ", ".join(question.jurisdictions), ", ".join(question.sources)
    lines = [
        f"// jurisdictions: {places}; sources: {sources}".rstrip(),
        f"::{_escape(question.key)}:: {_escape(question.text)} {{",
    ]
    share = _share(sum(option.correct for option in question.options))
    for option in question.options:
        if question.kind == "multiple":
            prefix = f"~%{share if option.correct else '-100'}%"
        else:
            prefix = "=" if option.correct else "~"
        text = _escape(option.text)
        text = "\\" + text if text.startswith("%") else text  # not read as a weight
        feedback = f" #{_escape(option.feedback)}" if option.feedback else ""
        lines.append(prefix + text + feedback)
    if question.explanation:
        lines.append("####" + _escape(question.explanation))
    return [*lines, "}"]


def format_gift(questions: Iterable[GiftQuestion]) -> str:
    """Render questions as GIFT text, grouped by category in first-seen order."""
    groups: dict[str, list[GiftQuestion]] = {}
    for question in questions:
        groups.setdefault(question.category, []).append(question)
    lines: list[str] = []
    for category, members in groups.items():
        lines += [f"$CATEGORY: {category}", ""]
        for question in members:
            lines += [*_format_question(question), ""]
    return "\n".join(lines)


def _lex(text: str) -> list[_Token]:
    """Tokenize text into unescaped literal runs and unescaped special characters."""
    tokens: list[_Token] = []
    run: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in _ESCAPES:
            run.append(_ESCAPES[text[i + 1]])
            i += 2
            continue
        if char in _SPECIAL:
            if run:
                tokens.append((False, "".join(run)))
                run = []
            tokens.append((True, char))
        else:
            run.append(char)
        i += 1
    if run:
        tokens.append((False, "".join(run)))
    return tokens


def _split_list(text: str | None) -> tuple[str, ...]:
    """Split a comma-separated metadata value into a tuple of stripped items."""
    return tuple(item.strip() for item in (text or "").split(",") if item.strip())


@dataclass
class _Answer:
    """An answer line as read, before the question is checked."""

    line: int
    marker: str
    weight: float | None
    option: GiftOption


@dataclass
class _Open:
    """A question whose '{' has been read but whose '}' has not."""

    line: int
    key: str
    category: str
    text: str
    meta: tuple[tuple[str, ...], tuple[str, ...]]
    answers: list[_Answer] = field(default_factory=list)
    explanation: str | None = None


class _Parser:
    """Line-by-line GIFT reader that records every problem instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[tuple[int, str]] = []
        self.questions: list[GiftQuestion] = []
        self.category: str | None = None
        self.meta: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self.keys: dict[str, int] = {}
        self.open: _Open | None = None

    def error(self, line: int, message: str) -> None:
        """Record one problem."""
        self.errors.append((line, message))

    def join(self, number: int, where: str, tokens: list[_Token]) -> str:
        """Join tokens as plain text (':' allowed), reporting other unescaped specials."""
        for special, char in tokens:
            if special and char != ":":
                self.error(number, f"{where}: unescaped '{char}' (write it as '\\{char}')")
        return "".join(text for _, text in tokens).strip(_BLANKS)

    def feed(self, number: int, line: str) -> None:
        """Handle one stripped line."""
        if not line or line.startswith("//"):
            if self.open is None and (match := _META.fullmatch(line)):
                self.read_meta(number, match)
            return
        if self.open is not None and (line.startswith(("$CATEGORY:", "::"))):
            self.error(self.open.line, "unclosed '{': no '}' before the next question or category")
            self.open = None
        if line.startswith("$CATEGORY:"):
            self.category = line.removeprefix("$CATEGORY:").strip(_BLANKS)
        elif self.open is None:
            self.read_header(number, line)
        elif line == "}":
            self.close(self.open)
            self.open = None
        elif line.startswith("####"):
            self.read_explanation(number, line[4:])
        elif line[0] in "=~":
            self.read_answer(number, line)
        else:
            self.error(number, "answer line must start with '=', '~' or '####'")

    def read_meta(self, number: int, match: re.Match[str]) -> None:
        """Store a metadata comment for the next question, checking jurisdiction codes."""
        jurisdictions, sources = _split_list(match[1]), _split_list(match[2])
        for code in jurisdictions:
            if code not in JURISDICTIONS:
                self.error(number, f"unknown jurisdiction {code!r}")
        self.meta = (jurisdictions, sources)

    def read_header(self, number: int, line: str) -> None:
        """Read '::key:: question text {' and open the question."""
        tokens, key = _lex(line), ""
        if tokens[:2] == [(True, ":"), (True, ":")]:
            for i in range(2, len(tokens) - 1):
                if tokens[i] == tokens[i + 1] == (True, ":"):
                    key, tokens = self.join(number, "name", tokens[2:i]), tokens[i + 2 :]
                    break
        if not key and tokens[-1:] != [(True, "{")]:
            self.error(number, "unexpected line outside a question (expected '::key:: text {')")
            return
        if not key:
            self.error(number, "missing question name: a question must start with '::key::'")
        elif key in self.keys:
            self.error(number, f"duplicate question name {key!r} (first on line {self.keys[key]})")
        else:
            self.keys[key] = number
        if not self.category:
            self.error(number, "no $CATEGORY: line before this question")
        if tokens[-1:] != [(True, "{")]:
            self.error(number, "expected '{' at the end of the question line")
            return
        text = self.join(number, "question text", tokens[:-1])
        self.open = _Open(number, key, self.category or "", text, self.meta)
        self.meta = ((), ())

    def read_explanation(self, number: int, raw: str) -> None:
        """Read a '####general feedback' line."""
        assert self.open is not None
        text = self.join(number, "general feedback", _lex(raw))
        if self.open.explanation is not None:
            self.error(number, "more than one '####' general feedback line")
        self.open.explanation = text

    def read_answer(self, number: int, line: str) -> None:
        """Read '=text #feedback', '~text #feedback' or '~%N%text #feedback'."""
        assert self.open is not None
        marker, rest, weight = line[0], line[1:], None
        if marker == "~" and (match := _WEIGHT.match(rest)):
            weight, rest = float(match[1]), rest[match.end() :]
        tokens = _lex(rest)
        cut = tokens.index((True, "#")) if (True, "#") in tokens else len(tokens)
        text = self.join(number, "answer", tokens[:cut])
        feedback = self.join(number, "feedback", tokens[cut + 1 :])
        if not text:
            self.error(number, "empty answer text")
        correct = weight > 0 if weight is not None else marker == "="
        option = GiftOption(text, correct, feedback)
        self.open.answers.append(_Answer(number, marker, weight, option))

    def close(self, question: _Open) -> None:
        """Check a complete question and keep it."""
        answers, line = question.answers, question.line
        if len(answers) < 2:
            self.error(line, f"a question needs at least 2 options, found {len(answers)}")
        kind = "multiple" if any(a.weight is not None for a in answers) else "single"
        if kind == "multiple":
            weights = [100.0 if a.marker == "=" else a.weight or 0.0 for a in answers]
            positive = [w for w in weights if w > 0]
            if len(positive) < 2:
                found = len(positive)
                self.error(line, f"a multiple question needs 2+ correct options, found {found}")
            if abs(sum(positive) - 100) > 0.01 + 1e-9:  # ±0.01, inclusive
                self.error(line, f"correct answer weights must sum to 100, not {sum(positive):g}")
        elif (count := sum(a.marker == "=" for a in answers)) != 1:
            self.error(line, f"a single question needs exactly one '=' answer, found {count}")
        options = tuple(a.option for a in answers)
        explanation, (places, sources) = question.explanation or "", question.meta
        self.questions.append(
            GiftQuestion(
                question.key,
                question.category,
                kind,
                question.text,
                options,
                explanation,
                places,
                sources,
            )
        )


def parse_gift(text: str) -> list[GiftQuestion]:
    """Read GIFT text into questions, raising GiftError with every problem found."""
    parser = _Parser()
    for number, line in enumerate(text.split("\n"), start=1):
        parser.feed(number, line.strip(_BLANKS + "\r"))
    if parser.open is not None:
        parser.error(parser.open.line, "unclosed '{': no '}' before the end of the file")
    if parser.errors:
        raise GiftError(sorted(parser.errors, key=lambda error: error[0]))
    return parser.questions
