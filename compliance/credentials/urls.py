"""Absolute addresses for credentials, from PUBLIC_BASE_URL only.

Never the request's Host header (anyone can send one) and never url_for(_external=True).
To be replaced by compliance.urls.public_url when that lands.
"""

from __future__ import annotations

from flask import current_app


class PublicBaseUrlMissingError(RuntimeError):
    """Credentials carry absolute addresses; PUBLIC_BASE_URL must say which."""


def public_url(endpoint: str, **values) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise PublicBaseUrlMissingError(
            "Set PUBLIC_BASE_URL (e.g. https://knife-checks.example.org) to issue credentials.")
    # A host-less adapter builds the path only: nothing comes from the current request.
    path = current_app.url_map.bind("", url_scheme="https").build(endpoint, values)
    return base.rstrip("/") + path
