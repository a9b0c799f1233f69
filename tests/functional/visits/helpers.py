"""Helpers for visit journeys through the HTTP interface."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Visit


def start_form(today: date | None = None, **overrides) -> dict:
    today = today or date.today()
    data = {"visit_date": [str(today.day), str(today.month), str(today.year)],
            "visit_time": "10:30", "visit_type": "engagement", "operation": "",
            "officers_present": "Olu Officer", "person_spoken_to": "Pat",
            "person_role": "Owner"}
    data.update(overrides)
    return data


def key_from(page: str) -> str:
    return re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]{32})"',
                     page).group(1)


def lock_from(page: str) -> int:
    return int(re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1))


def start_visit(client, shop, **overrides) -> Visit:
    page = client.get(f"/visits/new?premises={shop.id}").text
    response = client.post(f"/visits/new?premises={shop.id}",
                           data={**start_form(**overrides), "idempotency_key": key_from(page)})
    assert response.status_code == 302, response.text
    return db.session.scalar(select(Visit).order_by(Visit.id.desc()).limit(1))
