"""Single-use link tokens: the raw token goes in the email, only its hash is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh (raw token, sha256 hex) pair."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
