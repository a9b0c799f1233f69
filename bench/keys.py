"""Print the environment the benchmark app needs, with throwaway keys made once.

    eval "$(.venv/bin/python bench/keys.py postgresql://postgres@127.0.0.1:5432/bench_national)"
    .venv/bin/flask --app compliance bench seed --scale 1.0

The keys (a self-signed PDF signing pair, an Ed25519 credential key, a secret key) live in
instance/bench/ (never committed); they are for benchmarks only.
"""

from __future__ import annotations

import secrets
import shlex
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "instance" / "bench"


def bench_env(database_url: str) -> dict[str, str]:
    from compliance.demo import demo_keys

    FOLDER.mkdir(parents=True, exist_ok=True)
    secret = FOLDER / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_hex(32))
    keys = demo_keys(FOLDER)
    return {**keys, "SECRET_KEY": secret.read_text().strip(), "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "http://127.0.0.1:8000", "MAIL_BACKEND": "log",
            "FLASK_SESSION_COOKIE_SECURE": "false", "FLASK_REMEMBER_COOKIE_SECURE": "false"}


if __name__ == "__main__":
    for name, value in bench_env(sys.argv[1]).items():
        print(f"export {name}={shlex.quote(value)}")
