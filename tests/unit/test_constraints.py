"""Unique-constraint violations become domain exceptions; a lost claim is reported, not lost."""

import pytest
from sqlalchemy.exc import IntegrityError

from compliance.auth.services import EmailTaken
from compliance.constraints import claim, unique_or_raise
from compliance.extensions import db
from compliance.models import Role, User
from tests.factories import UserFactory


def _duplicate_of(user: User) -> User:
    return User(email=user.email, name="Copy", role=Role.STAFF, password_hash="x")


def test_a_violation_of_the_named_constraint_raises_the_domain_exception():
    user = UserFactory()
    with pytest.raises(EmailTaken), unique_or_raise("uq_users_email", EmailTaken()):
        db.session.add(_duplicate_of(user))
        db.session.flush()
    assert db.session.get(User, user.id) is user  # the transaction is still usable


def test_a_violation_of_another_constraint_is_not_disguised():
    user = UserFactory()
    with pytest.raises(IntegrityError), unique_or_raise("uq_agencies_name", EmailTaken()):
        db.session.add(_duplicate_of(user))
        db.session.flush()


def test_only_the_first_claim_wins():
    user = UserFactory(failed_sign_ins=0)
    assert claim(User, user.id, User.failed_sign_ins == 0, failed_sign_ins=1)
    assert user.failed_sign_ins == 1  # the loaded object reads back what was written
    assert not claim(User, user.id, User.failed_sign_ins == 0, failed_sign_ins=1)
