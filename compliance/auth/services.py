"""Sign-in, lockout, password reset and invitation acceptance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from compliance import audit
from compliance.audit import Actor
from compliance.auth.passwords import hash_password, verify_password
from compliance.constraints import claim, unique_or_raise
from compliance.extensions import db
from compliance.mail import Email, Mailer
from compliance.models import Invitation, PasswordReset, Role, User
from compliance.models.base import utcnow
from compliance.tokens import hash_token, new_token

# Verifying against this when no account matches keeps the timing the same either way.
_DUMMY_HASH: dict[str, str] = {}


class SignInFailed(Exception):
    """Wrong email, wrong password, locked or deactivated: deliberately not told apart."""


class InvalidLink(Exception):
    """An invitation or reset link that is unknown, used, revoked or expired."""


class EmailTaken(Exception):
    """Another account already uses this email address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _dummy_verify(password: str) -> None:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password("not-a-real-password-at-all")
    verify_password(_DUMMY_HASH["hash"], password)


def authenticate(email: str, password: str, actor: Actor) -> User:
    """Check a sign-in; count failures and lock the account after too many."""
    cfg = current_app.config
    user = find_user_by_email(email)
    now = utcnow()
    if user is None:
        _dummy_verify(password)
        audit.record(actor, "sign_in_failed", "Failed sign-in for an unknown email address")
        raise SignInFailed
    if user.locked_until is not None and user.locked_until > now:
        verify_password(user.password_hash, password)  # same time as a wrong password
        audit.record(actor, "sign_in_refused_locked", "Sign-in refused: account locked",
                     target=user, user=user)
        raise SignInFailed
    if not verify_password(user.password_hash, password):
        user.failed_sign_ins += 1
        audit.record(actor, "sign_in_failed", "Failed sign-in: wrong password", target=user,
                     user=user, details={"failures": user.failed_sign_ins})
        if user.failed_sign_ins >= int(cfg["LOCKOUT_THRESHOLD"]):
            user.locked_until = now + timedelta(minutes=int(cfg["LOCKOUT_MINUTES"]))
            user.failed_sign_ins = 0
            audit.record(actor, "account_locked",
                         f"Account locked for {cfg['LOCKOUT_MINUTES']} minutes after "
                         f"{cfg['LOCKOUT_THRESHOLD']} failed sign-ins", target=user, user=user)
        db.session.flush()
        raise SignInFailed
    if not user.active:
        audit.record(actor, "sign_in_refused_inactive", "Sign-in refused: account deactivated",
                     target=user, user=user)
        raise SignInFailed
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    audit.record(actor, "sign_in", "Signed in", target=user, user=user)
    db.session.flush()
    return user


def sign_out(user: User, actor: Actor) -> None:
    """End the session on the server: a copy of the session cookie no longer signs anyone in.

    Sessions are signed cookies, so the only server-side record is the account's session
    version; bumping it ends every session of the account (as a password change does).
    """
    user.session_version += 1
    audit.record(actor, "sign_out", "Signed out", target=user, user=user)
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Store a new password, end every other session and kill every unused reset link."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.execute(update(PasswordReset)
                       .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=utcnow()).execution_options(synchronize_session=False))


def start_password_reset(email: str, *, mailer: Mailer, link_for: Callable[[str], str],
                         actor: Actor, hours: int | None = None) -> None:
    """Email a single-use reset link if the account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    raw = create_reset_token(user, hours=hours)
    audit.record(actor, "password_reset_requested", "Password reset link sent", target=user,
                 user=actor.user or user)
    mailer.send(Email(
        to=user.email,
        subject="Reset your Knife Sales Compliance password",
        body=(f"Hello {user.name},\n\nUse this link to choose a new password. It works once and "
              f"expires in {hours or current_app.config['PASSWORD_RESET_HOURS']} hours:\n\n"
              f"{link_for(raw)}\n\nIf you did not ask for this, you can ignore this email."),
    ))


def create_reset_token(user: User, *, hours: int | None = None) -> str:
    raw, digest = new_token()
    lifetime = timedelta(hours=hours or int(current_app.config["PASSWORD_RESET_HOURS"]))
    db.session.add(PasswordReset(token_hash=digest, user_id=user.id,
                                 expires_at=utcnow() + lifetime))
    db.session.flush()
    return raw


def usable_reset(raw: str) -> PasswordReset:
    reset = db.session.scalar(select(PasswordReset).where(
        PasswordReset.token_hash == hash_token(raw)))
    if reset is None or not reset.is_usable:
        raise InvalidLink
    return reset


def complete_password_reset(raw: str, password: str, actor: Actor, *,
                            setting_up: bool = False) -> User:
    """Change the password once: of concurrent uses of one link, only the first wins."""
    reset = usable_reset(raw)
    if not claim(PasswordReset, reset.id, PasswordReset.used_at.is_(None),
                 PasswordReset.expires_at > utcnow(), used_at=utcnow()):
        raise InvalidLink
    user = db.session.get_one(User, reset.user_id)
    set_password(user, password)
    if setting_up:
        audit.record(actor, "account_set_up", "Account set up: first password chosen",
                     target=user, user=user)
    else:
        audit.record(actor, "password_reset", "Password changed with a reset link", target=user,
                     user=user)
    db.session.flush()
    return user


def usable_invitation(raw: str) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).options(joinedload(Invitation.retailer))
        .where(Invitation.token_hash == hash_token(raw)))
    if invitation is None or not invitation.is_usable:
        raise InvalidLink
    return invitation


def accept_invitation(raw: str, password: str, actor: Actor) -> User:
    """Create the invited staff member's account; the link then stops working."""
    invitation = usable_invitation(raw)
    if find_user_by_email(invitation.email) is not None:
        raise EmailTaken
    if not claim(Invitation, invitation.id, Invitation.used_at.is_(None),
                 Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow(),
                 used_at=utcnow()):
        raise InvalidLink  # a concurrent request accepted it first
    user = User(email=invitation.email, name=invitation.name, role=Role.STAFF,
                retailer_id=invitation.retailer_id, premises_id=invitation.premises_id,
                password_hash=hash_password(password))
    with unique_or_raise("uq_users_email", EmailTaken()):
        db.session.add(user)
        db.session.flush()
    audit.record(actor, "invitation_accepted", f"Joined as staff from invitation {invitation.id}",
                 target=user, user=user)
    return user
