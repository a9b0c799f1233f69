"""Refreshing the priority rows of changed premises: written once (facts and score in one
upsert, priorities/table.py `refresh`) against the two writes it replaced (the facts upserted
set-based, then every row's score updated by `rescore`), interleaved call by call.

    .venv/bin/python -m bench.priority_refresh \
        --database-url postgresql://postgres@127.0.0.1:5432/bench_national [--calls 300]

One premises at a time (a visit, refusal or answer changes one) and a chunk of 500 (a chain's
registration changes all its shops). Everything runs in one transaction, rolled back at the
end: the seeded database is left as it was. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import Connection, create_engine, delete, select, text
from sqlalchemy.dialects import postgresql

from compliance import create_app
from compliance.models.priorities import ALL_PREMISES
from compliance.models.priorities import PremisesPriority as P
from compliance.models.visits import Visit
from compliance.priorities import table
from compliance.priorities.scoring import rescore


def two_writes(connection: Connection, ids: list[int]) -> None:
    """The baseline: lock, upsert the facts from one statement, drop scopes left, then score
    every row again (a second write of each)."""
    connection.execute(select(P.scope_id).where(P.premises_id.in_(ids))
                       .order_by(P.premises_id, P.scope_id).with_for_update())
    statement = postgresql.insert(P).from_select(["scope_id", *table.COLUMNS],
                                                 table._scoped(table.Premises.id.in_(ids)))
    connection.execute(statement.on_conflict_do_update(
        index_elements=["scope_id", "premises_id"],
        set_={c: getattr(statement.excluded, c) for c in table.COLUMNS[1:]}))
    still = (select(Visit.id).where(Visit.premises_id == P.premises_id,
                                    Visit.agency_id == P.scope_id,
                                    Visit.status == "submitted").exists())
    connection.execute(delete(P).where(P.premises_id.in_(ids), P.scope_id != ALL_PREMISES,
                                       ~still))
    rescore(connection, ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    app = create_app()
    engine = create_engine(args.database_url)
    ways = {"two writes": two_writes, "one write": table.refresh}
    with app.app_context(), engine.connect() as connection:
        visited = list(connection.scalars(text(
            "SELECT DISTINCT premises_id FROM premises_priority WHERE scope_id <> 0 "
            "ORDER BY premises_id LIMIT 5000")))
        connection.rollback()
        random.seed(15)
        sample = random.sample(visited, min(args.calls, len(visited)))
        times: dict[str, list[float]] = {name: [] for name in ways}
        chunks: dict[str, list[float]] = {name: [] for name in ways}
        with connection.begin() as outer:
            for n, premises_id in enumerate(sample):
                order = list(ways.items()) if n % 2 else list(reversed(ways.items()))
                for name, way in order:
                    start = time.perf_counter()
                    way(connection, [premises_id])
                    times[name].append(time.perf_counter() - start)
            for n in range(6):
                chunk = visited[n * 500:(n + 1) * 500]
                for name, way in (list(ways.items()) if n % 2 else reversed(ways.items())):
                    start = time.perf_counter()
                    way(connection, chunk)
                    chunks[name].append(time.perf_counter() - start)
            outer.rollback()
    print("| Refresh | two writes (baseline) | one write | ratio |")
    print("| --- | --- | --- | --- |")
    for label, found in (("one premises (median)", times), ("500 premises (median)", chunks)):
        base, new = (statistics.median(found[k]) * 1000 for k in ways)
        print(f"| {label} | {base:.2f} ms | {new:.2f} ms | {new / base:.2f} |")


if __name__ == "__main__":
    main()
