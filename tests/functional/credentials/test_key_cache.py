"""Issuer keys are parsed once per file version, and a rotation is still seen at once."""

from __future__ import annotations

import os
from datetime import date

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from compliance.credentials.keys import issuer_keys


def write_key(path) -> None:
    path.write_bytes(ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))


def test_unchanged_key_files_are_not_parsed_again_and_changes_are_seen(app, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "CREDENTIAL_KEYS_DIR", str(tmp_path))
    first = tmp_path / "2026-01-01.pem"
    write_key(first)
    keys = issuer_keys()
    assert issuer_keys()[0] is keys[0]  # the same parsed key: no second parse
    write_key(tmp_path / "2026-06-01.pem")  # a rotation: the new key is there at once
    assert [k.start for k in issuer_keys()] == [date(2026, 1, 1), date(2026, 6, 1)]
    old = keys[0].public.public_bytes(serialization.Encoding.Raw,
                                      serialization.PublicFormat.Raw)
    public_only = tmp_path / "next.tmp"
    public_only.write_bytes(keys[0].public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    os.replace(public_only, first)  # retire the old key: only its public half is kept
    retired = issuer_keys()[0]
    assert retired.private is None
    assert retired.public.public_bytes(serialization.Encoding.Raw,
                                       serialization.PublicFormat.Raw) == old
