"""Every self-assessment scoring rule, as a pure function (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from compliance.assessments import chart
from compliance.assessments.scoring import (
    Incomplete,
    Item,
    NotApplicableRefused,
    action_plan,
    add_months,
    item_applies,
    next_due,
    percent_of,
    refusals_answer,
    score,
    training_answer,
)

pytestmark = pytest.mark.no_db


def make(spec: str) -> tuple[list[Item], dict[str, str]]:
    """'C:yes H:partly m:na' -> items and answers. Upper case: NA not allowed; lower: allowed."""
    weights = {"c": "critical", "h": "high", "m": "medium", "l": "low"}
    items, answers = [], {}
    for n, token in enumerate(spec.split(), start=1):
        letter, answer = token.split(":")
        key = f"item-{n}"
        items.append(Item(key, n, weights[letter.lower()], na_allowed=letter.islower()))
        answers[key] = answer
    return items, answers


def many(weight: str, yes: int, partly: int = 0, no: int = 0) -> str:
    return " ".join([f"{weight}:yes"] * yes + [f"{weight}:partly"] * partly + [f"{weight}:no"] * no)


@pytest.mark.parametrize("spec, met, applicable, percent, rating", [
    ("C:yes H:yes M:yes L:yes", 11, 11, 100, "green"),
    # Weights: Critical 5, High 3, Medium 2, Low 1.
    ("C:yes", 5, 5, 100, "green"),
    ("H:yes H:no", 3, 6, 50, "red"),
    ("M:yes M:yes M:no", 4, 6, 66, "amber"),
    ("L:yes L:no", 1, 2, 50, "red"),
    # Partly counts half an item's points.
    ("H:partly H:yes", 4.5, 6, 75, "amber"),
    ("L:partly", 0.5, 1, 50, "red"),
    ("C:yes H:partly M:partly L:partly", 8, 11, 72, "amber"),
    # Not applicable items leave both sums.
    ("h:na M:yes", 2, 2, 100, "green"),
    ("c:na H:yes L:no", 3, 4, 75, "amber"),
    ("c:na h:na", 0, 0, 0, "red"),  # nothing applicable: nothing to be green about
    # Any Critical item not fully met makes it red, whatever the score.
    (" ".join(["C:yes"] * 19 + ["C:no"]), 95, 100, 95, "red"),
    (" ".join(["C:yes"] * 19 + ["C:partly"]), 97.5, 100, 97, "red"),
    ("C:no " + many("L", 40), 40, 45, 88, "red"),
    # Boundaries: green at 85 % exactly, amber at 60 % exactly, compared before rounding.
    (many("L", 17, no=3), 17, 20, 85, "green"),
    (many("L", 84, partly=1, no=15), 84.5, 100, 84, "amber"),
    (many("L", 33, partly=1, no=6), 33.5, 40, 83, "amber"),
    (many("L", 12, no=8), 12, 20, 60, "amber"),
    (many("L", 59, partly=1, no=40), 59.5, 100, 59, "red"),
    (many("L", 11, partly=1, no=8), 11.5, 20, 57, "red"),
    # High items unmet do not force red on their own.
    ("C:yes C:yes C:yes H:no", 15, 18, 83, "amber"),
])
def test_score_rating_and_points(spec, met, applicable, percent, rating):
    result = score(*make(spec))
    assert (result.points_met, result.points_applicable, result.percent, result.rating) == (
        met, applicable, percent, rating)


def test_unanswered_items_cannot_be_scored():
    items, answers = make("C:yes H:yes L:yes")
    del answers["item-2"]
    answers["item-3"] = "maybe"
    with pytest.raises(Incomplete) as exc:
        score(items, answers)
    assert exc.value.keys == ["item-2", "item-3"]


def test_not_applicable_only_where_the_profile_allows_it():
    with pytest.raises(NotApplicableRefused) as exc:
        score(*make("C:yes H:na m:na"))
    assert exc.value.keys == ["item-2"]


def test_action_plan_lists_every_unmet_item_critical_first():
    items, answers = make("L:no H:partly C:yes M:no c:na C:partly H:no C:no L:yes")
    plan = action_plan(items, answers)
    assert [(u.item.number, u.item.weight, u.answer) for u in plan] == [
        (6, "critical", "partly"), (8, "critical", "no"),
        (2, "high", "partly"), (7, "high", "no"),
        (4, "medium", "no"),
        (1, "low", "no")]
    assert [u.critical for u in plan] == [True, True, False, False, False, False]
    assert score(items, answers).unmet == plan
    assert score(items, answers).critical_unmet


def test_nothing_unmet_gives_an_empty_action_plan():
    result = score(*make("C:yes h:na L:yes"))
    assert result.unmet == () and not result.critical_unmet


@pytest.mark.parametrize("met_halves, applicable, percent", [
    (169, 100, 84),   # 84.5 % shows as 84, never 85
    (170, 100, 85),
    (1, 3, 16),       # 0.5 / 3 = 16.7 %
    (0, 0, 0),
])
def test_percent_rounds_down(met_halves, applicable, percent):
    assert percent_of(met_halves, applicable) == percent


ALL_STOCK = ["kitchen-cutlery", "craft-diy", "garden-outdoor", "razors-blades",
             "swords-collectables"]


@pytest.mark.parametrize("applicability, profile, applies", [
    ("always", {}, True),
    ("always", {"sells_remotely": False, "jurisdiction": "scotland"}, True),
    ("online_or_phone", {"sells_remotely": True}, True),
    ("online_or_phone", {"sells_remotely": False}, False),
    ("click_and_collect", {"click_and_collect": True}, True),
    ("click_and_collect", {"click_and_collect": False}, False),
    ("scotland", {"jurisdiction": "england-wales", "stock_kinds": ALL_STOCK}, False),
    ("scotland", {"jurisdiction": "northern-ireland", "stock_kinds": []}, False),
    ("scotland", {"jurisdiction": "scotland", "stock_kinds": ["swords-collectables"]}, True),
    ("scotland", {"jurisdiction": "scotland", "stock_kinds": ["craft-diy"]}, True),
    # Only domestic knives: no dealer's licence needed.
    ("scotland", {"jurisdiction": "scotland", "stock_kinds": ["kitchen-cutlery"]}, False),
    # Stock not recorded: the licence cannot be ruled out.
    ("scotland", {"jurisdiction": "scotland", "stock_kinds": []}, True),
    ("something-new", {}, True),
])
def test_profile_decides_which_items_apply(applicability, profile, applies):
    assert item_applies(applicability, profile) is applies


@pytest.mark.parametrize("submitted, rating, due", [
    (datetime(2026, 1, 15, 10, tzinfo=UTC), "green", datetime(2027, 1, 15, 10, tzinfo=UTC)),
    (datetime(2026, 1, 15, 10, tzinfo=UTC), "amber", datetime(2026, 4, 15, 10, tzinfo=UTC)),
    (datetime(2026, 1, 15, 10, tzinfo=UTC), "red", datetime(2026, 4, 15, 10, tzinfo=UTC)),
    (datetime(2026, 11, 30, tzinfo=UTC), "red", datetime(2027, 2, 28, tzinfo=UTC)),
    (datetime(2027, 11, 30, tzinfo=UTC), "amber", datetime(2028, 2, 29, tzinfo=UTC)),
    (datetime(2024, 2, 29, tzinfo=UTC), "green", datetime(2025, 2, 28, tzinfo=UTC)),
])
def test_next_due_is_12_months_after_green_and_3_after_amber_or_red(submitted, rating, due):
    assert next_due(submitted, rating) == due


def test_add_months_crosses_years():
    assert add_months(datetime(2026, 12, 31, tzinfo=UTC), 2) == datetime(2027, 2, 28, tzinfo=UTC)


@pytest.mark.parametrize("trained, staff, answer", [
    (3, 3, "yes"), (2, 3, "partly"), (1, 2, "partly"), (1, 3, "no"), (0, 3, "no"),
    (0, 0, "no"),  # nobody registered: nothing shows that anyone is trained
])
def test_training_item_from_the_share_of_staff_with_a_current_pass(trained, staff, answer):
    assert training_answer(trained, staff) == answer


@pytest.mark.parametrize("entries, sign_offs, answer", [
    (4, 2, "yes"), (4, 0, "partly"), (0, 1, "partly"), (0, 0, "no"),
])
def test_refusals_item_from_entries_and_sign_offs_in_the_last_30_days(entries, sign_offs,
                                                                      answer):
    assert refusals_answer(entries, sign_offs) == answer


def test_trend_chart_geometry():
    when = datetime(2026, 1, 1, tzinfo=UTC)
    one = chart.trend([(when, 100, "green")])
    assert len(one.points) == 1
    assert one.points[0].x == (chart.LEFT + chart.WIDTH - chart.RIGHT) / 2
    assert one.points[0].y == chart.TOP
    three = chart.trend([(when, 0, "red"), (when + timedelta(days=40), 50, "amber"),
                         (when + timedelta(days=200), 100, "green")])
    xs = [p.x for p in three.points]
    assert xs == sorted(xs) and xs[0] == chart.LEFT and xs[-1] == chart.WIDTH - chart.RIGHT
    assert three.points[0].y == chart.HEIGHT - chart.BOTTOM == three.axis_y
    assert [p.colour for p in three.points] == [chart.COLOURS[r] for r in ("red", "amber",
                                                                          "green")]
    assert three.polyline.count(",") == 3
    assert {label for _y, label in three.bands} == {"Green from 85%", "Amber from 60%"}


def test_trend_chart_time_axis_is_to_scale_with_no_repeated_labels():
    start = datetime(2026, 1, 10, 9, tzinfo=UTC)
    days = [0, 30, 40, 200, 210, 400]
    drawn = chart.trend([(start + timedelta(days=d), 50, "amber") for d in days])
    xs = [p.x for p in drawn.points]
    span = xs[-1] - xs[0]
    for d, x in zip(days, xs, strict=True):  # distance along x is proportional to time
        assert abs((x - xs[0]) / span - d / 400) < 1e-9
    labels = [label for _x, label in drawn.ticks]
    assert labels == ["Apr 2026", "Jul 2026", "Oct 2026", "Jan 2027"]  # quarters, each once
    tick_xs = [x for x, _l in drawn.ticks]
    gaps = {round(b - a) for a, b in zip(tick_xs, tick_xs[1:], strict=False)}
    assert max(gaps) - min(gaps) <= 3  # quarters are (nearly) equally spaced

    same_month = chart.trend([(start, 40, "red"), (start + timedelta(days=9), 60, "amber"),
                              (start + timedelta(days=20), 90, "green")])
    labels = [label for _x, label in same_month.ticks]
    assert labels and len(labels) == len(set(labels))
    years = chart.trend([(start, 40, "red"), (start + timedelta(days=1000), 90, "green")])
    assert len(years.ticks) <= chart.MAX_TICKS
    assert len({label for _x, label in years.ticks}) == len(years.ticks)
    close = chart.trend([(start, 40, "red"), (start + timedelta(days=2), 90, "green")])
    assert [label for _x, label in close.ticks] == ["10 Jan 2026", "12 Jan 2026"]
