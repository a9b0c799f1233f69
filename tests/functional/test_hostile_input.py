"""Hostile input never gets a 5xx: every form and every route parameter, driven by hypothesis.

Values: empty, whitespace, huge and unicode-digit numbers, NUL, very long text, wrong types
(a file or a JSON body where text is expected), missing and repeated fields. The app runs with
TESTING on, so an unhandled exception fails the test with the value that caused it.
Bounded: few examples per form or route and a fixed seed (`derandomize`), so CI is repeatable.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.functional.test_access_matrix import ROUTES, WHO, _ids

SETTINGS = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

BOUNDARY_NUMBERS = ["0", "-1", "2147483647", "2147483648", "9223372036854775808",
                    "1" + "0" * 30, "9" * 5000, "²", "١٢", "1e9", "0x10", " 1 "]
NASTY_TEXT = ["", " ", "   \t ", "\x00", "\x00abc", "x" * 20_000, "<script>alert(1)</script>",
              "' OR 1=1 --", "=cmd|' /C calc'!A0", "//evil.example/phish", "javascript:alert(1)",
              "2026-13-45T25:61", "\u202e\u200b", "null", "[]", "%00", "../../etc/passwd"]
hostile_text = st.one_of(
    st.sampled_from(BOUNDARY_NUMBERS + NASTY_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
# None: the field is left out; a list: the field is repeated.
field_value = st.one_of(st.none(), hostile_text, st.lists(hostile_text, min_size=2, max_size=3))
path_number = st.one_of(st.sampled_from(["0", "2147483648", "9223372036854775808", "9" * 400]),
                        st.integers(min_value=2**31, max_value=2**80).map(str))


class _Forms(HTMLParser):
    """The forms on a page: method, action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(),
                               "action": a.get("action") or "", "fields": {}})
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            self.forms[-1]["fields"].setdefault(a["name"], a.get("type") or tag)


def forms_on(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _pages(people) -> list[tuple[str, str]]:
    """(who, url) for every page of the access matrix, as someone allowed to see it."""
    ids = _ids(people)
    pages = []
    for url, codes in ROUTES.items():
        allowed = [who for who, code in zip(WHO, codes, strict=True) if code == 200]
        if allowed:
            pages.append((allowed[-1] if "admin" in allowed and len(allowed) > 2
                          else allowed[0], url.format(**ids)))
    return pages


def _sign_in(client, people, who):
    with client.session_transaction() as session:
        session.clear()
        if who != "anonymous":
            session["_user_id"] = people[who].get_id()
            session["_fresh"] = True


def _assert_not_5xx(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def _payload(fields: dict, values: dict) -> list[tuple[str, str]]:
    pairs = []
    for name in fields:
        value = values.get(name)
        if value is None:
            continue
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name, one))
    return pairs


def form_targets(client, people):
    """(who, action, method, field names) for every form with fields on every page each role
    can open (the CSRF token aside): what the form-wide tests post to."""
    for who, url in _pages(people):
        _sign_in(client, people, who)
        page = client.get(url)
        if page.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        for form in forms_on(page.text):
            names = sorted(n for n in form["fields"] if n != "csrf_token")
            if names:
                yield who, form["action"] or url, form["method"], names


def test_every_form_survives_hostile_values(app, client, people):
    """Every form on every page: hostile values posted as a form, a file upload or JSON."""
    targets = list(form_targets(client, people))
    assert len(targets) > 40  # every form of the portal is reached
    for who, action, method, names in targets:
        _sign_in(client, people, who)
        if method == "post":  # wrong types: a JSON body, and files where text is expected
            _assert_not_5xx(client.post(action, json=dict.fromkeys(names, 2**70)), action)
            files = MultiDict([(n, (io.BytesIO(b"\x00\xff"), "x.txt")) for n in names])
            _assert_not_5xx(client.post(action, data=files, content_type="multipart/form-data"),
                            action)
        _fuzz_form(client, people, who, action, method, names)


def _fuzz_form(client, people, who, action, method, names):
    @SETTINGS
    @given(values=st.fixed_dictionaries({n: field_value for n in names}))
    def _send(values):
        _sign_in(client, people, who)
        pairs = MultiDict(_payload(dict.fromkeys(names), values))
        if method == "get":
            response = client.get(action, query_string=pairs)
        else:
            response = client.post(action, data=pairs)
        _assert_not_5xx(response, f"{who} {method.upper()} {action} {pairs!r:.300}")

    _send()


def _numbered_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            yield rule


def test_every_route_parameter_survives_hostile_values(app, client, people):
    """Every route with a parameter: ids beyond the database's range and hostile text."""
    ids = _ids(people)
    rules = list(_numbered_rules(app))
    with_args = [r for r in rules if r.arguments]
    assert len(with_args) > 40
    for rule in with_args:
        _fuzz_rule(client, people, rule)
    assert ids  # the cast exists, so ids of real rows sit beside the hostile ones


ROLES = ["anonymous", "staff", "manager", "officer", "admin"]


def _fuzz_rule(client, people, rule):
    converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
    text = hostile_text.filter(lambda t: t.strip() and "/" not in t and "\x00" not in t)
    methods = sorted((rule.methods or set()) & {"GET", "POST"})

    def _send(who, parts):
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: parts[m.group(1)], rule.rule)
        _sign_in(client, people, who)
        for method in methods:
            _assert_not_5xx(client.open(url, method=method, data={}),
                            f"{who} {method} {url[:200]}")

    for who in ("manager", "officer", "admin"):  # just past the largest INTEGER, everywhere
        _send(who, {name: "2147483648" if "Int" in conv else "x"
                    for name, conv in converters.items()})

    @SETTINGS
    @given(data=st.data())
    def _visit(data):
        parts = {name: data.draw(path_number if "Int" in conv else text, label=name)
                 for name, conv in converters.items()}
        _send(data.draw(st.sampled_from(ROLES), label="who"), parts)

    _visit()


QUERY_ARGS = ["page", "retailer", "premises", "q", "role", "area", "notes", "change", "next",
              "code", "operation"]


def test_every_query_string_argument_survives_hostile_values(app, client, people):
    """?page=², ?retailer=2147483648 and friends on every page that takes a query string."""
    pages = _pages(people)
    for value in ("²", "2147483648", "9" * 5000):
        for who, url in pages:
            _sign_in(client, people, who)
            base = url.split("?")[0]
            args = dict.fromkeys(("page", "retailer", "premises"), value)
            _assert_not_5xx(client.get(base, query_string=args), f"{who} GET {base}={value:.20}")

    @settings(max_examples=80, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def _visit(data):
        who, url = data.draw(st.sampled_from(pages), label="page")
        args = data.draw(st.dictionaries(st.sampled_from(QUERY_ARGS), hostile_text,
                                         min_size=1, max_size=3), label="args")
        _sign_in(client, people, who)
        _assert_not_5xx(client.get(url.split("?")[0], query_string=args),
                        f"{who} GET {url} {args!r:.200}")

    _visit()


# The cases found by the probe in issue 11, pinned down one by one.

def test_ids_and_pages_beyond_the_database_range_are_not_found_or_first_page(
        client, login_as, people):
    login_as(people["officer"])
    assert client.get("/visits/2147483648").status_code == 404
    assert client.get("/visits/9223372036854775808").status_code == 404
    login_as(people["admin"])
    for page in ("9223372036854775808", "2147483648", "²", "-1", "9" * 5000):
        assert client.get("/admin/users", query_string={"page": page}).status_code == 200
    assert client.get("/training/matrix?retailer=2147483648").status_code == 404
    login_as(people["officer"])
    assert client.get("/visits/new?premises=2147483648").status_code == 404


def test_whitespace_refusal_time_is_missing_not_a_crash(client, login_as, people):
    staff = login_as(people["staff"])
    ids = _ids(people)
    for url in (f"/premises/{staff.premises_id}/refusals/new",
                f"/premises/{staff.premises_id}/refusals/{ids['refusal']}/correct"):
        response = client.post(url, data={"occurred_at": "   \t ", "product": "Knife",
                                          "reason": "no_id", "refused_by": str(staff.id),
                                          "correction_reason": "Wrong time"})
        assert response.status_code == 200
        assert "Enter the date and time of the refusal" in response.text


@pytest.mark.parametrize("version", ["²", "9" * 5000, "2147483648", "abc"])
def test_hostile_lock_version_on_assessment_answers(client, login_as, people, version):
    login_as(people["manager"])
    ids = _ids(people)
    url = (f"/premises/{people['staff'].premises_id}/assessments/{ids['assessment']}"
           f"/items/{ids['item']}")
    response = client.post(url, data={"answer": "yes", "lock_version": version})
    assert response.status_code in (200, 302, 409)
