"""The benchmark app: the real portal plus one bare route, registered only here.

`/bench/bare` renders a small template through the same app (same middleware, security
headers and session handling, no database) so every page's throughput is a ratio to it.
Served by gunicorn from bench/load.py: `gunicorn -w 2 -b 127.0.0.1:PORT bench.wsgi:app`.
"""

from __future__ import annotations

from compliance import create_app

app = create_app()
_BARE = app.jinja_env.from_string(
    "<!DOCTYPE html><html lang=\"en\"><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}"
    "</ul></body></html>")


@app.route("/bench/bare")
def bare() -> str:
    return _BARE.render(title="Bare route", items=("one", "two", "three"))
