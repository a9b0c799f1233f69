"""The audit log in words: one label and one sentence per action, about the things themselves
("Visit to Riverside Cutlery submitted"), never action codes or "premises 6".

Events keep what services wrote (code, summary, target type and id); this reads them for a
person. The names behind a page of events are loaded with one query per kind of target on the
page (a fixed, small number whatever the page size).
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select

from compliance.extensions import db
from compliance.i18n import lazy_gettext as _l
from compliance.models import (
    Agency,
    Assessment,
    AuditEvent,
    Certificate,
    ChecklistItem,
    FollowUp,
    Invitation,
    Operation,
    Premises,
    Question,
    QuizAttempt,
    Refusal,
    RefusalSignOff,
    Retailer,
    TestPurchase,
    TrainingModule,
    User,
    VerificationRequest,
    Visit,
)
from compliance.visits.timezone import uk_datetime_text

# action -> (label for the filter and the Action column, sentence for the What column).
# Sentences name fields of the target (see TARGETS) and {reason}, the text after ": " in the
# service's own summary (a revocation's or an edit's reason).
ACTIONS: dict[str, tuple[str, str]] = {
    "account_created": (_l("Account created"), _l("Account created for {person}")),
    "account_setup_link_sent": (_l("Set-up link sent"),
                                _l("Account set-up email sent to {person}")),
    "account_set_up": (_l("Account set up"), _l("{person} set up their account")),
    "account_deactivated": (_l("Account deactivated"), _l("Account of {person} deactivated")),
    "account_reactivated": (_l("Account reactivated"), _l("Account of {person} reactivated")),
    "account_locked": (_l("Account locked"),
                       _l("Account of {person} locked after too many failed sign-ins")),
    "agency_created": (_l("Agency added"), _l("Agency {agency} added")),
    "agency_updated": (_l("Agency changed"), _l("Agency {agency} changed")),
    "assessment_submitted": (_l("Self-assessment submitted"),
                             _l("Self-assessment for {premises} submitted: {reason}")),
    "business_registered": (_l("Business registered"), _l("Business {business} registered")),
    "certificate_expired": (_l("Certificate expired"), _l("Certificate {code} ({holder}) expired")),
    "certificate_issued": (_l("Certificate issued"), _l("Certificate {code} issued to {holder}")),
    "certificate_reinstated": (_l("Certificate valid again"),
                               _l("Certificate {code} ({holder}) valid again")),
    "certificate_revoked": (_l("Certificate revoked"),
                            _l("Certificate {code} ({holder}) revoked: {reason}")),
    "certificate_superseded": (_l("Certificate corrected"),
                               _l("Certificate {code} ({holder}) replaced: {reason}")),
    "certificate_suspended": (_l("Certificate suspended"),
                              _l("Certificate {code} ({holder}) suspended: {reason}")),
    "checklist_item_edited": (_l("Checklist item changed"),
                              _l("Checklist item \u201c{item}\u201d changed")),
    "evidence_added": (_l("Evidence added"), _l("Evidence file added")),
    "follow_up_answered": (_l("Follow-up answered"), _l("Follow-up for {premises} answered")),
    "follow_up_closed": (_l("Follow-up closed"), _l("Follow-up for {premises} closed")),
    "follow_up_raised": (_l("Follow-up raised"), _l("Follow-up for {premises} raised")),
    "follow_up_returned": (_l("Follow-up returned"),
                           _l("Follow-up for {premises} returned to the shop")),
    "invitation_accepted": (_l("Invitation accepted"), _l("{person} joined as staff")),
    "invitation_revoked": (_l("Invitation withdrawn"),
                           _l("Invitation to {person} ({business}) withdrawn")),
    "job_retried": (_l("Background job retried"), _l("A failed background job was retried")),
    "module_read": (_l("Module read"), _l("Module \u201c{module}\u201d read")),
    "operation_created": (_l("Operation added"), _l("Operation {operation} added")),
    "operation_updated": (_l("Operation changed"), _l("Operation {operation} changed")),
    "password_reset": (_l("Password changed"),
                       _l("Password of {person} changed with a reset link")),
    "password_reset_requested": (_l("Password reset asked for"),
                                 _l("Password reset email sent to {person}")),
    "premises_added_by_officer": (_l("Premises added"),
                                  _l("Premises {premises} added by an officer")),
    "premises_profile_updated": (_l("Premises profile changed"),
                                 _l("Profile of {premises} changed")),
    "premises_updated": (_l("Premises changed"), _l("Details of {premises} changed")),
    "question_retired": (_l("Question retired"), _l("Question {question} retired")),
    "question_saved": (_l("Question saved"), _l("Question {question} saved")),
    "questions_imported": (_l("Questions imported"), _l("{summary}")),
    "quiz_started": (_l("Quiz started"), _l("Quiz started by {person}")),
    "quiz_submitted": (_l("Quiz submitted"), _l("Quiz submitted by {person}: {reason}")),
    "refusal_corrected": (_l("Refusal corrected"),
                          _l("Refusals register entry at {premises} corrected: {reason}")),
    "refusal_recorded": (_l("Refusal recorded"), _l("Refusal at {premises} recorded")),
    "refusals_week_signed_off": (_l("Register signed off"),
                                 _l("Refusals register of {premises} signed off for the week of"
                                    " {week}")),
    "sign_in": (_l("Signed in"), _l("{person} signed in")),
    "sign_in_failed": (_l("Sign-in failed"), _l("{summary}")),
    "sign_in_refused_inactive": (_l("Sign-in refused"),
                                 _l("Sign-in refused: the account of {person} is deactivated")),
    "sign_in_refused_locked": (_l("Sign-in refused"),
                               _l("Sign-in refused: the account of {person} is locked")),
    "sign_out": (_l("Signed out"), _l("{person} signed out")),
    "staff_invited": (_l("Staff invited"), _l("{person} invited to work at {business}")),
    "test_purchase_cleared": (_l("Failed test purchase cleared"),
                              _l("Failed test purchase at {premises} on {visit_date} cleared")),
    "test_purchase_failed": (_l("Test purchase failed"),
                             _l("Test purchase at {premises} on {visit_date} failed: a knife was"
                                " sold")),
    "verification_request_resolved": (_l("Verification visit made"),
                                      _l("Verification visit to {premises} made")),
    "verification_requested": (_l("Verification visit asked for"),
                               _l("Verification visit to {premises} asked for")),
    "visit_edited": (_l("Visit changed"),
                     _l("Visit to {premises} on {visit_date} changed: {reason}")),
    "visit_notes_exported": (_l("Officer notes exported"),
                             _l("Officer notes for {operation} exported")),
    "visit_started": (_l("Visit started"), _l("Visit to {premises} started")),
    "visit_submitted": (_l("Visit submitted"), _l("Visit to {premises} on {visit_date} submitted")),
}


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _visit_date(value) -> str:
    return uk_datetime_text(value).split(",")[0] if value else ""


# target type -> (query over ids, row -> fields). Each query returns (id, ...) rows.
Loader = tuple[Callable[[list[int]], object], Callable[[tuple], dict]]
TARGETS: dict[str, Loader] = {
    "User": (lambda ids: select(User.id, User.name).where(User.id.in_(ids)),
             lambda r: {"person": r[1]}),
    "Premises": (lambda ids: select(Premises.id, Premises.name).where(Premises.id.in_(ids)),
                 lambda r: {"premises": r[1]}),
    "Retailer": (lambda ids: select(Retailer.id, Retailer.name).where(Retailer.id.in_(ids)),
                 lambda r: {"business": r[1]}),
    "Agency": (lambda ids: select(Agency.id, Agency.name).where(Agency.id.in_(ids)),
               lambda r: {"agency": r[1]}),
    "Operation": (lambda ids: select(Operation.id, Operation.name).where(Operation.id.in_(ids)),
                  lambda r: {"operation": r[1]}),
    "TrainingModule": (lambda ids: select(TrainingModule.id, TrainingModule.title)
                       .where(TrainingModule.id.in_(ids)), lambda r: {"module": r[1]}),
    "Question": (lambda ids: select(Question.id, Question.key).where(Question.id.in_(ids)),
                 lambda r: {"question": r[1]}),
    "ChecklistItem": (lambda ids: select(ChecklistItem.id, ChecklistItem.question)
                      .where(ChecklistItem.id.in_(ids)), lambda r: {"item": r[1]}),
    "Certificate": (lambda ids: select(Certificate.id, Certificate.code, Certificate.holder_name)
                    .where(Certificate.id.in_(ids)),
                    lambda r: {"code": r[1], "holder": r[2]}),
    "QuizAttempt": (lambda ids: select(QuizAttempt.id, User.name)
                    .join(User, User.id == QuizAttempt.user_id).where(QuizAttempt.id.in_(ids)),
                    lambda r: {"person": r[1]}),
    "Invitation": (lambda ids: select(Invitation.id, Invitation.name, Retailer.name)
                   .join(Retailer, Retailer.id == Invitation.retailer_id)
                   .where(Invitation.id.in_(ids)),
                   lambda r: {"person": r[1], "business": r[2]}),
    "Visit": (lambda ids: select(Visit.id, Premises.name, Visit.visited_at)
              .join(Premises, Premises.id == Visit.premises_id).where(Visit.id.in_(ids)),
              lambda r: {"premises": r[1], "visit_date": _visit_date(r[2])}),
    "TestPurchase": (lambda ids: select(TestPurchase.id, Premises.name, Visit.visited_at)
                     .join(Visit, Visit.id == TestPurchase.visit_id)
                     .join(Premises, Premises.id == TestPurchase.premises_id)
                     .where(TestPurchase.id.in_(ids)),
                     lambda r: {"premises": r[1], "visit_date": _visit_date(r[2])}),
    "RefusalSignOff": (lambda ids: select(RefusalSignOff.id, Premises.name,
                                          RefusalSignOff.week_start)
                       .join(Premises, Premises.id == RefusalSignOff.premises_id)
                       .where(RefusalSignOff.id.in_(ids)),
                       lambda r: {"premises": r[1], "week": _date(r[2])}),
}
for _model in (Assessment, Refusal, FollowUp, VerificationRequest):
    TARGETS[_model.__name__] = (
        lambda ids, m=_model: select(m.id, Premises.name)
        .join(Premises, Premises.id == m.premises_id).where(m.id.in_(ids)),
        lambda r: {"premises": r[1]})


@dataclass(frozen=True)
class Described:
    event: AuditEvent
    label: str
    text: str


def action_label(action: str) -> str:
    known = ACTIONS.get(action)
    return str(known[0]) if known else action.replace("_", " ").capitalize()


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1])


def _fields(sentence: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(sentence) if name}


def _sentence(event: AuditEvent, found: dict) -> str:
    label, sentence = (str(part) for part in ACTIONS.get(event.action, (
        action_label(event.action), "")))
    reason = event.summary.split(": ", 1)[1] if ": " in event.summary else ""
    values = {"summary": event.summary, "reason": reason, **found}
    if sentence and _fields(sentence) <= {k for k, v in values.items() if v}:
        return sentence.format(**values)
    if sentence.endswith(": {reason}") and _fields(sentence[:-10]) <= set(found):
        return sentence[:-10].format(**values)
    # The target is gone (or the event has none): the label, which names no record.
    return label


def describe(events: list[AuditEvent]) -> list[Described]:
    """Each event with its label and sentence, loading the names behind them in bulk."""
    ids: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.target_type in TARGETS and event.target_id is not None:
            ids[event.target_type].add(event.target_id)
    found: dict[tuple[str, int], dict] = {}
    for kind, wanted in ids.items():
        query, fields = TARGETS[kind]
        for row in db.session.execute(query(sorted(wanted))).all():
            found[(kind, row[0])] = fields(tuple(row))
    return [Described(event, action_label(event.action),
                      _sentence(event, found.get((event.target_type, event.target_id), {})))
            for event in events]
