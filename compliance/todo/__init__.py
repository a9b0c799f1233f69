"""Home-page to-do lists: what each person should do next, computed in a fixed number of
queries. One entry point: `for_user(user)`."""

from __future__ import annotations

from functools import cache

from flask import Blueprint
from sqlalchemy import Integer, String, bindparam, select

from compliance.extensions import db
from compliance.models import ReminderSent, Role, User
from compliance.paging import Page
from compliance.todo.items import ToDo, groups

bp = Blueprint("todo", __name__, url_prefix="/to-do")


def for_user(user: User, page: int = 1, premises: Page | None = None) -> list[ToDo]:
    """The user's to-do items, each marked with the reminder emailed about it, if any.

    A manager's are for one page of their premises: pass `premises` (from
    `managers.premises_page`) when the caller shows that page's pager too, so it is queried
    once, not twice."""
    from compliance.todo import admins, managers, officers, staff

    if user.role == Role.MANAGER:
        return managers.items(user, page, premises)  # marked in the same statement as chases
    items = {Role.STAFF: staff.items, Role.OFFICER: officers.items,
             Role.ADMIN: admins.items}[user.role](user)
    causes = sorted({item.cause_key for item in items if item.cause_key})
    sent = dict(db.session.execute(sent_statement(), {"todo_user": user.id,
                                                      "todo_causes": causes}).all())
    return [item.with_reminder(sent) for item in items]


@cache
def sent_statement():
    """When the user was emailed about each of these causes (built once, values bound)."""
    return (select(ReminderSent.cause_key, ReminderSent.sent_at)
            .where(ReminderSent.user_id == bindparam("todo_user", type_=Integer()),
                   ReminderSent.cause_key.in_(bindparam("todo_causes", expanding=True,
                                                        type_=String()))))


__all__ = ["ToDo", "bp", "for_user", "groups"]

from compliance.todo import routes  # noqa: E402,F401
