"""Absolute addresses the portal writes (QR codes, printed and emailed links).

Every one is built from the configured public base address, PUBLIC_BASE_URL, never from the
request's Host header: `url_for(_external=True)` trusts that header, so a forged request could
otherwise put another site's address into a certificate or a password-reset email. These work
outside a request too (the CLI and jobs send emails).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


class PublicBaseURLError(ValueError):
    """PUBLIC_BASE_URL is missing or not an http(s) address with a host."""


def check_public_base_url(value: str | None) -> str:
    """The setting normalised (no trailing slash), or PublicBaseURLError."""
    parts = urlsplit(value or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise PublicBaseURLError(
            "Set PUBLIC_BASE_URL to the address people use to reach the portal, for example "
            "https://knife-compliance.example.org")
    return (value or "").rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """The absolute address of endpoint under PUBLIC_BASE_URL."""
    base = urlsplit(check_public_base_url(current_app.config.get("PUBLIC_BASE_URL")))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def verify_url(code: str) -> str:
    """Where anyone checks a certificate: printed, encoded in its QR code and emailed."""
    return public_url("verify.show", code=code)
