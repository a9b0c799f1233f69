"""text_search.patterns: anywhere for three letters or digits in a row, else a word's start;
nothing for no letter or digit; what is typed is text."""

from __future__ import annotations

import pytest

from compliance.text_search import by_word_start, patterns


@pytest.mark.parametrize(("typed", "expected"), [
    ("harbour", ("%harbour%",)),
    ("  EX35 ", ("%EX35%",)),
    ("ab\x00c", ("%abc%",)),  # a NUL is dropped before anything is decided
    ("E1", ("E1%", "% E1%")),
    ("a b", ("a b%", "% a b%")),
    ("e1 6", ("e1 6%", "% e1 6%")),
    ("a_b", ("a\\_b%", "% a\\_b%")),  # _ and % are text, escaped
    ("50%", ("50\\%%", "% 50\\%%")),
    ("100%", ("%100\\%%",)),
    ("%", ()),
    (" - ", ()),
    ("", ()),
])
def test_patterns(typed, expected):
    assert patterns(typed) == expected
    assert by_word_start(expected) == (len(expected) == 2)
