"""The one CSV writer: formulas neutralised in every column, UTF-8 with a byte-order mark."""

import csv
import io

import pytest

from compliance.csv_export import BOM, csv_text, neutralise


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=1", "\r=1"])
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Axe", "O'Neil", "2026-11-29", "", " =x"])
def test_plain_text_is_unchanged(value):
    assert neutralise(value) == value


def test_numbers_and_none_are_cells_not_text():
    assert neutralise(-3) == -3 and neutralise(None) == ""


def test_every_column_is_neutralised_and_the_file_starts_with_a_bom():
    text = csv_text(["Name", "Email"], [["=cmd|' /C calc'!A0", "@evil.example"],
                                        ["Zoë – Smith", "zoe@example.com"]])
    assert text.startswith(BOM)
    assert text.encode()[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows == [["Name", "Email"], ["'=cmd|' /C calc'!A0", "'@evil.example"],
                    ["Zoë – Smith", "zoe@example.com"]]
