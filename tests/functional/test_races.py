"""The same request sent by six clients at once has one request's worth of effect, and every
caller gets a normal page (never a 500). Runs against committed data on SQLite (WAL, busy
timeout, BEGIN IMMEDIATE) and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from compliance.auth.services import create_reset_token
from compliance.extensions import db
from compliance.models import AuditEvent, Certificate, Invitation, Role, User
from compliance.models.base import utcnow
from compliance.tokens import new_token
from tests.factories import PremisesFactory, UserFactory
from tests.functional.business.test_routes import REGISTRATION
from tests.races import run_concurrently, signed_in_client
from tests.visit_factories import FollowUpFactory, OfficerFactory, VisitFactory

pytestmark = [pytest.mark.no_db, pytest.mark.usefixtures("committed_db")]
RACERS = 6
PASSWORD = "a long and fresh passphrase"


def _events(action: str) -> int:
    db.session.rollback()  # see what the racers committed
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == action))


def _statuses(responses) -> list[int]:
    codes = [r.status_code for r in responses]
    assert all(code < 500 for code in codes), codes
    return codes


def test_accepting_one_invitation_at_once_creates_one_account(app):
    premises = PremisesFactory()
    manager = UserFactory(role=Role.MANAGER, retailer=premises.retailer)
    raw, digest = new_token()
    db.session.add(Invitation(token_hash=digest, email="new.starter@example.com",
                              name="New Starter", retailer_id=premises.retailer_id,
                              premises_id=premises.id, invited_by_id=manager.id,
                              expires_at=utcnow().replace(year=utcnow().year + 1)))
    db.session.commit()

    def accept(_i):
        return app.test_client().post(f"/auth/invitation/{raw}",
                                      data={"password": PASSWORD, "confirm": PASSWORD})

    codes = _statuses(run_concurrently(RACERS, accept))
    assert codes.count(302) == 1, codes
    assert set(codes) <= {302, 200, 404}, codes
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.email == "new.starter@example.com")) == 1
    assert _events("invitation_accepted") == 1


def test_registering_one_email_at_once_creates_one_business(app):
    def register(_i):
        return app.test_client().post("/businesses/register", data=REGISTRATION)

    codes = _statuses(run_concurrently(RACERS, register))
    assert codes.count(302) == 1 and codes.count(200) == RACERS - 1, codes
    assert _events("business_registered") == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_answering_one_follow_up_at_once_records_one_answer(app):
    officer = OfficerFactory()
    visit = VisitFactory(officer=officer)
    manager = UserFactory(role=Role.MANAGER, retailer=visit.premises.retailer)
    follow_up = FollowUpFactory(visit=visit)
    db.session.commit()
    clients = [signed_in_client(app, manager) for _ in range(RACERS)]
    url, officer_email = f"/visits/follow-ups/{follow_up.id}/answer", officer.email
    with app.app_context():
        from compliance.mail import get_mailer

        outbox = get_mailer().outbox
        outbox.clear()

    def answer(i):
        return clients[i].post(url, data={"response_note": f"Sign is up ({i})"})

    codes = _statuses(run_concurrently(RACERS, answer))
    assert codes.count(302) == RACERS, codes  # the winner and the "already answered" notice
    assert _events("follow_up_answered") == 1
    assert len([m for m in outbox if m.to == officer_email]) == 1


def test_one_reset_link_used_at_once_changes_the_password_once(app):
    user = UserFactory(email="racer@example.com")
    raw = create_reset_token(user)
    version = user.session_version
    db.session.commit()

    def reset(i):
        return app.test_client().post(f"/auth/password/reset/{raw}",
                                      data={"password": f"{PASSWORD} {i}",
                                            "confirm": f"{PASSWORD} {i}"})

    codes = _statuses(run_concurrently(RACERS, reset))
    assert codes.count(302) == 1 and codes.count(404) == RACERS - 1, codes
    assert _events("password_reset") == 1
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == version + 1


def test_one_certificate_verified_at_once_counts_every_look_up(app):
    from tests.functional.certificates.test_routes import staff_certificate

    premises = PremisesFactory()
    cert = staff_certificate(UserFactory(role=Role.STAFF, retailer=premises.retailer,
                                         premises=premises))
    db.session.commit()
    code, cert_id = cert.code, cert.id

    def verify(i):
        return app.test_client().get(f"/verify/{code}" + (".json" if i % 2 else ""))

    codes = _statuses(run_concurrently(RACERS, verify))
    assert codes == [200] * RACERS
    db.session.rollback()
    assert db.session.get(Certificate, cert_id).verifications == RACERS


def test_the_embedded_database_is_in_wal_mode_with_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
