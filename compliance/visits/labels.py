"""The fixed choices of a visit record, with the words shown for each (one place for both)."""

from __future__ import annotations

from compliance.i18n import lazy_gettext as _l

# The kinds of visit, in the order the start page offers them; what each records, and in
# which order, is in flow.py.
VISIT_TYPES = {
    "engagement": _l("Engagement and advice"),
    "test_purchase": _l("Test purchase"),
    "follow_up": _l("Follow-up check"),
    "verification": _l("Verification"),
}

VISIT_TYPE_HINTS = {
    "engagement": _l("Talk to the shop, check what it does and give advice"),
    "test_purchase": _l("A young volunteer tries to buy a bladed item. The checklist is "
                        "optional"),
    "follow_up": _l("Check that earlier follow-up actions or a failed test purchase have "
                    "been put right"),
    "verification": _l("Check every checklist item, to issue a verified premises "
                       "certificate"),
}

# Kinds no longer offered, still named in the history of older visits (migration 0006 made
# complaint visits engagement visits).
FORMER_VISIT_TYPES = {"complaint": _l("Complaint")}

OUTCOMES = {
    "compliant": _l("Compliant"),
    "advice_given": _l("Advice given"),
    "non_compliant": _l("Non-compliant, follow-up needed"),
    "referred": _l("Referred to Trading Standards"),
}

MATERIALS = {
    "posters": _l("Posters"),
    "leaflets": _l("Leaflets"),
    "training_sign_up": _l("Training sign-up"),
}

# An officer's finding for one checklist item. "not_checked" is never stored.
FINDINGS = {
    "yes": _l("Yes"),
    "partly": _l("Partly"),
    "no": _l("No"),
    "na": _l("Not applicable"),
    "not_checked": _l("Not checked"),
}
UNMET = ("no", "partly")

FOLLOW_UP_STATUSES = {
    "open": _l("To do"),
    "answered": _l("Answered, waiting for the officer"),
    "returned": _l("Returned to the shop"),
    "closed": _l("Closed"),
}

FOLLOW_UP_TAGS = {
    "open": "govuk-tag--blue",
    "answered": "govuk-tag--yellow",
    "returned": "govuk-tag--orange",
    "closed": "govuk-tag--green",
}

OUTCOME_TAGS = {
    "compliant": "govuk-tag--green",
    "advice_given": "govuk-tag--blue",
    "non_compliant": "govuk-tag--red",
    "referred": "govuk-tag--purple",
}


def label(table: dict, value: str | None) -> str:
    """The words for a stored value ("" when empty, the raw value when unknown)."""
    if not value:
        return ""
    return str(table.get(value, value))


def template_labels() -> dict:
    """What visit templates need to turn stored values into words."""
    return {"VISIT_TYPES": VISIT_TYPES, "VISIT_TYPE_HINTS": VISIT_TYPE_HINTS,
            "OUTCOMES": OUTCOMES, "MATERIALS": MATERIALS,
            "FINDINGS": FINDINGS, "FOLLOW_UP_STATUSES": FOLLOW_UP_STATUSES,
            "FOLLOW_UP_TAGS": FOLLOW_UP_TAGS, "OUTCOME_TAGS": OUTCOME_TAGS, "label": label}
