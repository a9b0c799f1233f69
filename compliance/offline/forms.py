"""The visit forms as the offline page shows them and the sync API checks them.

The same form classes as the online pages, each with a prefix so that every section can sit on
the one offline page without clashing ids; the sync API binds what the device queued to the
same classes, so a section is checked by exactly the rules it would meet online.
"""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

from compliance.i18n import gettext as _
from compliance.operations import services as operations
from compliance.shops.forms import AddPremisesForm
from compliance.visits.forms import (
    OutcomeForm,
    StartVisitForm,
    SubmitVisitForm,
    TestPurchaseForm,
    findings_form,
)

PREFIX = {"shop": "shop", "start": "details", "test_purchase": "tp", "outcome": "outcome",
          "submit": "submit"}
NO_CSRF = {"csrf": False}  # the sync API checks the X-CSRFToken header on the request


def checklist_prefix(position: int) -> str:
    return f"cl{position}"


def form_data(fields: Any) -> MultiDict | None:
    """The queued fields as form data; None when they are not text (a hostile body)."""
    if not isinstance(fields, dict):
        return None
    data = MultiDict()
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        if not isinstance(name, str) or not all(isinstance(v, str) for v in values):
            return None
        for v in values:
            data.add(name, v.replace("\x00", ""))
    return data


def operation_choices(form, ops=None) -> None:
    ops = operations.list_operations() if ops is None else ops
    form.operation.choices = [("", _("Not part of an operation"))] + \
        operations.operation_area_choices(ops)


def shop_form(formdata=None, **kw) -> AddPremisesForm:
    return AddPremisesForm(formdata=formdata, prefix=PREFIX["shop"], meta=NO_CSRF, **kw)


def start_form(formdata=None, ops=None, **kw) -> StartVisitForm:
    form = StartVisitForm(formdata=formdata, prefix=PREFIX["start"], meta=NO_CSRF, **kw)
    operation_choices(form, ops)
    return form


def checklist_form(group, formdata=None, current=None) -> Any:
    return findings_form(group.items, current, formdata=formdata,
                         prefix=checklist_prefix(group.position), meta=NO_CSRF)


def test_purchase_form(formdata=None, **kw) -> TestPurchaseForm:
    return TestPurchaseForm(formdata=formdata, prefix=PREFIX["test_purchase"], meta=NO_CSRF,
                            **kw)


def outcome_form(formdata=None, **kw) -> OutcomeForm:
    return OutcomeForm(formdata=formdata, prefix=PREFIX["outcome"], meta=NO_CSRF, **kw)


def submit_form(formdata=None, **kw) -> SubmitVisitForm:
    return SubmitVisitForm(formdata=formdata, prefix=PREFIX["submit"], meta=NO_CSRF, **kw)


_SKIP = {"CSRFTokenField", "SubmitField", "HiddenField"}


def rows(form) -> list[dict[str, str]]:
    """A form's answers as label and value, for showing two versions side by side."""
    out: list[dict[str, str]] = []
    for field in form:
        if field.type in _SKIP or field.short_name in ("lock_version", "reason"):
            continue
        label = str(field.label.text)
        if field.short_name.startswith("note_") and out:  # a checklist item's note
            label = _("Note on: %(check)s", check=out[-1]["label"])
        out.append({"label": label, "value": _shown(field)})
    return out


def _shown(field) -> str:
    data = field.data
    choices = {str(c[0]): str(c[1]) for c in field.iter_choices()} \
        if hasattr(field, "iter_choices") else {}
    if isinstance(data, list):
        return ", ".join(choices.get(str(d), str(d)) for d in data) or _("None")
    if data is None or data == "":
        return _("Not given")
    if hasattr(data, "strftime"):
        return data.strftime("%-d %B %Y")
    return choices.get(str(data), str(data))


def errors(form) -> list[dict[str, str]]:
    """Every error in the order the page shows the fields, with the field's id."""
    found = []
    for field in form:
        for message in field.errors:
            found.append({"field": field.id, "message": str(message)})
    return found
