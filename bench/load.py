"""Load benchmark of the key pages at national scale, each as a ratio to a bare route.

    .venv/bin/python -m bench.load \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national \
        [--compare-url postgresql://postgres@127.0.0.1:5432/bench_tenth] [--pages "quiz,verify"]

Load mode: gunicorn (2 sync workers) on 127.0.0.1; for each page, 20 client threads run in
alternating windows: the bare route (`/bench/bare`, bench/wsgi.py) for --window seconds, then
the page, for --rounds rounds, so the bare figure is taken next to the page's in the same run.
Throughput is successful responses per second of the window (in-flight requests finish before
the next window); latency percentiles are per request. A page whose single request takes more
than --slow seconds is not loaded (20 clients would queue for minutes): its throughput is
estimated as workers / latency and marked "est.". Everything is bounded by time and count.

Scale mode (--compare-url): the same pages on two servers, one per database (1/10 and full
scale), requested one at a time alternately; the ratio of median times is the growth.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from bench.client import Result, Session
from bench.pages import Page, key_pages
from bench.server import database_context, gunicorn

BARE = "/bench/bare"
HOST = "127.0.0.1"


@dataclass
class Window:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.status == 200)


def run_window(session: Session, path: str, clients: int, seconds: float,
               cap: int) -> Window:
    window = Window()
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        for _ in range(cap):
            if time.perf_counter() >= stop_at:
                return
            result = session.get(path)
            with lock:
                window.results.append(result)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    window.seconds = time.perf_counter() - start
    return window


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def sign_in_all(port: int, pages: list[Page]) -> dict[str | None, Session]:
    sessions: dict[str | None, Session] = {None: Session(HOST, port)}
    for page in pages:
        if page.user not in sessions:
            session = Session(HOST, port)
            session.sign_in(page.user)
            sessions[page.user] = session
    return sessions


def load_page(page: Page, session: Session, bare: Session, args) -> dict:
    first = session.get(page.path)
    row = {"page": page.name, "status": first.status, "kb": first.size / 1024,
           "single": first.seconds}
    if first.status != 200:
        return row | {"note": f"answered {first.status}"}
    if first.seconds > args.slow:
        bare_window = run_window(bare, BARE, args.clients, args.window, 10_000)
        bare_rps = bare_window.ok / bare_window.seconds
        rps = args.workers / first.seconds
        return row | {"rps": rps, "bare": bare_rps, "ratio": rps / bare_rps,
                      "p50": first.seconds, "p95": first.seconds * args.clients / args.workers,
                      "note": "est.: one request, not loaded"}
    pages, bares = [], []
    for _ in range(args.rounds):
        bares.append(run_window(bare, BARE, args.clients, args.window, 10_000))
        pages.append(run_window(session, page.path, args.clients, args.window, 10_000))
    ok = sum(w.ok for w in pages)
    rps = ok / sum(w.seconds for w in pages)
    bare_rps = sum(w.ok for w in bares) / sum(w.seconds for w in bares)
    times = [r.seconds for w in pages for r in w.results if r.status == 200]
    failed = sum(len(w.results) for w in pages) - ok
    return row | {"rps": rps, "bare": bare_rps, "ratio": rps / bare_rps,
                  "p50": percentile(times, 50), "p95": percentile(times, 95),
                  "note": f"{failed} failed" if failed else ""}


def load_mode(args, pages: list[Page]) -> list[dict]:
    rows = []
    with gunicorn(args.database_url, args.port, args.workers) as port:
        sessions = sign_in_all(port, pages)
        for page in pages:
            print(f"loading {page.name} ...", flush=True)
            row = load_page(page, sessions[page.user], sessions[None], args)
            print(f"  {row}", flush=True)
            rows.append(row)
    return rows


def scale_mode(args, pages: list[Page], small_pages: list[Page]) -> list[dict]:
    rows = []
    with gunicorn(args.compare_url, args.port + 1, args.workers) as small_port, \
            gunicorn(args.database_url, args.port, args.workers) as big_port:
        small = sign_in_all(small_port, small_pages)
        big = sign_in_all(big_port, pages)
        for page, small_page in zip(pages, small_pages, strict=True):
            print(f"timing {page.name} ...", flush=True)
            s_times, b_times = [], []
            started = time.perf_counter()
            for _ in range(args.samples):
                s = small[small_page.user].get(small_page.path)
                b = big[page.user].get(page.path)
                s_times.append(s.seconds)
                b_times.append(b.seconds)
                if time.perf_counter() - started > args.budget:
                    break
            s_med, b_med = statistics.median(s_times), statistics.median(b_times)
            rows.append({"page": page.name, "small": s_med, "big": b_med,
                         "growth": b_med / s_med, "status": f"{s.status}/{b.status}",
                         "n": len(b_times)})
            print(f"  {rows[-1]}", flush=True)
    return rows


def ms(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value == value else "–"


def load_table(rows: list[dict]) -> str:
    out = ["| Page | Status | Size | One request | Page req/s | Bare req/s | Ratio to bare "
           "| p50 | p95 | Note |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if "rps" not in r:
            out.append(f"| {r['page']} | {r['status']} | {r['kb']:,.0f} KB | {ms(r['single'])} "
                       f"| – | – | – | – | – | {r.get('note', '')} |")
            continue
        out.append(f"| {r['page']} | {r['status']} | {r['kb']:,.0f} KB | {ms(r['single'])} | "
                   f"{r['rps']:,.1f} | {r['bare']:,.0f} | {100 * r['ratio']:.2f} % | "
                   f"{ms(r['p50'])} | {ms(r['p95'])} | {r['note']} |")
    return "\n".join(out)


def scale_table(rows: list[dict]) -> str:
    out = ["| Page | 1/10 scale (median) | Full scale (median) | Growth | Status | Samples |",
           "| --- | --- | --- | --- | --- | --- |"]
    out += [f"| {r['page']} | {ms(r['small'])} | {ms(r['big'])} | {r['growth']:.2f}× | "
            f"{r['status']} | {r['n']} |" for r in rows]
    return "\n".join(out)


def main() -> None:
    # A terminated run still stops its gunicorn servers (the context managers' finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--compare-url", help="A 1/10-scale database: run the scale mode.")
    parser.add_argument("--pages", help="Comma-separated parts of page names to run.")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--window", type=float, default=3.0, help="Seconds per window.")
    parser.add_argument("--slow", type=float, default=2.0)
    parser.add_argument("--samples", type=int, default=7)
    parser.add_argument("--budget", type=float, default=60.0, help="Seconds per page (scale).")
    parser.add_argument("--output", help="Also write the Markdown table(s) to this file.")
    args = parser.parse_args()

    def chosen(pages: list[Page]) -> list[Page]:
        wanted = [w.strip().lower() for w in (args.pages or "").split(",") if w.strip()]
        return [p for p in pages if not wanted or any(w in p.name.lower() for w in wanted)]

    with database_context(args.database_url):
        pages = chosen(key_pages())
    if args.compare_url:
        with database_context(args.compare_url):
            small_pages = chosen(key_pages())
        table = scale_table(scale_mode(args, pages, small_pages))
    else:
        table = load_table(load_mode(args, pages))
    print(table)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(table + "\n")


if __name__ == "__main__":
    main()
