from datetime import timedelta

import pytest
from sqlalchemy import select

from compliance.audit import Actor
from compliance.auth import services
from compliance.extensions import db
from compliance.models import AuditEvent, Role
from compliance.models.base import utcnow
from tests.factories import TEST_PASSWORD, UserFactory

ACTOR = Actor(user=None, ip_address="203.0.113.9")


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_right_password_signs_in_and_is_audited():
    user = UserFactory(email="jo@example.com")
    assert services.authenticate(" JO@example.com ", TEST_PASSWORD, ACTOR) is user
    assert user.last_sign_in_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sign_in"))
    assert event.actor_id == user.id and event.ip_address == "203.0.113.9"


def test_unknown_account_fails_the_same_way_and_is_audited():
    with pytest.raises(services.SignInFailed):
        services.authenticate("nobody@example.com", TEST_PASSWORD, ACTOR)
    assert actions() == ["sign_in_failed"]


def test_ten_failures_lock_the_account_for_fifteen_minutes(app):
    user = UserFactory()
    for _ in range(10):
        with pytest.raises(services.SignInFailed):
            services.authenticate(user.email, "wrong password here", ACTOR)
    assert user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - utcnow() <= timedelta(minutes=15)
    assert "account_locked" in actions()
    with pytest.raises(services.SignInFailed):
        services.authenticate(user.email, TEST_PASSWORD, ACTOR)
    assert actions()[-1] == "sign_in_refused_locked"


def test_nine_failures_do_not_lock():
    user = UserFactory()
    for _ in range(9):
        with pytest.raises(services.SignInFailed):
            services.authenticate(user.email, "wrong password here", ACTOR)
    assert services.authenticate(user.email, TEST_PASSWORD, ACTOR) is user
    assert user.failed_sign_ins == 0


def test_lock_ends_after_its_time():
    user = UserFactory(locked_until=utcnow() - timedelta(seconds=1))
    assert services.authenticate(user.email, TEST_PASSWORD, ACTOR) is user
    assert user.locked_until is None


def test_deactivated_account_cannot_sign_in():
    user = UserFactory(active=False)
    with pytest.raises(services.SignInFailed):
        services.authenticate(user.email, TEST_PASSWORD, ACTOR)
    assert actions()[-1] == "sign_in_refused_inactive"


def test_reset_link_works_once_and_ends_other_sessions(app):
    user = UserFactory(role=Role.MANAGER)
    version = user.session_version
    raw = services.create_reset_token(user)
    services.complete_password_reset(raw, "a brand new long password", ACTOR)
    assert user.session_version == version + 1
    assert services.authenticate(user.email, "a brand new long password", ACTOR) is user
    with pytest.raises(services.InvalidLink):
        services.complete_password_reset(raw, "another new long password", ACTOR)


def test_expired_reset_link_is_refused():
    user = UserFactory()
    raw = services.create_reset_token(user)
    reset = services.usable_reset(raw)
    reset.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(services.InvalidLink):
        services.usable_reset(raw)
