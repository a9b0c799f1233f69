"""What can be exported: each kind says who may have it, how it is built, and where it is of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Subject:
    """What an export is of, as its page shows it: a name and the page to go back to."""

    name: str
    back_url: str


@dataclass(frozen=True)
class Built:
    """What a build wrote: the name to download it under and its type."""

    filename: str
    content_type: str


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: str  # "Refusals register (PDF)": the page says what is being prepared
    # In a request, for the signed-in user: the subject, or abort (404, or 403 when they may
    # not see it). Checked when asked for, and again at every look and download.
    subject: Callable[[dict[str, Any]], Subject]
    # In the job (no request, no signed-in user): write the file to `out`, a chunk at a time
    # for anything large.
    build: Callable[[dict[str, Any], BinaryIO], Built]


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    _KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> ExportKind:
    return _KINDS[name]
