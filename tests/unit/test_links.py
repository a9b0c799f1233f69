"""Templates' url_for: the same address as Flask's for every route, from a kept pattern."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask

from compliance import links

pytestmark = pytest.mark.no_db


def _number_routes(app):
    """Every rule whose arguments are all `int` parts, with its argument names."""
    for rule in app.url_map.iter_rules():
        names = sorted(rule.arguments)
        if names and all(type(rule._converters[n]).__name__.endswith("IntConverter")
                         for n in names):
            yield rule.endpoint, names


@pytest.mark.parametrize("script_root", ["", "/portal"])
def test_every_route_with_numbers_matches_flask(app, script_root):
    fast = app.jinja_env.globals["url_for"]
    routes = list(_number_routes(app))
    assert len(routes) > 30
    with app.test_request_context("/", base_url=f"http://localhost{script_root}"):
        for endpoint, names in routes:
            for numbers in ([1] * len(names), [2_147_483_647, *range(len(names) - 1)],
                            list(range(7, 7 + len(names)))):
                values = dict(zip(names, numbers, strict=True))
                assert fast(endpoint, **values) == app.url_for(endpoint, **values)
                # twice: the second comes from the kept pattern
                assert fast(endpoint, **values) == app.url_for(endpoint, **values)
            extra = {**dict.fromkeys(names, 3), "page": 4}  # an unknown key: the query string
            assert fast(endpoint, **extra) == app.url_for(endpoint, **extra)
    assert app.extensions["links"], "no pattern was kept"


def test_anything_but_plain_numbers_goes_to_flask(app):
    fast = app.jinja_env.globals["url_for"]
    with app.test_request_context("/"):
        for values in ({"visit_id": "12"}, {"visit_id": True}, {"visit_id": 3, "_anchor": "x"},
                       {"visit_id": 5, "_external": True}):
            assert fast("visits.detail", **values) == app.url_for("visits.detail", **values)
        assert fast("verify.show", code="AB-12") == app.url_for("verify.show", code="AB-12")
    # outside a request, Flask's rules apply (external addresses with SERVER_NAME)
    with app.app_context():
        assert fast("visits.detail", visit_id=9) == app.url_for("visits.detail", visit_id=9)


def _tiny_app():
    app = Flask(__name__)
    app.config["SERVER_NAME"] = "localhost"

    @app.route("/list", defaults={"page": 1})
    @app.route("/list/page/<int:page>")
    def listing(page):
        return str(page)

    bp = Blueprint("shop", __name__)

    @bp.route("/<int:lang>/shop/<int:item>")
    def item(lang, item):
        return ""

    @bp.url_defaults
    def add_lang(endpoint, values):
        values.setdefault("lang", 44)

    links.install(app)
    return app, bp


def test_rules_with_defaults_and_url_defaults_hooks_are_left_to_flask():
    app, bp = _tiny_app()
    fast = app.jinja_env.globals["url_for"]
    with app.test_request_context("/"):
        assert fast("listing", page=1) == app.url_for("listing", page=1) == "/list"
        assert fast("listing", page=2) == "/list/page/2"
    app.register_blueprint(bp)
    with app.test_request_context("/"):
        assert fast("shop.item", item=5) == app.url_for("shop.item", item=5) == "/44/shop/5"
