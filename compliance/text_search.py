"""How a typed search matches stored text: the shop finder and the visit search.

A search with three letters or digits in a row matches anywhere in a name ("arbour" finds
"Harbour Tools"): PostgreSQL's trigram indexes find such a pattern among 50,000 shops. A
shorter one ("E1", "hi", "a b") has no trigram, so a pattern "anywhere" read every shop
(60 to 90 ms a search, and it matches nearly every name anyway); it matches the start of a
word instead ("E1" finds "E1 6AN", not "SE1 7PB"; "hi" finds "High Street", not "Chips"),
which the same indexes answer from the words' first letters. A search with no letter or
digit at all ("%", "-") matches nothing. What is typed is always text: %, _ and backslashes
are escaped, never patterns.
"""

from __future__ import annotations

import re

from sqlalchemy import or_

# pg_trgm makes trigrams of the runs of letters and digits: three in a row give one.
_TRIGRAM = re.compile(r"[^\W_]{3}")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
ESCAPE = "\\"


def escaped(term: str) -> str:
    """The term with LIKE's special characters escaped (ESCAPE is the escape character)."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def patterns(term: str) -> tuple[str, ...]:
    """The case-insensitive LIKE patterns the term matches (any one of them): anywhere, or
    for a short term the start of the text or of a word in it; none when it has no letter
    or digit."""
    term = term.replace("\x00", "").strip()  # PostgreSQL refuses a NUL; no name has one
    if not _LETTER_OR_DIGIT.search(term):
        return ()
    text = escaped(term)
    return (f"%{text}%",) if _TRIGRAM.search(term) else (f"{text}%", f"% {text}%")


def by_word_start(like_patterns: tuple[str, ...]) -> bool:
    """True when `patterns` gave a short search's patterns (a word's start), not "anywhere"."""
    return len(like_patterns) > 1


def matching(column, like_patterns) -> object:
    """The condition: the column matches any of the patterns (case-insensitive)."""
    return or_(*(column.ilike(p, escape=ESCAPE) for p in like_patterns))
