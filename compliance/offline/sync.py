"""Applying one queued section from an officer's device outbox, safely repeated.

Every section names its visit by the client-generated id, the idempotency key the visit
services already honour: starting twice returns the first visit, and a section sent again with
the same content changes nothing (the visit services save nothing when nothing changed, before
they compare lock versions). A section based on an older lock version that would change the
visit is a conflict, returned with both versions; nothing is overwritten silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from compliance.audit import Actor
from compliance.auth.permissions import can_edit_visit
from compliance.followups.mail import FollowUpMail
from compliance.i18n import gettext as _
from compliance.models import Visit
from compliance.offline import forms
from compliance.offline.bundle import checklist_version
from compliance.operations import services as operations
from compliance.shops import services as shops
from compliance.visits import editing, services
from compliance.visits.checklist import checklist_groups, group_at
from compliance.visits.forms import finding_answers
from compliance.visits.timezone import uk_time

KEY = re.compile(r"^[0-9a-f]{32}$")
SECTIONS = ("shop", "start", "checklist", "test_purchase", "outcome", "submit")


class Rejected(Exception):
    """The section cannot be saved as queued: the officer must change it."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


class Conflict(Exception):
    """The visit changed on the server since the device last heard from it."""

    def __init__(self, theirs: list[dict[str, str]], yours: list[dict[str, str]],
                 lock_version: int) -> None:
        super().__init__("conflict")
        self.theirs, self.yours, self.lock_version = theirs, yours, lock_version


class NotYours(Exception):
    """The key or the visit belongs to another officer."""


@dataclass
class Queued:
    """One section as the device queued it."""

    key: str
    section: str
    fields: Any
    lock_version: int | None = None
    premises_id: int | None = None
    position: int | None = None
    checklist: str | None = None


def _reject(message: str, field_id: str = "") -> Rejected:
    return Rejected([{"field": field_id, "message": message}])


def parse(payload: Any) -> Queued:
    """The JSON body as a Queued section, or Rejected when it is not one."""
    if not isinstance(payload, dict):
        raise _reject(_("The phone sent something that is not a visit section"))
    key, section = payload.get("visit"), payload.get("section")
    if not isinstance(key, str) or not KEY.match(key) or section not in SECTIONS:
        raise _reject(_("The phone sent something that is not a visit section"))
    ints = {}
    for name in ("lock_version", "premises_id", "position"):
        value = payload.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not 0 <= value < 2**31):
            raise _reject(_("The phone sent something that is not a visit section"))
        ints[name] = value
    checklist = payload.get("checklist_version")
    return Queued(key, section, payload.get("fields", {}), checklist=checklist
                  if isinstance(checklist, str) else None, **ints)


def apply(queued: Queued, actor: Actor, *, mail: FollowUpMail | None) -> dict[str, Any]:
    """Save one section; the result tells the device what the server now holds."""
    data = forms.form_data(queued.fields)
    if data is None:
        raise _reject(_("The phone sent something that is not a visit section"))
    if queued.section == "shop":
        return _shop(data, actor)
    if queued.section == "start":
        return _start(queued, data, actor)
    visit = services.visit_by_key(queued.key)
    if visit is None:
        raise _reject(_("This visit has not reached the server yet. Send its start first"))
    if not can_edit_visit(actor.user, visit):
        raise NotYours
    visit = services.load_visit(visit.id)
    if visit.status == "submitted" and queued.section != "submit":
        raise _reject(_("This visit has already been submitted. Change it online, giving "
                        "a reason"))
    prefix = forms.checklist_prefix(queued.position or 0) if queued.section == "checklist" \
        else forms.PREFIX[queued.section]
    data.setlist(f"{prefix}-lock_version", [str(_edit(queued).lock_version)])
    handler = {"checklist": _checklist, "test_purchase": _test_purchase,
               "outcome": _outcome, "submit": _submit}[queued.section]
    handler(visit, queued, data, actor, mail)
    return _result(visit)


def _result(visit: Visit) -> dict[str, Any]:
    return {"visit_id": visit.id, "lock_version": visit.lock_version,
            "visit_status": visit.status, "premises_id": visit.premises_id}


def _valid(form) -> None:
    if not form.validate():
        raise Rejected(forms.errors(form))


def _shop(data, actor: Actor) -> dict[str, Any]:
    form = forms.shop_form(data)
    _valid(form)
    premises, created = shops.add_unregistered_premises(
        form.premises_details(), actor, business_name=form.business_name.data)
    return {"premises_id": premises.id, "name": premises.name, "created": created}


def _start(queued: Queued, data, actor: Actor) -> dict[str, Any]:
    premises = shops.premises_with_retailer(queued.premises_id or 0)
    if premises is None:
        raise _reject(_("Choose the shop you visited"), "shop")
    data.setlist(f"{forms.PREFIX['start']}-idempotency_key", [queued.key])
    form = forms.start_form(data)
    _valid(form)
    operation_id, area = operations.split_operation_area(form.operation.data)
    details = services.VisitDetails(
        visited_at=form.visited_at, visit_type=form.visit_type.data,
        officers_present=form.officers_present.data, operation_id=operation_id, area=area,
        person_spoken_to=form.person_spoken_to.data, person_role=form.person_role.data)
    try:
        visit, _created = services.start_visit(premises, details, queued.key, actor)
    except services.KeyInUse as exc:
        raise NotYours from exc
    except services.OutsideOperation as exc:
        raise _reject(_("The visit date must be during %(name)s, or choose no operation",
                        name=exc.operation.name), form.operation.id) from exc
    return _result(visit)


def _edit(queued: Queued) -> services.Edit:
    if queued.lock_version is None:
        raise _reject(_("This page is out of date. Open the visit again"))
    return services.Edit(queued.lock_version, None)


def _conflict(visit: Visit, theirs_form, yours_form) -> Conflict:
    return Conflict(forms.rows(theirs_form), forms.rows(yours_form), visit.lock_version)


def _checklist(visit: Visit, queued: Queued, data, actor: Actor, _mail) -> None:
    if queued.checklist != checklist_version():
        raise _reject(_("The checklist has changed since this phone saved the visit. "
                        "Answer this part of the checklist again online"))
    group = group_at(checklist_groups(), queued.position or 0)
    if group is None:
        raise _reject(_("The checklist has changed since this phone saved the visit. "
                        "Answer this part of the checklist again online"))
    form = forms.checklist_form(group, data)
    _valid(form)
    try:
        editing.save_findings(visit, group.items, finding_answers(form, group.items),
                              _edit(queued), actor)
    except services.VisitConflict as exc:
        current = {f.checklist_item_id: (f.answer, f.note) for f in visit.findings}
        raise _conflict(visit, forms.checklist_form(group, None, current), form) from exc


def purchase_data(visit: Visit) -> dict[str, Any]:
    current = visit.test_purchases[0] if visit.test_purchases else None
    if current is None:
        return {}
    return {"volunteer_age": current.volunteer_age, "item_attempted": current.item_attempted,
            "id_asked": "yes" if current.id_asked else "no",
            "sold": "sold" if current.sold else "refused", "staff_member": current.staff_member,
            "letter_sent": "yes" if current.letter_sent else "no"}


def _test_purchase(visit: Visit, queued: Queued, data, actor: Actor, _mail) -> None:
    form = forms.test_purchase_form(data)
    _valid(form)
    attempt = services.PurchaseAttempt(
        volunteer_age=form.volunteer_age.data, item_attempted=form.item_attempted.data,
        id_asked=form.id_asked.data == "yes", sold=form.sold.data == "sold",
        staff_member=form.staff_member.data, letter_sent=form.letter_sent.data == "yes")
    try:
        editing.save_test_purchase(visit, attempt, _edit(queued), actor)
    except services.VisitConflict as exc:
        raise _conflict(visit, forms.test_purchase_form(data=purchase_data(visit)),
                        form) from exc


def _outcome(visit: Visit, queued: Queued, data, actor: Actor, _mail) -> None:
    form = forms.outcome_form(data)
    _valid(form)
    outcome = services.VisitOutcome(
        outcome=form.outcome.data, materials=form.materials.data or [],
        advice_given=form.advice_given.data, officer_notes=form.officer_notes.data)
    try:
        editing.save_outcome(visit, outcome, _edit(queued), actor)
    except services.VisitConflict as exc:
        theirs = forms.outcome_form(data={
            "outcome": visit.outcome, "materials": visit.materials,
            "advice_given": visit.advice_given, "officer_notes": visit.officer_notes})
        raise _conflict(visit, theirs, form) from exc


def _submit(visit: Visit, queued: Queued, _data, actor: Actor, mail) -> None:
    try:
        services.submit_visit(visit, _edit(queued).lock_version, actor, mail=mail)
    except services.VisitIncomplete as exc:
        raise Rejected([{"field": "", "message": _("Before the visit can be submitted, "
                                                    "record: %(missing)s",
                                                    missing=", ".join(exc.missing))}]) from exc
    except services.VisitConflict as exc:
        when = uk_time(visit.updated_at)
        mine = [{"label": _("Submit"), "value": _("Submit the visit as this phone saved it")}]
        theirs = [{"label": _("Changed"), "value": when.strftime("%-d %B %Y %H:%M")
                   if when else ""}]
        raise Conflict(theirs, mine, visit.lock_version) from exc
