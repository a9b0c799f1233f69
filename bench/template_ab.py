"""A template change, A/B in one process: the committed version against the working tree's.

    .venv/bin/python -m bench.template_ab \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national \
        --page "refusals register" --template refusals/index.html [--changed a.html,b.html]

The page is requested once (signed in as its demo account, the same settings as the load
benchmark) to capture the context its template is rendered with; then the template is rendered
with that context again and again, alternately with the changed files as `git show REV` has
them (REV defaults to HEAD) and as they are on disk, in rounds of --renders each. It reports
whether both render the same HTML (a template tidy-up should) and the CPU time a render, per
round: the rounds interleave, so the machine's load falls on both alike.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import flask.templating
from jinja2 import ChoiceLoader, DictLoader

from bench.pages import key_pages
from bench.profile_pages import client_for
from bench.server import database_context
from compliance.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def committed(path: str, revision: str) -> str:
    return subprocess.run(["git", "show", f"{revision}:templates/{path}"], cwd=ROOT,  # noqa: S603,S607
                          capture_output=True, text=True, check=True).stdout


def measure(template, context, renders: int) -> float:
    start = time.process_time()
    for _ in range(renders):
        template.render(context)
    return (time.process_time() - start) / renders * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", required=True, help="A key page's name (bench/pages.py).")
    parser.add_argument("--template", required=True, help="The template the page renders.")
    parser.add_argument("--changed", help="Comma-separated changed templates (default: "
                        "--template), e.g. an included one.")
    parser.add_argument("--revision", default="HEAD")
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    changed = (args.changed or args.template).split(",")
    before_sources = {path: committed(path, args.revision) for path in changed}
    captured: dict = {}
    real_render = flask.templating._render

    def capture(app, template, context):
        """Inside the page's own request (its user, token and translations), once."""
        if template.name == args.template and "rounds" not in captured:
            full = dict(context)
            app.update_template_context(full)  # what Flask adds (current_user, csrf_token...)
            before = app.jinja_env.overlay(loader=ChoiceLoader(
                [DictLoader(before_sources), app.jinja_env.loader])).get_template(args.template)
            after = app.jinja_env.overlay(loader=app.jinja_env.loader).get_template(args.template)
            captured["same"] = before.render(full) == after.render(full)
            rounds: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.rounds):
                rounds["before"].append(measure(before, full, args.renders))
                rounds["after"].append(measure(after, full, args.renders))
            captured["rounds"] = rounds
        return real_render(app, template, context)

    flask.templating._render = capture
    with database_context(args.database_url) as app:
        app.config["SERVER_NAME"] = None
        page = next(p for p in key_pages() if p.name == args.page)
        client = client_for(app, page.user)
        db.session.remove()
        response = client.get(page.path)
        assert response.status_code == 200 and "rounds" in captured, response.status_code
    same, rounds = captured["same"], captured["rounds"]
    print(f"{args.page}, {args.template}: the same HTML before and after: {same}")
    for label, times in rounds.items():
        print(f"{label:>6}: " + ", ".join(f"{t:.3f}" for t in times)
              + f" ms a render (fastest {min(times):.3f} ms)")


if __name__ == "__main__":
    main()
