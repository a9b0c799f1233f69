"""Templates' `url_for`: Flask's, with a link whose values are all whole numbers built from a
pattern worked out once.

A list page builds a link per row (`url_for('visits.detail', visit_id=v.id)`): Flask finds the
request's URL adapter, runs the url_defaults hooks and has Werkzeug choose among the endpoint's
rules, about 25 µs a link. The result differs from row to row only in the numbers, so the
first build of an (endpoint, argument names, script root) is done by Flask with a stand-in
number for each value; the address is split at the stand-ins and later links are the parts
with the row's numbers put back (`str(n)`, which is what the `int` converter writes).

Only plain non-negative ints, inside a request, without `_external`, `_anchor` and the like,
on an app with no url_defaults hooks, for rules without defaults; anything else (and any
stand-in that does not appear exactly once) goes to Flask every time. Python code keeps
Flask's `url_for`.
"""

from __future__ import annotations

from flask import Flask
from flask.globals import _cv_request

# Stand-ins: within every converter's range, and digits no route writes by itself.
_STAND_IN = 2_147_480_000
_MAX_PATTERNS = 2_048


def _pattern(app: Flask, endpoint: str, names: tuple[str, ...]):
    """The address split at each value, with the names in the order they appear; or None
    where the rule Werkzeug picks could depend on the values (a rule with defaults)."""
    if any(rule.defaults or rule.redirect_to for rule in app.url_map.iter_rules(endpoint)):
        return None
    stand_ins = {name: _STAND_IN + i for i, name in enumerate(names)}
    url = app.url_for(endpoint, **stand_ins)
    found = []
    for name, number in stand_ins.items():
        text = str(number)
        if url.count(text) != 1:
            return None
        found.append((url.index(text), name, text))
    parts, order, cursor = [], [], 0
    for position, name, text in sorted(found):
        parts.append(url[cursor:position])
        order.append(name)
        cursor = position + len(text)
    parts.append(url[cursor:])
    return tuple(parts), tuple(order)


def install(app: Flask) -> None:
    patterns: dict[tuple, object] = {}
    flask_url_for = app.url_for

    def url_for(endpoint: str, **values) -> str:
        request_ctx = _cv_request.get(None)
        if request_ctx is None or not values or any(app.url_default_functions.values()) \
                or endpoint[:1] == "." or not all(
                    type(v) is int and v >= 0 and k[:1] != "_" for k, v in values.items()):
            return flask_url_for(endpoint, **values)
        adapter = request_ctx.url_adapter
        if adapter is None:
            return flask_url_for(endpoint, **values)
        key = (endpoint, tuple(values), adapter.script_name, adapter.server_name,
               adapter.subdomain, adapter.url_scheme)
        found = patterns.get(key, False)
        if found is False:
            found = _pattern(app, endpoint, tuple(values))
            if len(patterns) < _MAX_PATTERNS:
                patterns[key] = found
        if found is None:
            return flask_url_for(endpoint, **values)
        parts, order = found
        pieces = [parts[0]]
        for name, part in zip(order, parts[1:], strict=True):
            pieces.append(str(values[name]))
            pieces.append(part)
        return "".join(pieces)

    app.jinja_env.globals["url_for"] = url_for
    app.extensions["links"] = patterns
