"""Citations in guidance text ("... [S14][S13]", "[S5, S71]") and the sources they name, so
every list of sources shows each source its text cites."""

from __future__ import annotations

import re
from collections.abc import Iterable

from compliance.models import Source
from compliance.training import bp
from compliance.training.services import sources_for

CITATION = re.compile(r"\[([^\[\]]+)\]")
TAG = re.compile(r"^S\d+[a-z]?$")


def cited_tags(texts: Iterable[str | None], tags: Iterable[str] = ()) -> list[str]:
    """The given tags, then every tag cited in the texts, each once, in order of mention."""
    found = list(dict.fromkeys(tags))
    for text in texts:
        for group in CITATION.findall(text or ""):
            for tag in (t.strip() for t in group.split(",")):
                if TAG.match(tag) and tag not in found:
                    found.append(tag)
    return found


@bp.app_template_global()
def cited_sources(texts: Iterable[str | None], tags: Iterable[str] = ()) -> list[Source]:
    """The sources behind those tags (one query)."""
    return sources_for(cited_tags(texts, tags))


bp.add_app_template_global(cited_tags, "cited_tags")
