"""Sections as the offline app queues and sends them."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

SYNC = "/offline/api/sync"
JSON = {"Accept": "application/json"}


def new_key() -> str:
    return uuid4().hex


def details(today: date | None = None, **overrides) -> dict:
    today = today or date.today()
    fields = {"details-visit_date": [str(today.day), str(today.month), str(today.year)],
              "details-visit_time": "10:30", "details-visit_type": "test_purchase",
              "details-operation": "", "details-officers_present": "Olu Officer",
              "details-person_spoken_to": "Pat", "details-person_role": "Owner"}
    fields.update(overrides)
    return fields


def new_shop(**overrides) -> dict:
    fields = {"shop-premises_name": "Corner Cutlery", "shop-address_line_1": "1 Market Row",
              "shop-address_line_2": "", "shop-town": "Testbury", "shop-postcode": "tb1 1aa",
              "shop-jurisdiction": "england-wales", "shop-business_name": ""}
    fields.update(overrides)
    return fields


def purchase(**overrides) -> dict:
    fields = {"tp-volunteer_age": "15", "tp-item_attempted": "Kitchen knife",
              "tp-id_asked": "no", "tp-sold": "sold", "tp-staff_member": "Till 2",
              "tp-letter_sent": "no"}
    fields.update(overrides)
    return fields


def outcome(**overrides) -> dict:
    fields = {"outcome-outcome": "advice_given", "outcome-materials": ["posters"],
              "outcome-advice_given": "Ask for ID", "outcome-officer_notes": "Busy till"}
    fields.update(overrides)
    return fields


def send(client, key: str, section: str, fields: dict | None = None, **extra):
    body = {"visit": key, "section": section, "fields": fields or {}, **extra}
    return client.post(SYNC, json=body, headers=JSON)
