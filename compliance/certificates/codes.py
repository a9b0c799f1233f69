"""Certificate codes a person can type: KSC-XXXX-XXXX-XXXX.

Eleven random characters (about 54 bits, so codes cannot be guessed) and a check character,
from an alphabet without look-alikes (no 0/O, 1/I/L). The check character is a weighted sum
modulo 31 (a prime, like ISBN-10's 11): it catches every single mistyped character and every
pair of swapped neighbours.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 characters
PREFIX = "KSC"
_RANDOM = 11
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def check_character(body: str) -> str:
    """Sum of position × value, modulo 31: distinct weights below a prime modulus."""
    return ALPHABET[sum(i * _INDEX[c] for i, c in enumerate(body, start=1)) % len(ALPHABET)]


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM))
    full = body + check_character(body)
    return f"{PREFIX}-{full[0:4]}-{full[4:8]}-{full[8:12]}"


def normalise(typed: str) -> str | None:
    """The canonical code for what a person typed, or None if it cannot be a valid code."""
    compact = re.sub(r"[\s\-]+", "", typed.upper())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    if len(compact) != _RANDOM + 1 or any(c not in _INDEX for c in compact):
        return None
    if check_character(compact[:-1]) != compact[-1]:
        return None
    return f"{PREFIX}-{compact[0:4]}-{compact[4:8]}-{compact[8:12]}"
