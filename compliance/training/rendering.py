"""Markdown content to GOV.UK-styled HTML, with source tags linked to the sources list."""

from __future__ import annotations

import re

import markdown
from markupsafe import Markup

_CLASSES = [
    (r"<h2>", '<h2 class="govuk-heading-m">'),
    (r"<h3>", '<h3 class="govuk-heading-s">'),
    (r"<p>", '<p class="govuk-body">'),
    (r"<ul>", '<ul class="govuk-list govuk-list--bullet">'),
    (r"<ol>", '<ol class="govuk-list govuk-list--number">'),
    (r"<blockquote>", '<blockquote class="govuk-inset-text">'),
    (r"<a href=", '<a class="govuk-link" href='),
]
_TAGS = re.compile(r"\[((?:S\d+[a-z]?)(?:\s*,\s*S\d+[a-z]?)*)\]")


def _link_tags(match: re.Match[str]) -> str:
    tags = [t.strip() for t in match.group(1).split(",")]
    links = ", ".join(f'<a class="govuk-link" href="#source-{t}">{t}</a>' for t in tags)
    return f'<span class="app-source-ref">[{links}]</span>'


def render_markdown(text: str) -> Markup:
    """Render reviewed Markdown; raw HTML in the source is shown as text, never run."""
    html = markdown.markdown(text.replace("<", "&lt;"), extensions=["sane_lists"])
    for plain, styled in _CLASSES:
        html = html.replace(plain, styled)
    return Markup(_TAGS.sub(_link_tags, html))  # noqa: S704 - source escaped above
