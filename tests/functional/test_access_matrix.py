"""Every route × every kind of user: who gets the page, who is sent to sign in, who is refused.

Later features add their routes to ROUTES. `{retailer}` is the first business (the manager's),
`{premises}` its premises, `{staff}` its staff member, `{other_retailer}` the other business.
"""

from datetime import timedelta

import pytest

from compliance.exports import services as export_services
from compliance.models import (
    AttemptAnswer,
    Certificate,
    Export,
    Invitation,
    JobOutbox,
    Membership,
    QuizAttempt,
)
from compliance.models.base import utcnow
from tests.assessment_factories import matrix_ids as assessment_ids
from tests.factories import QuestionFactory, TrainingModuleFactory
from tests.visit_factories import matrix_ids as visit_ids

ANON, STAFF, MANAGER, OTHER, OFFICER, ADMIN = (
    "anonymous", "staff", "manager", "other_manager", "officer", "admin")
WHO = [ANON, STAFF, MANAGER, OTHER, OFFICER, ADMIN]

# url -> expected status for each of WHO, in order.
ROUTES = {
    "/": (200, 200, 200, 200, 200, 200),
    "/healthz": (200, 200, 200, 200, 200, 200),
    "/accessibility": (200, 200, 200, 200, 200, 200),
    "/account": (302, 200, 200, 200, 200, 200),
    "/auth/sign-in": (200, 302, 302, 302, 302, 302),
    "/auth/password/forgot": (200, 200, 200, 200, 200, 200),
    "/businesses/register": (200, 302, 302, 302, 302, 302),
    "/businesses/": (302, 403, 302, 302, 200, 200),
    "/businesses/{retailer}": (302, 403, 200, 403, 200, 200),
    "/businesses/{other_retailer}": (302, 403, 403, 200, 200, 200),
    "/businesses/{retailer}/premises/{premises}": (302, 200, 200, 403, 200, 200),
    "/businesses/{retailer}/premises/new": (302, 403, 200, 403, 403, 200),
    "/businesses/{retailer}/premises/{premises}/edit": (302, 403, 200, 403, 403, 200),
    "/businesses/{retailer}/staff/invite": (302, 403, 200, 403, 403, 200),
    "/businesses/{retailer}/people/{staff}/status": (302, 403, 200, 403, 403, 200),
    "/admin/": (302, 403, 403, 403, 403, 302),
    "/admin/users": (302, 403, 403, 403, 403, 200),
    "/admin/users/new": (302, 403, 403, 403, 403, 200),
    "/admin/users/{staff}/status": (302, 403, 403, 403, 403, 200),
    "/admin/agencies": (302, 403, 403, 403, 403, 200),
    "/admin/agencies/new": (302, 403, 403, 403, 403, 200),
    "/admin/agencies/{agency}/edit": (302, 403, 403, 403, 403, 200),
    "/admin/audit": (302, 403, 403, 403, 403, 200),
    "/admin/content-reviews": (302, 403, 403, 403, 403, 200),
    "/admin/jobs/": (302, 403, 403, 403, 403, 200),
    "/admin/questions/": (302, 403, 403, 403, 403, 200),
    "/admin/questions/new": (302, 403, 403, 403, 403, 200),
    "/admin/questions/{question}/edit": (302, 403, 403, 403, 403, 200),
    "/admin/questions/{question}/retire": (302, 403, 403, 403, 403, 200),
    "/admin/questions/export.gift": (302, 403, 403, 403, 403, 200),
    "/admin/questions/export.xml": (302, 403, 403, 403, 403, 200),
    "/admin/questions/import": (302, 403, 403, 403, 403, 200),
    "/certificates/": (302, 200, 200, 200, 200, 200),
    "/certificates/{cert}": (302, 200, 200, 403, 200, 200),
    "/certificates/{cert}.pdf": (302, 200, 200, 403, 200, 200),
    # Whether its PDF is ready yet: whoever may download it (the waiting pages ask).
    "/certificates/{cert}/ready.json": (302, 200, 200, 403, 200, 200),
    "/certificates/premises/{premises}": (302, 403, 200, 403, 403, 200),
    "/certificates/{cert}/revoke": (302, 403, 403, 403, 200, 200),
    "/certificates/{cert}/correct": (302, 403, 403, 403, 403, 200),
    "/verification/visits/{visit}": (302, 403, 403, 403, 200, 200),
    "/verification/premises/{premises}/request": (302, 403, 200, 403, 403, 200),
    "/verify": (200, 200, 200, 200, 200, 200),
    "/verify/{cert}": (200, 200, 200, 200, 200, 200),
    "/verify/{cert}.json": (200, 200, 200, 200, 200, 200),
    "/check-a-certificate-file": (200, 200, 200, 200, 200, 200),
    "/.well-known/jwks.json": (200, 200, 200, 200, 200, 200),
    "/issuer": (200, 200, 200, 200, 200, 200),
    "/issuer.json": (200, 200, 200, 200, 200, 200),
    "/certificates/{cert}/open-badge.jwt": (302, 200, 200, 403, 200, 200),
    "/visits/": (302, 403, 302, 302, 200, 200),  # managers: their visits and follow-ups
    "/visits/list": (302, 403, 403, 403, 200, 200),
    "/visits/new?premises={premises}": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}": (302, 403, 403, 403, 200, 200),
    "/visits/{draft}": (302, 403, 403, 403, 200, 403),  # a draft: its officer only
    "/visits/{visit}/details": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/checklist/{one}": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/test-purchase": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/outcome": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/summary": (302, 403, 200, 403, 200, 200),
    "/visits/{draft}/summary": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/follow-ups/new": (302, 403, 403, 403, 200, 403),
    "/visits/follow-ups/{follow_up}": (302, 403, 200, 403, 200, 200),
    "/visits/shop": (302, 403, 200, 200, 403, 403),
    # Evidence files: a follow-up's, for the shop and officers; a finding's, officers only.
    "/evidence/{evidence}": (302, 403, 200, 403, 200, 200),
    "/evidence/{finding_evidence}": (302, 403, 403, 403, 200, 200),
    "/visits/premises": (302, 403, 403, 403, 200, 200),
    "/visits/premises/new": (302, 403, 403, 403, 200, 403),
    "/visits/premises/{premises}": (302, 403, 403, 403, 200, 200),
    "/visits/priorities": (302, 403, 403, 403, 200, 200),
    "/visits/operations": (302, 403, 403, 403, 200, 200),
    "/visits/operations/new": (302, 403, 403, 403, 403, 200),
    "/visits/operations/{operation}/edit": (302, 403, 403, 403, 403, 200),
    "/visits/operations/{operation}/report": (302, 403, 403, 403, 200, 200),
    "/training/": (302, 200, 200, 200, 200, 200),
    "/training/modules/{module}": (302, 200, 200, 200, 200, 200),
    "/training/quiz": (302, 302, 200, 200, 403, 403),  # staff: resumes the open attempt
    "/training/quiz/{attempt}/{one}": (302, 200, 404, 404, 403, 403),
    "/training/quiz/{attempt}/check": (302, 200, 404, 404, 403, 403),
    "/training/quiz/{attempt}/result": (302, 302, 404, 404, 403, 403),
    "/training/matrix?retailer={retailer}": (302, 403, 200, 200, 403, 200),
    "/training/matrix.csv?retailer={retailer}": (302, 403, 200, 200, 403, 200),
    "/premises/{premises}/assessments/": (302, 403, 200, 403, 200, 200),
    "/premises/{premises}/assessments/new": (302, 403, 302, 403, 403, 403),  # draft: resume
    "/premises/{premises}/assessments/{assessment}/resume": (302, 403, 302, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}/tasks": (302, 403, 200, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}/items/{item}": (
        302, 403, 200, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}/check": (302, 403, 200, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}": (302, 403, 302, 403, 404, 404),  # draft
    "/premises/{premises}/assessments/{submitted}": (302, 403, 200, 403, 200, 200),
    "/premises/{premises}/profile": (302, 403, 200, 403, 403, 200),
    "/admin/checklist/": (302, 403, 403, 403, 403, 200),
    "/admin/checklist/{item}/edit": (302, 403, 403, 403, 403, 200),
    "/refusals/record": (302, 302, 302, 302, 403, 403),
    "/premises/{premises}/refusals/": (302, 200, 200, 403, 200, 200),  # staff: their own
    "/premises/{premises}/refusals/new": (302, 200, 200, 403, 403, 403),
    "/premises/{premises}/refusals/{refusal}/correct": (302, 200, 200, 403, 403, 403),
    "/premises/{premises}/refusals/weeks/{week}/sign-off": (302, 403, 200, 403, 403, 403),
    "/premises/{premises}/refusals/weeks/sign-off": (302, 403, 200, 403, 403, 403),
    "/premises/{premises}/refusals/register.csv": (302, 403, 200, 403, 200, 200),
    # A prepared export: only whoever asked for it (here the officer) sees or downloads it.
    "/exports/{export}": (302, 404, 404, 404, 200, 404),
    "/exports/{export}/download": (302, 404, 404, 404, 200, 404),
    "/exports/{export}/state.json": (302, 404, 404, 404, 200, 404),
    # The offline app: officers only (admins and managers record no visits); the manifest and
    # the service worker hold nobody's data.
    "/offline/visit": (302, 403, 403, 403, 200, 403),
    "/offline/sign-out": (302, 403, 403, 403, 200, 403),
    "/offline/api/bundle": (302, 403, 403, 403, 200, 403),
    "/offline/api/token": (302, 403, 403, 403, 200, 403),
    "/offline/manifest.webmanifest": (200, 200, 200, 200, 200, 200),
    "/sw.js": (200, 200, 200, 200, 200, 200),
}

# State-changing POSTs: never allowed to the wrong people (200/302 = allowed).
POSTS = {
    # A manager emails their own member of staff a training reminder.
    "/to-do/staff/{staff}/chase": (302, 403, 302, 403, 403, 403),
    # Staff choose which of their businesses they work for now (only their own memberships).
    "/account/workplaces/{membership}": (302, 302, 403, 403, 403, 403),
    "/businesses/{retailer}/premises/new": (302, 403, 200, 403, 403, 200),
    "/businesses/{retailer}/staff/invite": (302, 403, 200, 403, 403, 200),
    "/businesses/{retailer}/invitations/{invitation}/revoke": (302, 403, 302, 403, 403, 302),
    "/businesses/{retailer}/people/{staff}/status": (302, 403, 302, 403, 403, 302),
    "/admin/users/new": (302, 403, 403, 403, 403, 200),
    "/admin/jobs/{job}/retry": (302, 403, 403, 403, 403, 302),
    "/premises/{premises}/refusals/register.pdf": (302, 403, 302, 403, 302, 302),
    "/visits/operations/{operation}/report.csv": (302, 403, 403, 403, 302, 302),
    # A ZIP of a business's certificates, prepared by a job (a manager's own business).
    "/certificates/business.zip?retailer={retailer}": (302, 403, 302, 302, 403, 302),
    "/exports/{export}/again": (302, 404, 404, 404, 302, 404),
    "/admin/agencies/new": (302, 403, 403, 403, 403, 200),
    "/training/modules/{module}": (302, 302, 302, 302, 403, 403),
    # A self-assessment statement is issued (the premises has a submitted self-assessment).
    "/certificates/premises/{premises}": (302, 403, 302, 403, 403, 302),
    "/certificates/{cert}/revoke": (302, 403, 403, 403, 200, 200),
    "/certificates/{cert}/correct": (302, 403, 403, 403, 403, 200),
    # Officers (of the visit's agency) and admins only; here the conditions are not met.
    "/verification/visits/{visit}": (302, 403, 403, 403, 200, 200),
    "/verification/premises/{premises}/request": (302, 403, 200, 403, 403, 200),
    "/admin/questions/new": (302, 403, 403, 403, 403, 200),
    "/admin/questions/{question}/retire": (302, 403, 403, 403, 403, 302),
    "/admin/questions/import": (302, 403, 403, 403, 403, 200),
    "/admin/questions/import/confirm": (302, 403, 403, 403, 403, 200),
    "/visits/new?premises={premises}": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/details": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/checklist/{one}": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/test-purchase": (302, 403, 403, 403, 200, 403),
    "/visits/{visit}/outcome": (302, 403, 403, 403, 200, 403),
    "/visits/{draft}/submit": (302, 403, 403, 403, 302, 403),
    "/visits/{visit}/follow-ups/new": (302, 403, 403, 403, 200, 403),
    "/visits/follow-ups/{follow_up}/answer": (302, 403, 200, 403, 403, 403),
    "/visits/follow-ups/{follow_up}/review": (302, 403, 403, 403, 200, 403),
    "/visits/premises/new": (302, 403, 403, 403, 200, 403),
    "/visits/operations/new": (302, 403, 403, 403, 403, 200),
    "/visits/operations/{operation}/edit": (302, 403, 403, 403, 403, 200),
    "/training/quiz": (302, 302, 302, 302, 403, 403),
    "/training/quiz/{attempt}/{one}": (302, 200, 404, 404, 403, 403),
    "/training/quiz/{attempt}/check": (302, 200, 404, 404, 403, 403),
    "/premises/{premises}/assessments/new": (302, 403, 302, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}/items/{item}": (
        302, 403, 200, 403, 403, 403),
    "/premises/{premises}/assessments/{assessment}/check": (302, 403, 200, 403, 403, 403),
    "/premises/{premises}/profile": (302, 403, 200, 403, 403, 200),
    "/admin/checklist/{item}/edit": (302, 403, 403, 403, 403, 200),
    "/premises/{premises}/refusals/new": (302, 200, 200, 403, 403, 403),
    "/premises/{premises}/refusals/{refusal}/correct": (302, 200, 200, 403, 403, 403),
    "/premises/{premises}/refusals/weeks/{week}/sign-off": (302, 403, 302, 403, 403, 403),
    # No week ticked: the manager gets the page again with an error.
    "/premises/{premises}/refusals/weeks/sign-off": (302, 403, 200, 403, 403, 403),
    # An empty body is no visit section: the officer is told so (422), nobody else gets in.
    "/offline/api/sync": (302, 403, 403, 403, 422, 403),
}


def _ids(people):
    from compliance.extensions import db

    staff = people["staff"]
    invitation = Invitation(token_hash="x" * 64, email="inv@example.com", name="Inv",
                            retailer_id=staff.retailer_id, premises_id=staff.premises_id,
                            invited_by_id=people["manager"].id, expires_at=utcnow())
    db.session.add(invitation)
    module = TrainingModuleFactory()
    question = QuestionFactory(module_slug=module.slug)
    attempt = QuizAttempt(user_id=staff.id, jurisdiction="england-wales", total=1, pass_mark=80)
    db.session.add(attempt)
    db.session.flush()
    db.session.add(AttemptAnswer(attempt_id=attempt.id, position=1, question_id=question.id,
                                 option_order=[2, 0, 1]))
    db.session.flush()
    cert = Certificate(code="KSC-2345-6789-ABC8", kind="staff", holder_user_id=staff.id,
                       retailer_id=staff.retailer_id, premises_id=staff.premises_id,
                       holder_name=staff.name, business_name="Alpha Tools Ltd",
                       issued_at=utcnow(), expires_at=utcnow() + timedelta(days=365),
                       pdf=b"%PDF-1.7 test", sha256="0" * 64)
    db.session.add(cert)
    membership = Membership(user_id=staff.id, retailer_id=staff.retailer_id,
                            premises_id=staff.premises_id)
    db.session.add(membership)
    dead = JobOutbox(name="mail.send", attempts=5, dead_at=utcnow(), last_error="refused",
                     payload={"email": {"to": "x@example.com", "subject": "s", "body": "b"}})
    db.session.add(dead)
    exports_folder = export_services.folder()
    exports_folder.mkdir(parents=True, exist_ok=True)
    (exports_folder / "matrix-register.pdf").write_bytes(b"%PDF-1.7 test")
    export = Export(kind="refusals.register_pdf", params={"premises_id": staff.premises_id},
                    requested_by_id=people["officer"].id, filename="register.pdf",
                    content_type="application/pdf", stored_name="matrix-register.pdf",
                    size=13, ready_at=utcnow())
    db.session.add(export)
    db.session.flush()
    return {"job": dead.id, "export": export.id, **visit_ids(people), **assessment_ids(people),
            "cert": cert.code, "one": 1,
            "module": module.slug, "question": question.key, "attempt": attempt.id,
            "retailer": staff.retailer_id, "premises": staff.premises_id, "staff": staff.id,
            "other_retailer": people["other_manager"].retailer_id,
            "agency": people["officer"].agency_id, "invitation": invitation.id,
            "membership": membership.id}


def _cases(table):
    return [(url, who, codes[i]) for url, codes in table.items() for i, who in enumerate(WHO)]


@pytest.mark.parametrize("url, who, expected", _cases(ROUTES))
def test_get_access(client, login_as, people, url, who, expected):
    if who != ANON:
        login_as(people[who])
    response = client.get(url.format(**_ids(people)))
    response.close()  # a file download is streamed from disk
    assert response.status_code == expected, f"{who} GET {url}"
    if expected == 302 and who == ANON:
        assert "/auth/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("url, who, expected", _cases(POSTS))
def test_post_access(client, login_as, people, url, who, expected):
    if who != ANON:
        login_as(people[who])
    response = client.post(url.format(**_ids(people)), data={})
    assert response.status_code == expected, f"{who} POST {url}"


def test_every_route_is_in_the_matrix(app):
    """A new route must be added to the matrix above."""
    import re

    covered = {re.sub(r"\{\w+\}", "<>", u.split("?")[0]) for u in [*ROUTES, *POSTS]}
    exempt = {"/static/<>", "/auth/sign-out", "/auth/password/reset/<>", "/auth/invitation/<>",
              "/auth/account/set-up/<>"}
    missing = []
    for rule in app.url_map.iter_rules():
        shape = re.sub(r"<[^>]+>", "<>", rule.rule)
        if shape not in covered and shape not in exempt:
            missing.append(rule.rule)
    assert missing == []
