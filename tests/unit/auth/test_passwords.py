import pytest

from compliance.auth.passwords import hash_password, password_problems, verify_password


@pytest.mark.parametrize("password, problem", [
    ("short", "Password must be 12 characters or more"),
    ("elevenchars", "Password must be 12 characters or more"),
    ("q1w2e3r4t5y6", "Password is too common. Choose a password that is harder to guess"),
    ("password123456", "Password is too common. Choose a password that is harder to guess"),
    ("!!football2024!!", "Password is too common. Choose a password that is harder to guess"),
    ("aaaaaaaaaaaaaaaa", "Password is too common. Choose a password that is harder to guess"),
    ("jo.bloggs-is-my-password", "Password must not contain your email address"),
])
def test_bad_passwords_are_refused_with_a_reason(password, problem):
    assert password_problems(password, email="jo.bloggs@example.com") == [problem]


@pytest.mark.parametrize("password", [
    "correct horse battery staple", "demo-password-2026", "Tilbury docks at dawn 7",
])
def test_good_passwords_pass(password):
    assert password_problems(password, email="jo.bloggs@example.com") == []


def test_hash_is_argon2_and_verifies(app):
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery staple")
    assert not verify_password(hashed, "correct horse battery stapler")
    assert not verify_password("not-a-hash", "anything")
