"""One page of a list worked out in SQL, shaped like Flask-SQLAlchemy's Pagination so the
`pager` macro (templates/macros.html) draws the GOV.UK pagination component for it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, true


@dataclass(frozen=True)
class Page:
    """A page of rows. With `capped`, the count stopped at `total` (there are more), so the
    pager offers previous and next only; `following` then says whether a next page exists."""

    items: Sequence[Any]
    page: int
    per_page: int
    total: int
    capped: bool = False
    following: bool = False

    @property
    def pages(self) -> int:
        if self.capped:
            return self.page + 1 if self.following else self.page
        return max(ceil(self.total / self.per_page), 1) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.following if self.capped else self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def first(self) -> int:
        """The position of the first row shown (1-based), for "Showing 21 to 40 of 95"."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def offset(page: int, per_page: int) -> int:
    return (page - 1) * per_page


def window_counted(rows: Select) -> tuple[Select, Select]:
    """The statements of a page of `rows` (one entity or column) with their total beside each
    row (a window count), its size and start bound as :page_limit and :page_offset, and of
    the count alone (for a page past the end). Cache them where a page's statement is built
    once; run them with `run_counted`."""
    page = (rows.add_columns(func.count().over())
            .limit(bindparam("page_limit", type_=Integer()))
            .offset(bindparam("page_offset", type_=Integer())))
    return page, select(func.count()).select_from(rows.order_by(None).subquery())


def run_counted(session, statements: tuple[Select, Select], values: dict[str, Any],
                page: int, per_page: int) -> Page:
    """A page and its total in one statement (`window_counted`'s); only a page past the end
    costs a second statement, to count."""
    rows, count = statements
    found = session.execute(rows, {**values, "page_limit": per_page,
                                   "page_offset": offset(page, per_page)}).all()
    if found:
        total = found[0][1]
    elif page > 1:
        total = session.scalar(count, values) or 0
    else:
        total = 0
    return Page([row[0] for row in found], page, per_page, total)


def capped_page(session, rows: Select, key, page: int, per_page: int, cap: int,
                options: Sequence[Any] = ()) -> Page:
    """A page of `rows` (in its order, one entity or column first) with a count that stops
    past `cap` ("more than 1,000"), in one statement: the count of at most cap + 1 of `key`
    (a column of the rows' table) rides on every row. Counting 100,000 certificates cost
    more than the page; a range of cap + 1 index entries costs little. A page past the end
    costs a second statement, to count. `options` (loader options) apply to the page only."""
    # In the page's order, so the count reads the same index range as the page, cap + 1
    # entries at most (unordered, a business's rows might be looked for in the whole table).
    matching = rows.with_only_columns(key).limit(cap + 1).subquery()
    count = select(func.count()).select_from(matching)
    start = offset(page, per_page)
    found = session.execute(rows.add_columns(count.scalar_subquery()).options(*options)
                            .limit(per_page + 1).offset(start)).all()
    if found:
        n = found[0][-1]
    else:
        n = session.scalar(count) if page > 1 else 0
    return Page([row[0] for row in found[:per_page]], page, per_page, min(n, cap), n > cap,
                len(found) > per_page)


def with_counts(page: Select, order: Callable[[Any], Sequence[Any]], *counts: Select) -> Select:
    """A page of rows and the counts shown with it as one statement.

    `page` is already cut to the page (its LIMIT and OFFSET inside it) and its first column is
    never null; each count is a one-row select (of one count or several, read together);
    `order(columns)` gives the page's order from its columns. Every row carries the counts
    first, and a page past the end still returns them, in one row with nulls for the rest
    (`counts LEFT JOIN page ON true`): one exchange with the database where a count and a
    page took two. Read it with `counted_rows`."""
    shown = page.subquery("shown")
    totals = [count.subquery(f"count_{n}") for n, count in enumerate(counts)]
    joined = totals[0]
    for total in totals[1:]:
        joined = joined.join(total, true())
    return (select(*(column for total in totals for column in total.c), *shown.c)
            .select_from(joined.outerjoin(shown, true())).order_by(*order(shown.c)))


def counted_rows(session, statement: Select, values: dict[str, Any],
                 counts: int = 1) -> tuple[tuple[int, ...], list[tuple]]:
    """Run a `with_counts` statement: its counts and its rows (without the counts)."""
    found = session.execute(statement, values).all()
    if not found:
        return (0,) * counts, []
    return (tuple(n or 0 for n in found[0][:counts]),
            [tuple(row[counts:]) for row in found if row[counts] is not None])


def without_jit(session) -> None:
    """Turn PostgreSQL's JIT compiler off for the rest of this transaction.

    A list or report built from many indexed look-ups per row gets a large cost estimate,
    and past `jit_above_cost` PostgreSQL compiles the query first: measured at 0.9 s of
    compiling for 0.07 s of work on the priority list. The plan itself is unchanged.
    Deployments may set `jit = off` for the database instead (see docs)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
