"""The premises profile: what a shop sells and how, which decides the checklist items that
apply (scoring.item_applies)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compliance import audit
from compliance.audit import Actor
from compliance.extensions import db
from compliance.models import Jurisdiction, Premises

STOCK_KINDS = {
    "kitchen-cutlery": "Kitchen knives and cutlery",
    "craft-diy": "Craft and DIY knives",
    "garden-outdoor": "Garden and outdoor tools",
    "razors-blades": "Razors and blades",
    "swords-collectables": "Swords and collectables",
}


@dataclass(frozen=True)
class Profile:
    jurisdiction: Jurisdiction
    sells_remotely: bool
    click_and_collect: bool
    stock_kinds: list[str]


def profile_of(premises: Premises) -> dict[str, Any]:
    """The profile as plain data, as kept on each assessment."""
    return {"jurisdiction": premises.jurisdiction.value,
            "sells_remotely": bool(premises.sells_remotely),
            "click_and_collect": bool(premises.click_and_collect),
            "stock_kinds": [k for k in STOCK_KINDS if k in (premises.stock_kinds or [])]}


def stock_labels(profile: dict[str, Any]) -> list[str]:
    return [STOCK_KINDS[k] for k in profile.get("stock_kinds") or [] if k in STOCK_KINDS]


def describe(profile: dict[str, Any]) -> str:
    """A profile kept on an assessment, in words."""
    place = Jurisdiction(profile.get("jurisdiction", "england-wales")).label
    remote = "sells online or by phone" if profile.get("sells_remotely") else \
        "no online or phone sales"
    collect = "click-and-collect" if profile.get("click_and_collect") else "no click-and-collect"
    stock = ", ".join(stock_labels(profile)) or "bladed stock not recorded"
    return f"{place}; {remote}; {collect}; {stock}"


def update_profile(premises: Premises, profile: Profile, actor: Actor) -> None:
    unknown = set(profile.stock_kinds) - set(STOCK_KINDS)
    if unknown:
        raise ValueError(f"unknown stock kinds: {sorted(unknown)}")
    premises.jurisdiction = profile.jurisdiction
    premises.sells_remotely = profile.sells_remotely
    premises.click_and_collect = profile.click_and_collect
    premises.stock_kinds = [k for k in STOCK_KINDS if k in profile.stock_kinds]
    audit.record(actor, "premises_profile_updated",
                 f"Updated the profile of premises {premises.name}", target=premises,
                 details=profile_of(premises))
    db.session.flush()
