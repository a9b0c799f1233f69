"""A shop manager's to-dos, per premises: register weeks to sign off, follow-ups to answer,
staff to train, the self-assessment and the premises certificate (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask import current_app, url_for
from sqlalchemy import (
    Date,
    Integer,
    Row,
    and_,
    bindparam,
    func,
    null,
    or_,
    select,
    union_all,
)

from compliance.certificates.status import (
    PREMISES,
    conditions_columns,
    conditions_of,
    status_of,
    trained_share,
)
from compliance.extensions import db
from compliance.i18n import gettext as _
from compliance.i18n import ngettext
from compliance.models import (
    Assessment,
    Certificate,
    FollowUp,
    Premises,
    Refusal,
    RefusalSignOff,
    ReminderSent,
    User,
    Visit,
)
from compliance.models.base import utcnow
from compliance.paging import Page, run_counted, window_counted
from compliance.plan_constants import with_fixed_words
from compliance.refusals.clock import monday_of, to_uk, uk_today
from compliance.refusals.signoff import WEEKS_SHOWN
from compliance.todo.items import DONE, DUE, INFO, OVERDUE, TODO, ToDo, day
from compliance.training.matrix import premises_matrix


def register_cause(premises_id: int, week: date) -> str:
    return f"register-week:{premises_id}:{week.isoformat()}"


def follow_up_cause(follow_up: FollowUp) -> str:
    """Once while open, once more if the officer returns it."""
    return f"follow-up-due:{follow_up.id}:{follow_up.status}"


def chase_cause(user_id: int, on: date) -> str:
    return f"chase-training:{user_id}:{on.isoformat()}"


def reminders(manager_id: int, causes: list[str],
              people: list[int]) -> tuple[dict[str, datetime], dict[int, datetime]]:
    """When the manager was emailed about each of these causes, and when a manager last
    emailed each of these people to finish their training, in one statement:
    ({cause: sent at}, {person id: chased at})."""
    sent: dict[str, datetime] = {}
    chased: dict[int, datetime] = {}
    for row in db.session.execute(_statements()["reminders"], {
            "todo_user": manager_id, "todo_causes": causes, "todo_users": people}):
        if row.cause_key is None:
            chased[row.user_id] = row.sent_at
        else:
            sent[row.cause_key] = row.sent_at
    return sent, chased


def unsigned_weeks(premises: list[Premises], today: date | None = None) -> dict[int, list[date]]:
    """Finished weeks not yet signed off, per premises, oldest first (one query, and one more
    for the first entries of premises registered within the weeks shown)."""
    current = monday_of(today or uk_today())
    window = current - timedelta(weeks=WEEKS_SHOWN - 1)
    ids = [p.id for p in premises]
    statements = _statements()
    signed = set(db.session.execute(statements["signed"], {"todo_premises": ids,
                                                           "todo_window": window}).all())
    # A premises registered before the window starts there whatever its first entry.
    recent = [p.id for p in premises if monday_of(to_uk(p.created_at).date()) > window]
    first = dict(db.session.execute(statements["first refusals"],
                                    {"todo_premises": recent}).all()) if recent else {}
    result = {}
    for p in premises:
        began = min(d for d in (first.get(p.id), p.created_at) if d is not None)
        week = max(monday_of(to_uk(began).date()), window)
        weeks = []
        while week < current:
            if (p.id, week) not in signed:
                weeks.append(week)
            week += timedelta(weeks=1)
        result[p.id] = weeks
    return result


def open_follow_ups(premises_ids: list[int]) -> list[Row]:
    """Follow-ups waiting for the shop's answer, from submitted visits, soonest due first
    (plain rows of what a to-do shows)."""
    return list(db.session.execute(_statements()["follow-ups"],
                                   {"todo_premises": premises_ids}))


def premises_page(user: User, page: int = 1) -> Page:
    """The page of the business's premises whose to-dos the home page shows: a business with
    hundreds of shops gets them a page at a time, so the page's size and cost stay bounded.
    One statement: the rows and their total."""
    return run_counted(db.session, _statements()["premises"],
                       {"todo_retailer": user.retailer_id}, page,
                       int(current_app.config["HOME_PREMISES_PER_PAGE"]))


def items(user: User, page: int = 1, premises_on_page: Page | None = None) -> list[ToDo]:
    """To-dos for the page'th page of premises (or for `premises_on_page`, already fetched),
    each marked with the reminder emailed about it and, for staff to train, when they were
    last chased."""
    if not user.retailer_id:
        return []
    premises = list((premises_on_page or premises_page(user, page)).items)
    ids = [p.id for p in premises]
    weeks = unsigned_weeks(premises)
    follow_ups = open_follow_ups(ids)
    matrix = premises_matrix(user.retailer_id, premises)
    latest, drafts = _assessments(ids)
    certs, reasons = _verified_certificates(ids)
    today = utcnow().date()
    result: list[ToDo] = []
    for p in premises:
        result += _register(p, weeks[p.id])
        result += [_follow_up(f, p, today) for f in follow_ups if f.premises_id == p.id]
        result += _staff(p, [r for r in matrix if r.user.premises_id == p.id])
        result.append(_assessment(p, latest.get(p.id), drafts.get(p.id)))
        result.append(_certificate(p, certs.get(p.id), reasons))
    # Only the reminders about the items shown: a manager of many shops is sent thousands a
    # year (each week of each register, each follow-up), and the page shows one page of them.
    sent, chased = reminders(user.id, sorted({t.cause_key for t in result if t.cause_key}),
                             [r.user.id for r in matrix])
    return [replace(t, chased_at=chased.get(t.chase_user_id)).with_reminder(sent)
            if t.chase_user_id else t.with_reminder(sent) for t in result]


def _register(p: Premises, weeks: list[date]) -> list[ToDo]:
    if not weeks:
        return [ToDo("register-weeks", _("Refusals register signed off"),
                     _("Every finished week is signed off. Sign off this week after Sunday."),
                     url_for("refusals.index", premises_id=p.id), DONE, p.name)]
    last_week = monday_of(uk_today()) - timedelta(weeks=1)
    severity = OVERDUE if weeks[0] < last_week else DUE
    listed = ", ".join(day(w) for w in weeks)
    return [ToDo("register-weeks", ngettext(
        "Sign off %(num)s week of the refusals register",
        "Sign off %(num)s weeks of the refusals register", len(weeks)),
        _("Weeks beginning %(weeks)s.", weeks=listed),
        url_for("refusals.sign_off_several", premises_id=p.id), severity, p.name,
        weeks[0] + timedelta(days=13), cause_key=register_cause(p.id, weeks[-1]))]


def _follow_up(f: Row, p: Premises, today: date) -> ToDo:
    returned = f.status == "returned"
    title = (_("Answer the returned follow-up: %(action)s", action=f.action) if returned
             else _("Answer the follow-up: %(action)s", action=f.action))
    return ToDo("follow-up", title, _("Due %(day)s.", day=day(f.due_on)),
                url_for("followups.follow_up", follow_up_id=f.id),
                OVERDUE if f.due_on < today else DUE, p.name, f.due_on,
                cause_key=follow_up_cause(f))


def _staff(p: Premises, rows) -> list[ToDo]:
    result = []
    for row in rows:
        if not row.current:
            expired = row.completion is not None
            result.append(ToDo(
                "untrained", _("%(name)s is not trained", name=row.user.name),
                _("Their training expired on %(day)s.", day=day(row.completion.expires_at))
                if expired else _("%(read)s of %(n)s modules read; quiz not passed.",
                                  read=row.modules_read, n=row.modules_required),
                url_for("training.matrix"), OVERDUE if expired else TODO, p.name,
                chase_user_id=row.user.id))
        elif row.expiring_soon:
            expires = row.completion.expires_at
            result.append(ToDo(
                "expiring", _("%(name)s's training expires on %(day)s", name=row.user.name,
                              day=day(expires)),
                _("Ask them to renew it before then."), url_for("training.matrix"), DUE,
                p.name, expires.date(), cause_key=f"training-expiring:{row.completion.id}",
                chase_user_id=row.user.id))
    return result


def _assessments(ids: list[int]) -> tuple[dict[int, Row], dict[int, int]]:
    """Each premises' latest submitted self-assessment and its draft, if any (one statement
    of plain rows): ({premises id: latest}, {premises id: draft id})."""
    rows = db.session.execute(_statements()["assessments"], {"todo_premises": ids})
    latest: dict[int, Row] = {}
    drafts: dict[int, int] = {}
    for row in rows:
        if row.status == "draft":
            drafts[row.premises_id] = row.id
        else:
            latest[row.premises_id] = row
    return latest, drafts


def _assessment(p: Premises, latest: Row | None, draft_id: int | None) -> ToDo:
    group = p.name
    if draft_id is not None:
        return ToDo("assessment", _("Finish your self-assessment"),
                    _("A self-assessment is started but not submitted."),
                    url_for("assessments.resume", premises_id=p.id, assessment_id=draft_id),
                    DUE, group)
    if latest is None:
        return ToDo("assessment", _("Do your first self-assessment"),
                    _("Check the premises against the checklist; it takes about 20 minutes."),
                    url_for("assessments.start", premises_id=p.id), TODO, group)
    rating = (latest.rating or "").capitalize()
    done = _("Last done %(day)s, rated %(rating)s (%(score)s%%).",
             day=day(latest.submitted_at), rating=rating, score=latest.score_percent)
    now = utcnow()
    if latest.next_due_at is not None and latest.next_due_at <= now:
        return ToDo("assessment", _("Do your self-assessment again"), done,
                    url_for("assessments.start", premises_id=p.id), OVERDUE, group,
                    latest.next_due_at.date())
    if latest.rating != "green":
        return ToDo("assessment", _("Work through the self-assessment action plan"), done,
                    url_for("assessments.index", premises_id=p.id), DUE, group)
    due = latest.next_due_at
    return ToDo("assessment", _("Self-assessment up to date"),
                done + (" " + _("Next due %(day)s.", day=day(due)) if due else ""),
                url_for("assessments.index", premises_id=p.id), DONE, group,
                due.date() if due else None)


def _verified_certificates(ids: list[int]) -> tuple[dict[int, Row], dict[int, list[str]]]:
    """The current verified certificate of each premises (plain rows of what its status
    needs) and the conditions its premises does not meet (suspension reasons), in one
    statement: ({premises id: certificate}, {premises id: reasons})."""
    rows = db.session.execute(_statements()["certificates"],
                              {"todo_premises": ids, "now": utcnow()})
    certs = {c.premises_id: c for c in rows}  # the newest wins
    share = trained_share()
    return certs, {p: conditions_of(c).unmet(share) for p, c in certs.items()}


def _certificate(p: Premises, cert: Row | None, reasons) -> ToDo:
    link = url_for("certificates.premises_certificate", premises_id=p.id)
    if cert is None:
        return ToDo("certificate", _("No verified premises certificate"),
                    _("When the self-assessment is green and your staff are trained, ask for "
                      "an officer's verification visit."), link, INFO, p.name)
    status = status_of(cert, reasons)
    if status == "suspended":
        return ToDo("certificate", _("Premises certificate %(code)s is suspended", code=cert.code),
                    " ".join(reasons.get(p.id, [])), link, OVERDUE, p.name)
    if status == "expired":
        return ToDo("certificate", _("Premises certificate %(code)s has expired", code=cert.code),
                    _("Ask for a verification visit to get a new one."), link, OVERDUE, p.name)
    warn = utcnow() + timedelta(days=int(current_app.config["CERTIFICATE_REMINDER_DAYS"]))
    return ToDo("certificate", _("Premises certificate %(code)s is valid", code=cert.code),
                _("Valid until %(day)s.", day=day(cert.expires_at)), link,
                DUE if cert.expires_at <= warn else DONE, p.name, cert.expires_at.date())


@lru_cache(maxsize=1)
def _statements() -> dict:
    """The statements of a manager's to-dos, built once with the business, the page's
    premises, its people and the dates bound at each call (building them cost about as much
    as running them)."""
    from compliance.todo import sent_statement

    premises_ids = bindparam("todo_premises", expanding=True, type_=Integer())
    newest = (select(Assessment.premises_id, func.max(Assessment.submitted_at).label("at"))
              .where(Assessment.status == "submitted", Assessment.premises_id.in_(premises_ids))
              .group_by(Assessment.premises_id).subquery())
    return {
        "premises": window_counted(select(Premises).where(
            Premises.retailer_id == bindparam("todo_retailer", type_=Integer()))
            .order_by(Premises.name, Premises.id)),
        "signed": select(RefusalSignOff.premises_id, RefusalSignOff.week_start).where(
            RefusalSignOff.premises_id.in_(premises_ids),
            RefusalSignOff.week_start >= bindparam("todo_window", type_=Date())),
        "first refusals": select(Refusal.premises_id, func.min(Refusal.occurred_at))
        .where(Refusal.premises_id.in_(premises_ids)).group_by(Refusal.premises_id),
        # Its words in the text, or PostgreSQL planned it afresh each time (plan_constants).
        "follow-ups": with_fixed_words(
            select(FollowUp.id, FollowUp.premises_id, FollowUp.status, FollowUp.action,
                   FollowUp.due_on)
            .join(Visit, FollowUp.visit_id == Visit.id)
            .where(FollowUp.premises_id.in_(premises_ids), Visit.status == "submitted",
                   FollowUp.status.in_(("open", "returned")))
            .order_by(FollowUp.due_on, FollowUp.id)),
        # The latest submitted self-assessment and any draft, as plain rows.
        "assessments": select(Assessment.id, Assessment.premises_id, Assessment.status,
                              Assessment.submitted_at, Assessment.score_percent,
                              Assessment.rating, Assessment.next_due_at)
        .outerjoin(newest, and_(Assessment.premises_id == newest.c.premises_id,
                                Assessment.submitted_at == newest.c.at))
        .where(Assessment.premises_id.in_(premises_ids),
               or_(Assessment.status == "draft", newest.c.at.is_not(None)))
        .order_by(Assessment.id),
        # Each current verified certificate with its premises' conditions (a suspended one
        # shows why); its words in the text, or PostgreSQL planned it afresh each time
        # (plan_constants).
        "certificates": with_fixed_words(
            select(Certificate.id, Certificate.code, Certificate.kind, Certificate.premises_id,
                   Certificate.expires_at, Certificate.revoked_at, Certificate.superseded_by_id,
                   *conditions_columns())
            .join(Premises, Premises.id == Certificate.premises_id)
            .where(Certificate.premises_id.in_(premises_ids), Certificate.kind == PREMISES,
                   Certificate.revoked_at.is_(None), Certificate.superseded_by_id.is_(None))
            .order_by(Certificate.issued_at)),
        # The manager's reminders about these causes (every home's statement, cause_key
        # set), then when each of these people was last chased (cause_key null).
        "reminders": union_all(
            sent_statement().add_columns(ReminderSent.user_id),
            select(null().label("cause_key"), func.max(ReminderSent.sent_at).label("sent_at"),
                   ReminderSent.user_id)
            .where(ReminderSent.user_id.in_(bindparam("todo_users", expanding=True,
                                                      type_=Integer())),
                   ReminderSent.cause_key.like("chase-training:%"))
            .group_by(ReminderSent.user_id)),
    }
