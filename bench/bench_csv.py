"""The operation CSV at half a million rows: constant memory, and speed against a bare export.

Issue 15 asks that an operation's CSV streams 500,000 rows in constant memory. The national
data set's largest operation has about 16,000 visits, so `--prepare` (on a throwaway copy of
the national database, never the one other benchmarks use) files every submitted visit under
one operation spanning all the data's years, "Bench: every visit".

Then, for that operation:
- **memory**: the app's streamed CSV (`operations.export.report_csv`, exactly what the
  download route returns) is read to the end under tracemalloc; the Python heap (current and
  peak) and the process's resident size are sampled every 50,000 rows. Constant memory means
  the peak after 500,000 rows is the peak after 50,000.
- **speed**: the same stream against a baseline doing the same work with nothing of the app:
  one psycopg server-side cursor over the same joined columns, written with the standard
  library's csv writer in the same chunks. Interleaved run by run (app, bare, app, bare...),
  without tracemalloc; the ratio is app time / bare time.

    createdb -h 127.0.0.1 -U postgres -T bench_national bench_csv
    URL=postgresql://postgres@127.0.0.1:5432/bench_csv
    .venv/bin/python -m bench.bench_csv --database-url $URL --prepare
    .venv/bin/python -m bench.bench_csv --database-url $URL --runs 2
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import time
import tracemalloc
from collections.abc import Iterator

import psycopg
from sqlalchemy import text

from bench.keys import bench_env

NAME = "Bench: every visit"
SAMPLE_EVERY = 50_000
CHUNK = 1000

BARE_SQL = """
SELECT v.id, v.visited_at, p.name, p.postcode, r.name, u.name, a.name, v.visit_type, v.area,
       v.outcome, v.materials::text, v.advice_given,
       (SELECT tp.sold FROM test_purchases tp WHERE tp.visit_id = v.id ORDER BY tp.id LIMIT 1),
       (SELECT tp.id_asked FROM test_purchases tp WHERE tp.visit_id = v.id ORDER BY tp.id
        LIMIT 1),
       (SELECT count(*) FROM follow_ups f WHERE f.visit_id = v.id)
FROM visits v JOIN premises p ON p.id = v.premises_id JOIN retailers r ON r.id = p.retailer_id
JOIN users u ON u.id = v.officer_id LEFT JOIN agencies a ON a.id = v.agency_id
WHERE v.operation_id = %s AND v.status = 'submitted' ORDER BY v.visited_at, v.id
"""


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_app(url: str):
    for key, value in bench_env(url).items():
        os.environ[key] = value
    from compliance import create_app

    return create_app()


def prepare(app) -> None:
    from compliance.extensions import db

    with app.app_context():
        db.session.execute(text(
            "INSERT INTO operations (name, starts_on, ends_on, areas, created_at) "
            "VALUES (:name, '2000-01-01', '2099-12-31', '[]', now()) "
            "ON CONFLICT (name) DO NOTHING"), {"name": NAME})
        op = db.session.scalar(text("SELECT id FROM operations WHERE name = :n"), {"n": NAME})
        moved = db.session.execute(text(
            "UPDATE visits SET operation_id = :op, area = NULL WHERE status = 'submitted'"),
            {"op": op}).rowcount
        db.session.commit()
    print(f"operation {op} ({NAME!r}) now holds {moved:,} submitted visits")


def operation_id(app) -> int:
    from compliance.extensions import db

    with app.app_context():
        op = db.session.scalar(text("SELECT id FROM operations WHERE name = :n"), {"n": NAME})
    if op is None:
        raise SystemExit("run with --prepare first (on a copy of the national database)")
    return op


def app_stream(app, op: int) -> Iterator[str]:
    from compliance.operations.export import report_csv

    with app.app_context():
        chunks = report_csv(op, None)  # what the route returns; read outside the context
    yield from chunks


def bare_stream(url: str, op: int) -> Iterator[str]:
    from compliance.operations.export import CSV_COLUMNS

    with psycopg.connect(url) as conn, conn.cursor(name="bench_csv") as cursor:
        cursor.itersize = CHUNK
        cursor.execute(BARE_SQL, (op,))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)  # the same header line as the app's
        waiting = 0
        for row in cursor:
            writer.writerow(row)
            waiting += 1
            if waiting == CHUNK:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
                waiting = 0
        yield out.getvalue()


def read(stream: Iterator[str], samples: list | None = None) -> tuple[int, float]:
    """(rows, seconds) for reading the stream to the end; samples memory if asked."""
    rows, next_sample, started = 0, SAMPLE_EVERY, time.perf_counter()
    for chunk in stream:
        rows += chunk.count("\r\n")
        if samples is not None and rows >= next_sample:
            current, peak = tracemalloc.get_traced_memory()
            samples.append((rows, current / 2**20, peak / 2**20, rss_mb()))
            next_sample += SAMPLE_EVERY
    return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    app = make_app(args.database_url)
    if args.prepare:
        prepare(app)
        return
    op = operation_id(app)

    samples: list = []
    tracemalloc.start()
    rows, _ = read(app_stream(app, op), samples)
    tracemalloc.stop()
    print(f"\nMemory while streaming {rows:,} rows (the header line counted as a row):\n")
    print("| Rows written | Python heap now | Python heap peak so far | Process RSS |")
    print("| --- | --- | --- | --- |")
    for n, current, peak, rss in samples:
        print(f"| {n:,} | {current:.1f} MB | {peak:.1f} MB | {rss:.0f} MB |")

    times: dict[str, list[float]] = {"app": [], "bare": []}
    for run in range(args.runs):
        order = ("app", "bare") if run % 2 == 0 else ("bare", "app")
        for kind in order:
            stream = app_stream(app, op) if kind == "app" else bare_stream(args.database_url, op)
            n, seconds = read(stream)
            times[kind].append(seconds)
            print(f"run {run + 1} {kind}: {n:,} rows in {seconds:.1f} s", flush=True)
    app_s, bare_s = statistics.median(times["app"]), statistics.median(times["bare"])
    print("\n| What | Baseline | App | Bare | Ratio |\n| --- | --- | --- | --- | --- |")
    print(f"| Operation CSV, {rows:,} rows (`report_csv`) | psycopg cursor + csv writer, same "
          f"columns and chunks | {app_s:.1f} s ({rows / app_s:,.0f} rows/s) | {bare_s:.1f} s "
          f"({rows / bare_s:,.0f} rows/s) | {app_s / bare_s:.2f} |")


if __name__ == "__main__":
    main()
