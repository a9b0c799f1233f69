"""The test server itself: a browser that drops connections must not leak open files."""

from __future__ import annotations

import gc
import socket
import struct
import warnings
from urllib.parse import urlsplit

from compliance import create_app
from tests.e2e.conftest import live_settings, serve

STATIC = "/static/img/favicon.svg"


def _request_then_reset(port: int) -> None:
    """Ask for a static file, wait for the first byte of the answer, then reset (RST) the
    connection, as a browser does when it cancels a fetch."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {STATIC} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        assert sock.recv(1) == b"H"
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_reset_connections_leave_no_file_open(tmp_path) -> None:
    app = create_app(live_settings(f"sqlite:///{tmp_path / 'unused.sqlite3'}"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        with serve(app) as base:
            port = urlsplit(base).port
            for _ in range(20):
                _request_then_reset(port)
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []
