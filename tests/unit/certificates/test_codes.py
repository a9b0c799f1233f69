import re

import pytest

from compliance.certificates.codes import ALPHABET, check_character, new_code, normalise

SHAPE = re.compile(r"^KSC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def test_codes_have_the_printed_shape_and_no_look_alikes():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert SHAPE.match(code), code
        assert not set(code[4:]) & set("01ILO")
        assert normalise(code) == code


def test_typing_is_forgiving_about_case_spaces_and_dashes():
    code = new_code()
    typed = code.lower().replace("-", " ")
    assert normalise(typed) == code
    assert normalise(code[4:].replace("-", "")) == code  # without the KSC prefix


def test_every_single_character_typo_is_caught():
    code = new_code()
    compact = code.replace("-", "")[3:]
    for i, original in enumerate(compact):
        for other in ALPHABET:
            if other != original:
                typo = compact[:i] + other + compact[i + 1:]
                assert normalise(typo) is None, typo


def test_swapped_neighbours_are_caught():
    caught = total = 0
    for _ in range(200):
        compact = new_code().replace("-", "")[3:]
        for i in range(len(compact) - 1):
            if compact[i] != compact[i + 1]:
                total += 1
                swapped = compact[:i] + compact[i + 1] + compact[i] + compact[i + 2:]
                caught += normalise(swapped) is None
    assert caught == total


@pytest.mark.parametrize("typed", ["", "KSC", "KSC-1234-5678-9ABC", "not a code at all",
                                   "KSC-2345-6789-ABC"])
def test_malformed_input_is_rejected(typed):
    assert normalise(typed) is None


def test_check_character_is_in_the_alphabet():
    assert check_character("23456789ABC") in ALPHABET
