"""Loading a shop for an officer's view: 404 when there is none."""

from __future__ import annotations

from flask import abort

from compliance.models import Premises
from compliance.shops.services import premises_with_retailer


def premises_or_404(premises_id: int) -> Premises:
    premises = premises_with_retailer(premises_id)
    if premises is None:
        abort(404)
    return premises
