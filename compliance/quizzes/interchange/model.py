"""What the GIFT and Moodle XML readers share: the question shape, errors, the portal's rules
for which choice questions it can run, stable keys and text formats."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

JURISDICTIONS = frozenset({"england-wales", "scotland", "northern-ireland"})
KINDS = ("single", "multiple")
KEY_LENGTH = 40  # questions.key


@dataclass(frozen=True)
class Option:
    """One answer option of a question."""

    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class BankQuestion:
    """One choice question as the portal keeps it; category is None when the file had none."""

    key: str
    category: str | None
    kind: str
    text: str
    options: tuple[Option, ...]
    explanation: str = ""
    jurisdictions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unsupported:
    """A question of a type the portal cannot run (essay, matching, numerical…), to skip."""

    line: int
    key: str
    qtype: str


@dataclass
class Parsed:
    """Everything read from one file: questions to import and questions to skip."""

    questions: list[BankQuestion] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)


class InterchangeError(ValueError):
    """Every problem a reader found: .errors is a list of (line_number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


@dataclass(frozen=True)
class Choice:
    """An answer as read from a file, before the question's kind is decided."""

    option: Option
    fraction: float  # Moodle's grade for choosing it, in percent
    marked: bool = False  # GIFT '=': the one right answer of a single-answer question


def decide_kind(single: bool, choices: list[Choice]) -> tuple[str, list[str]]:
    """The portal kind for these choices, and what stops the portal from running them."""
    problems: list[str] = []
    if len(choices) < 2:
        problems.append(f"a question needs at least 2 options, found {len(choices)}")
    positive = [c.fraction for c in choices if c.fraction > 0]
    if single:
        full = sum(c.fraction >= 100 for c in choices)
        if full != 1:
            problems.append(f"a single question needs exactly one right answer, found {full}")
        if any(0 < c.fraction < 100 for c in choices):
            problems.append("partial credit on a single-answer question is not supported")
        return "single", problems
    if len(positive) < 2:
        problems.append(f"a multiple question needs 2+ correct options, found {len(positive)}")
    if positive and abs(sum(positive) - 100) > 0.01 + 1e-9:  # Moodle rounds shares to 5 places
        problems.append(f"correct answer weights must sum to 100, not {sum(positive):g}")
    return "multiple", problems


def share(correct_count: int) -> str:
    """Equal percentage for each correct answer, to 5 decimal places, e.g. '33.33333'."""
    return f"{100 / max(correct_count, 1):.5f}".rstrip("0").rstrip(".")


def split_list(text: str | None) -> tuple[str, ...]:
    """Split a comma-separated metadata value into a tuple of stripped items."""
    return tuple(item.strip() for item in (text or "").split(",") if item.strip())


def make_key(name: str, text: str) -> str:
    """A question's key: its name when short enough, else a stable slug and hash."""
    name = " ".join(name.split())
    if name and len(name) <= KEY_LENGTH:
        return name
    basis = name or " ".join(text.split())
    slug = re.sub(r"[^a-z0-9]+", "-", basis.lower()).strip("-")[:24].rstrip("-")
    digest = hashlib.sha256(basis.encode()).hexdigest()[:10]
    return f"{slug or 'question'}-{digest}"


class _TextOnly(HTMLParser):
    """Collect the text of HTML, with line breaks for block elements; drop scripts."""

    BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr",
                        "table", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Moodle HTML as the portal's plain text: tags and scripts gone, entities decoded."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


TEXT_FORMATS = {"html", "moodle", "plain", "markdown", "moodle_auto_format", "plain_text"}


def to_portal_text(text: str, text_format: str) -> str:
    """Text in any Moodle format as portal text: HTML sanitised, others kept (Markdown too)."""
    return html_to_text(text) if text_format == "html" else text.strip()
