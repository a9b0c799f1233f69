"""No raw validator text: every form of every role, sent wrong values, answers in GOV.UK
wording, never WTForms' own messages ("Not a valid integer value.", "This field is required.")."""

from __future__ import annotations

import re
from pathlib import Path

import wtforms
from werkzeug.datastructures import MultiDict

from tests.functional.test_hostile_input import _sign_in, form_targets

WRONG_VALUES = ["", "x", "1.5", "-1", "9" * 30, "31/02/2026"]


def raw_messages() -> list[str]:
    """WTForms' own messages, read from its source: the fixed text before any placeholder."""
    found = set()
    for path in Path(wtforms.__file__).parent.rglob("*.py"):
        for text in re.findall(r'gettext\(\s*"([^"]+)"', path.read_text()):
            fixed = re.split(r"%\(|%s|\{", text)[0].strip()
            if len(fixed) >= 12:
                found.add(fixed)
    return sorted(found)


def test_the_raw_messages_are_found():
    messages = raw_messages()
    assert "Not a valid integer value." in messages
    assert "This field is required." in messages
    assert "Not a valid choice." in messages


def test_no_form_shows_raw_validator_text(client, people):
    messages = raw_messages()
    seen, problems = 0, []
    for who, action, method, names in list(form_targets(client, people)):
        for value in WRONG_VALUES:
            _sign_in(client, people, who)
            data = MultiDict([(name, value) for name in names])
            response = (client.get(action, query_string=data) if method == "get"
                        else client.post(action, data=data))
            seen += 1
            if not response.content_type.startswith("text/html"):
                continue
            problems += [f"{who} {method.upper()} {action} with {value!r}: {m!r}"
                         for m in messages if m in response.text]
    assert seen > 200
    assert problems == [], "\n".join(problems)


def test_every_raw_message_has_govuk_wording():
    from compliance.form_wording import WORDING

    missing = [m for m in raw_messages() if not any(key.startswith(m) for key in WORDING)
               and "CSRF" not in m and "field name" not in m]
    assert missing == []
    assert all(not text.endswith(".") for text in WORDING.values())  # GOV.UK: no full stop
