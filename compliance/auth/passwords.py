"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# The common-password list is Django's (BSD licence), from Royce Williams' list of 20,000.
_COMMON = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip().lower() for line in fh if line.strip())


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=int(cfg["ARGON2_TIME_COST"]),
                          memory_cost=int(cfg["ARGON2_MEMORY_COST"]))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, *, min_length: int = 12, email: str = "") -> list[str]:
    """Why a new password is not acceptable, as GOV.UK-style messages (empty when it is fine)."""
    if len(password) < min_length:
        return [f"Password must be {min_length} characters or more"]
    lowered = password.lower()
    # Also catch a common word padded with digits or symbols ("password123456!").
    core = re.sub(r"[\d\W_]+$", "", re.sub(r"^[\d\W_]+", "", lowered))
    common = _common_passwords()
    if lowered in common or (len(core) >= 4 and core in common) or len(set(lowered)) <= 2:
        return ["Password is too common. Choose a password that is harder to guess"]
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return ["Password must not contain your email address"]
    return []
