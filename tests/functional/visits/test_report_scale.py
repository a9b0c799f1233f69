"""The operation report at size: figures from SQL aggregates, advice a page at a time, results
by area, and a CSV streamed in chunks."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from compliance.extensions import db
from compliance.models import Premises, Visit
from compliance.models.base import utcnow
from compliance.operations import export
from tests.visit_factories import OperationFactory, PurchaseFactory, VisitFactory


def _operation(cast, n: int):
    op = OperationFactory(areas=["North", "South", "East"])
    for i in range(n):
        visit = VisitFactory(officer=cast["officer"], operation_id=op.id,
                             area="North" if i % 3 else "South",
                             visited_at=utcnow() - timedelta(hours=n - i),
                             advice_given=f"Advice number {i}", materials=["leaflets"])
        if i % 2 == 0:
            PurchaseFactory(visit=visit, premises_id=visit.premises_id, sold=i % 4 == 0)
    return op


def test_csv_streams_in_chunks_and_holds_every_row(cast, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    op = _operation(cast, 7)
    chunks = list(export.report_csv(op.id, None))  # what the export job writes, chunk by chunk
    assert len(chunks) == 4  # 7 rows, 2 at a time: three full chunks and the last one
    assert chunks[0].startswith("\ufeffVisit,")
    rows = list(csv.DictReader(io.StringIO("".join(chunks).lstrip("\ufeff"))))
    assert [r["Advice given"] for r in rows] == [f"Advice number {i}" for i in range(7)]
    assert [r["Test purchase"] for r in rows] == ["sold", "", "refused", "", "sold", "",
                                                  "refused"]
    assert {r["Materials given"] for r in rows} == {"Leaflets"}


def _figures(page: str) -> dict:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', page))


def test_report_pages_the_advice_and_gives_results_by_area(client, login_as, cast):
    op = _operation(cast, 23)
    login_as(cast["officer"])
    page = client.get(f"/visits/operations/{op.id}/report").text
    assert _figures(page) == {"visits": "23", "premises": "23", "attempted": "12",
                              "failed": "6", "rate": "50%"}
    assert "Leaflets: 23" in page
    advice = re.findall(r"Advice number (\d+)", page)
    assert advice == [str(i) for i in range(20)]  # the first page of 20, in visit order
    assert "Advice was recorded at 23 visits." in page and "Showing 1 to 20." in page
    second = client.get(f"/visits/operations/{op.id}/report?page=2").text
    assert re.findall(r"Advice number (\d+)", second) == ["20", "21", "22"]
    north = re.search(r'data-area="North">.*?</tr>', page, re.S).group(0)
    assert re.findall(r"numeric\">([^<]+)<", north) == ["15", "8", "4", "50%"]
    east = re.search(r'data-area="East">.*?</tr>', page, re.S).group(0)
    assert re.findall(r"numeric\">([^<]+)<", east) == ["0", "0", "0", "None tried"]
    south = client.get(f"/visits/operations/{op.id}/report?area=South&page=1").text
    assert "Results by area" not in south and _figures(south)["visits"] == "8"
    assert re.findall(r"Advice number (\d+)", south) == [str(i) for i in range(0, 23, 3)]
    # Each advice row links its visit under the name of the visit's premises.
    names = dict(db.session.execute(select(Visit.id, Premises.name).join(
        Premises, Visit.premises_id == Premises.id).where(Visit.operation_id == op.id)).all())
    links = re.findall(r'href="/visits/(\d+)">([^<]+)</a><br>', south)
    assert len(links) == 8 and all(unescape(text) == names[int(v)] for v, text in links)
    beyond = client.get(f"/visits/operations/{op.id}/report?page=9").text
    assert "There is no page 9." in beyond
