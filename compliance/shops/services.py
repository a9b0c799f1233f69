"""Premises for visits: finding a shop, adding one that has not registered, claim codes."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Integer, bindparam, func, or_, select, union_all
from sqlalchemy.orm import joinedload

from compliance import audit, text_search
from compliance.audit import Actor
from compliance.certificates.codes import ALPHABET

if TYPE_CHECKING:
    from compliance.business.services import PremisesDetails
from compliance.extensions import db
from compliance.models import Premises, Retailer

# No look-alikes (0/O, 1/I/L) so the code can be typed from a printed page without doubt.
CLAIM_ALPHABET = ALPHABET  # the certificate codes' alphabet
CLAIM_GROUPS, CLAIM_GROUP_SIZE = 3, 4  # 31**12: about 59 bits, far beyond guessing


class InvalidClaimCode(Exception):
    """No unclaimed shop has this claim code."""


def new_claim_code() -> str:
    """A random code such as 7KQM-RW3D-XHPA."""
    groups = ("".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_GROUP_SIZE))
              for _ in range(CLAIM_GROUPS))
    return "-".join(groups)


def normalise_claim_code(value: str | None) -> str:
    """What the person typed, in the stored shape: upper case, grouped with hyphens."""
    compact = re.sub(r"[^A-Za-z0-9]", "", value or "").upper()
    size = CLAIM_GROUP_SIZE
    return "-".join(compact[i:i + size] for i in range(0, len(compact), size))


@dataclass(frozen=True)
class Found:
    """The shops a search found, by name: the first `limit`, and whether there are more."""

    shops: list[Premises]
    more: bool


def find_premises(search: str, limit: int = 25) -> Found:
    """Premises whose name, postcode (spaces ignored), town or business name matches the
    search (text_search: anywhere, or a word's start for one or two characters), by name
    (one statement). The shop's own fields and its business's are two parts,
    each its first `limit` + 1 by name, so each is either a look-up in its trigram indexes
    (a rare word, a postcode) or a short walk of the names in order (a common word), as the
    planner finds cheaper; together they hold the first `limit` + 1 overall. At national scale
    one OR across the joined tables read and sorted every shop (45 ms a search)."""
    found = text_search.patterns(search.lower())
    if not found:
        return Found([], False)
    # The patterns go into the SQL as quoted literals (literal_execute), not parameters: a
    # prepared statement run often gets PostgreSQL's generic plan, which cannot use a trigram
    # index for a pattern it has not seen, and read every shop (40 ms) on every search.
    likes = [bindparam(f"find_like_{n}", p, literal_execute=True) for n, p in enumerate(found)]
    if text_search.by_word_start(found):  # the postcode as written: "E1" finds "E1 6AN"
        postcode = text_search.matching(Premises.postcode, likes)
    else:  # anywhere, spaces ignored: "ab12cd" finds "AB1 2CD"
        compact = bindparam("find_compact", found[0].replace(" ", ""), literal_execute=True)
        postcode = _compact_postcode().like(compact, escape=text_search.ESCAPE)
    first = limit + 1
    own = (select(Premises.id).where(or_(
        text_search.matching(Premises.name, likes), postcode,
        text_search.matching(Premises.town, likes)))
        .order_by(Premises.name, Premises.id).limit(first).subquery("own"))
    business = (select(Premises.id).join(Retailer, Premises.retailer_id == Retailer.id)
                .where(text_search.matching(Retailer.name, likes))
                .order_by(Premises.name, Premises.id).limit(first).subquery("business"))
    matched = union_all(select(own.c.id), select(business.c.id))
    shops = list(db.session.scalars(
        select(Premises).options(joinedload(Premises.retailer))
        .where(Premises.id.in_(matched)).order_by(Premises.name, Premises.id).limit(first)))
    return Found(shops[:limit], len(shops) > limit)


def _compact_postcode():
    """The postcode as matched: lower case, no spaces ("ab12cd" finds "AB1 2CD"); indexed as
    this expression (ix_premises_postcode_compact_trgm)."""
    return func.replace(func.lower(Premises.postcode), " ", "")


def premises_with_retailer(premises_id: int) -> Premises | None:
    return db.session.scalar(_with_retailer(), {"shop_id": premises_id})


@cache
def _with_retailer():
    """Built once (every visit form and shop page asks): building and keying the statement
    cost as much again as running it."""
    return (select(Premises).options(joinedload(Premises.retailer))
            .where(Premises.id == bindparam("shop_id", type_=Integer())))


def add_unregistered_premises(details: PremisesDetails, actor: Actor,
                              business_name: str | None = None) -> tuple[Premises, bool]:
    """An officer adds a shop that has not registered; returns (premises, created).

    The same name and postcode again (a retry or a double tap) returns the shop already added.
    """
    postcode = details.postcode.strip().upper()
    existing = db.session.scalar(
        select(Premises).options(joinedload(Premises.retailer))
        .where(func.lower(Premises.name) == details.name.strip().lower(),
               Premises.postcode == postcode))
    if existing is not None:
        return existing, False
    # Imported here: the business package imports this module for claim codes.
    from compliance.business.services import add_premises

    business = (business_name or "").strip() or details.name.strip()
    retailer = Retailer(name=business, contact_name="", contact_email="", claimed=False)
    db.session.add(retailer)
    db.session.flush()
    premises = add_premises(retailer, details)
    premises.claim_code = _unused_claim_code()
    db.session.flush()
    audit.record(actor, "premises_added_by_officer",
                 f"Added unregistered premises {premises.name}", target=premises)
    return premises, True


def _unused_claim_code() -> str:
    while True:
        code = new_claim_code()
        if db.session.scalar(select(Premises.id).where(Premises.claim_code == code)) is None:
            return code


def claimable_premises(claim_code: str) -> Premises:
    """The unclaimed shop this code was printed for, or InvalidClaimCode."""
    code = normalise_claim_code(claim_code)
    premises = db.session.scalar(select(Premises).options(joinedload(Premises.retailer))
                                 .where(Premises.claim_code == code)) if code else None
    if premises is None or premises.retailer.claimed:
        raise InvalidClaimCode
    return premises


def claim(premises: Premises, *, business_name: str, contact_name: str,
          email: str) -> Retailer:
    """The registering owner takes over an officer-added business; its codes stop working.

    Visits, test purchases and follow-ups stay with the premises, so the new manager sees them.
    """
    retailer = premises.retailer
    retailer.name = business_name.strip()
    retailer.contact_name = contact_name.strip()
    retailer.contact_email = email
    retailer.claimed = True
    for shop in db.session.scalars(select(Premises).where(Premises.retailer_id == retailer.id)):
        shop.claim_code = None
    db.session.flush()
    return retailer
