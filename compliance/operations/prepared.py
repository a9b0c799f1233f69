"""An operation's visits as CSV, prepared as an export (compliance/exports): a national week's
CSV is hundreds of thousands of rows and minutes of work, longer than any request may take,
so a job writes it to a file a chunk at a time (operations/export.py) and its page offers it.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO

from flask import abort, url_for
from flask_login import current_user

from compliance.exports import Built, ExportKind, Subject, register
from compliance.i18n import lazy_gettext as _l
from compliance.models import Role
from compliance.operations import services as operations
from compliance.operations.export import report_csv


def _subject(params: dict[str, Any]) -> Subject:
    if current_user.role not in (Role.OFFICER, Role.ADMIN) or (
            params.get("notes") and current_user.role != Role.ADMIN):
        abort(403)  # officer-only notes leave the portal only for an admin
    operation = operations.get_operation(params["operation_id"])
    if operation is None:
        abort(404)
    area = params.get("area")
    return Subject(f"{operation.name}: {area}" if area else operation.name,
                   url_for("operations.operation_report", operation_id=operation.id, area=area))


def filename(operation_id: int, area: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (area or "").lower()).strip("-")
    return f"operation-{operation_id}" + (f"-{slug}" if slug else "") + ".csv"


def _build(params: dict[str, Any], out: BinaryIO) -> Built:
    for chunk in report_csv(params["operation_id"], params.get("area"),
                            include_notes=bool(params.get("notes"))):
        out.write(chunk.encode("utf-8"))
    return Built(filename(params["operation_id"], params.get("area")), "text/csv")


REPORT_CSV = register(ExportKind("operations.report_csv", _l("Operation visits (CSV)"),
                                 _subject, _build))
