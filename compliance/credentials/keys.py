"""Issuer keys for credentials: a folder of Ed25519 PEM files named by their start date.

`2026-01-01.pem` signs from 1 January 2026 until a file with a later start date takes over.
Every key in the folder is published in the JWKS (future ones too, so caches hold them before
they sign), and a retired key can be reduced to its public half (`2026-01-01.pem` holding only
a public key): credentials it signed still verify, and it can no longer sign.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from flask import current_app


class CredentialKeysMissingError(RuntimeError):
    """No Ed25519 key has started yet: credentials are not issued unsigned."""


@dataclass(frozen=True)
class IssuerKey:
    start: date
    public: ed25519.Ed25519PublicKey
    private: ed25519.Ed25519PrivateKey | None

    @property
    def jwk(self) -> dict[str, str]:
        raw = self.public.public_bytes(serialization.Encoding.Raw,
                                       serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519",
                "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}

    @property
    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members, sorted, without spaces."""
        canonical = json.dumps(self.jwk, sort_keys=True, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def _load(path: Path) -> IssuerKey:
    start = date.fromisoformat(path.stem)
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, ed25519.Ed25519PrivateKey):
            raise ValueError(f"{path.name}: credential keys must be Ed25519")
        return IssuerKey(start, private.public_key(), private)
    public = serialization.load_pem_public_key(data)
    if not isinstance(public, ed25519.Ed25519PublicKey):
        raise ValueError(f"{path.name}: credential keys must be Ed25519")
    return IssuerKey(start, public, None)


@lru_cache(maxsize=64)
def _load_cached(path: str, inode: int, mtime_ns: int, size: int) -> IssuerKey:
    """A key file parsed once per version of the file (its change time and size)."""
    return _load(Path(path))


def issuer_keys() -> list[IssuerKey]:
    """Every configured key, oldest first. The folder is looked at on each call, so a rotation
    needs no restart; a file is parsed again only when it changes."""
    folder = current_app.config.get("CREDENTIAL_KEYS_DIR")
    if not folder:
        return []
    keys = []
    for path in Path(folder).glob("*.pem"):
        stat = path.stat()
        keys.append(_load_cached(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size))
    return sorted(keys, key=lambda k: k.start)


def signing_key(today: date) -> IssuerKey:
    """The key with the latest start date that has begun and still has its private half."""
    started = [k for k in issuer_keys() if k.start <= today and k.private is not None]
    if not started:
        raise CredentialKeysMissingError(
            "No credential signing key has started: put an Ed25519 key named "
            "<YYYY-MM-DD>.pem in CREDENTIAL_KEYS_DIR.")
    return started[-1]


def create_demo_key(folder: Path, today: date) -> Path:
    """An Ed25519 key starting today, unless the folder already has one (demo only)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.pem"))
    if existing:
        return existing[0]
    path = folder / f"{today.isoformat()}.pem"
    path.write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    path.chmod(0o600)
    return path
