"""Per-operation (and per-area) tallies of submitted visits, kept as visits change, so the
operation report reads a handful of rows instead of aggregating thousands of visits.

Entry points: `init_app(app)` keeps them from every session flush (upkeep.py); `rebuild`
works them out again from the visits (`flask --app compliance operations retally`, the seeder
and migration 0012_tally); `read` is what the report uses. The keys are in figures.py.
"""

from __future__ import annotations

from flask import Flask

from compliance.tallies.figures import (
    ADVICE,
    PREMISES,
    PURCHASES,
    SOLD,
    VISITS,
    WHOLE,
    material_key,
    outcome_key,
    unmet_key,
)
from compliance.tallies.store import fresh, read, rebuild, stored


def init_app(app: Flask) -> None:
    from compliance.extensions import db
    from compliance.tallies import upkeep

    upkeep.install(db.session)


__all__ = ["ADVICE", "PREMISES", "PURCHASES", "SOLD", "VISITS", "WHOLE", "fresh",
           "init_app", "material_key", "outcome_key", "read", "rebuild", "stored",
           "unmet_key"]
