"""A small HTTP client for the benchmarks: http.client over loopback, one cookie jar a user.

Chosen over locust/httpx to add no dependency and keep the client's own CPU cost low (the
client shares the machine's two cores with the server). Each request opens a connection, as
gunicorn's sync workers close it after every response.
"""

from __future__ import annotations

import http.client
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from compliance.demo import DEMO_PASSWORD

# BENCH_ACCEPT_ENCODING=identity measures a client that takes files as stored.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


@dataclass
class Result:
    status: int
    seconds: float
    size: int


class Session:
    """One signed-in (or anonymous) browser: its cookies, sent with every request."""

    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def _headers(self) -> dict[str, str]:
        # As every browser says (the app compresses nothing itself; a stored export's gzipped
        # copy is sent as it is). The body is read, not unpacked: a browser unpacks it.
        headers = {"User-Agent": "bench", "Accept-Encoding": ACCEPT_ENCODING}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response: http.client.HTTPResponse) -> None:
        for value in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, path: str, method: str = "GET", body: str | None = None,
                extra: dict[str, str] | None = None) -> tuple[Result, bytes]:
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=self._headers() | (extra or {}))
            response = conn.getresponse()
            data = response.read()
            self._keep(response)
        except (TimeoutError, OSError):
            return Result(0, time.perf_counter() - start, 0), b""
        finally:
            conn.close()
        return Result(response.status, time.perf_counter() - start, len(data)), data

    def get(self, path: str) -> Result:
        """A GET that keeps no cookie changes (the load loops share one session per user)."""
        start = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request("GET", path, headers=self._headers())
            response = conn.getresponse()
            size = len(response.read())
        except (TimeoutError, OSError):
            return Result(0, time.perf_counter() - start, 0)
        finally:
            conn.close()
        return Result(response.status, time.perf_counter() - start, size)

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        _, page = self.request("/auth/sign-in")
        match = _CSRF.search(page.decode())
        if not match:
            raise RuntimeError("no CSRF token on the sign-in page")
        token = match.group(1) or match.group(2)
        body = urlencode({"csrf_token": token, "email": email, "password": password})
        result, _ = self.request("/auth/sign-in", "POST", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if result.status != 302:
            raise RuntimeError(f"sign-in as {email} answered {result.status}")


def wait_until_up(host: str, port: int, path: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Session(host, port, timeout=5).get(path).status == 200:
            return
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer {path}")
