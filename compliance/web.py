"""Small helpers that views share: who is acting, safe redirects, pagination arguments."""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from flask import g, request, session
from flask_login import current_user, login_user

from compliance.audit import Actor
from compliance.numbers import parse_int


def current_actor() -> Actor:
    user = current_user._get_current_object() if current_user.is_authenticated else None
    return Actor(user=user, ip_address=request.remote_addr)


def start_session(user) -> None:
    """Sign user in on a fresh session: nothing from before sign-in (the CSRF token
    included) carries over, so a token or session id planted or seen earlier is useless."""
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF's per-request cache of the token
    login_user(user)


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: no scheme, no host, no protocol-relative '//' or backslashes."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


# Beyond this, OFFSET arithmetic could leave the database's integer range.
MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """?page=N for a list; anything but a sensible page number means the first page."""
    return parse_int(request.args.get(name), minimum=1, maximum=MAX_PAGE) or 1


def int_arg(name: str) -> int | None:
    """An id in the query string (?retailer=, ?premises=), or None if absent or not an id."""
    return parse_int(request.args.get(name), minimum=1)


def managed_retailer_or_404():
    """The business a manager (their own) or an admin (?retailer=ID) is working on."""
    from flask import abort

    from compliance.auth.permissions import can_manage_retailer
    from compliance.extensions import db
    from compliance.models import Retailer, Role

    retailer_id = current_user.retailer_id if current_user.role == Role.MANAGER \
        else int_arg("retailer")
    retailer = db.session.get(Retailer, retailer_id) if retailer_id else None
    if retailer is None:
        abort(404)
    if not can_manage_retailer(current_user, retailer):
        abort(403)
    return retailer


@cache
def _premises_statement():
    """Built once (the id bound at each call): a premises with its business, read afresh."""
    from sqlalchemy import Integer, bindparam, select
    from sqlalchemy.orm import joinedload

    from compliance.models import Premises

    return (select(Premises)
            .where(Premises.id == bindparam("premises_or_404", type_=Integer()))
            .options(joinedload(Premises.retailer)).execution_options(populate_existing=True))


def premises_or_404(premises_id: int, allowed):
    """The premises with its business loaded, or 404; 403 unless allowed(user, premises)."""
    from flask import abort

    from compliance.extensions import db

    premises = db.session.scalar(_premises_statement(), {"premises_or_404": premises_id})
    if premises is None:
        abort(404)
    if not allowed(current_user, premises):
        abort(403)
    return premises
