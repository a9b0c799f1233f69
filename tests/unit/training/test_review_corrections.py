"""The corrections from the 2026-11 legal read (issue 14) stay in the shipped content."""

import re
import shutil

import pytest
import yaml

from compliance.training.content import CONTENT_DIR, ContentError, load_content, read_module_file

MODULES = {read_module_file(p)["slug"]: read_module_file(p)
           for p in sorted((CONTENT_DIR / "modules").glob("*.md"))}
QUESTIONS = {q["id"]: q for q in yaml.safe_load((CONTENT_DIR / "questions.yaml").read_text())}
CHECKLIST = yaml.safe_load((CONTENT_DIR / "checklist.yaml").read_text())
ITEMS = {i["number"]: i for g in CHECKLIST["groups"] for i in g["items"]}


def key_points(slug: str) -> str:
    return MODULES[slug]["body"].split("## Key points", 1)[1]


def correct(qid: str) -> list[str]:
    return [o["text"] for o in QUESTIONS[qid]["options"] if o["correct"]]


@pytest.mark.parametrize("slug", sorted(MODULES))
def test_every_module_names_the_role_that_reviewed_it(slug):
    meta = MODULES[slug]
    assert meta["reviewed_by"].strip() and str(meta["last_reviewed"]) >= "2026-11-29"


def test_pass_cards_help_show_due_diligence_but_a_court_decides():
    body = MODULES["challenge-25-and-id"]["body"]
    assert "treated as due diligence" not in body
    assert "helps show due diligence" in body and "2012 ministerial statement" in body


def test_refusal_script_does_not_say_id_is_the_law():
    body = MODULES["refusing-a-sale"]["body"]
    assert "without ID. It's the law" not in body
    assert "asking for ID is your shop's policy" in body


def test_cutlery_sold_remotely_still_needs_the_remote_sale_conditions():
    for slug in ("what-counts-as-a-knife", "remote-sales-and-delivery"):
        body = MODULES[slug]["body"]
        assert "outside the extra home-delivery rules" not in body
        assert "hand-over to an adult and no locker" in body, slug
    assert "hand-over to an adult and no locker" in correct("q-073")[0]


def test_delivery_condition_uses_the_statutory_words_with_the_caution():
    body = MODULES["remote-sales-and-delivery"]["body"]
    assert "reasonable steps were taken" not in body
    assert "all reasonable precautions and all due diligence" in body
    assert "exact legal wording of each condition has not been confirmed" in body
    assert any("All reasonable precautions and all due diligence" in t for t in correct("q-068"))


def test_key_points_hold_in_every_jurisdiction_the_module_is_shown_for():
    points = key_points("law-and-liability")
    assert "The only defence is" not in points
    assert "In Scotland the defence works differently" in points


def test_scottish_online_sellers_are_told_the_delivery_rules_apply():
    meta = MODULES["remote-sales-and-delivery"]
    scotland = meta["body"].split("## In Scotland", 1)[1].split("##", 1)[0]
    assert "online or by phone" in scotland and "delivery offences apply in Scotland" in scotland
    assert "## The remote-sale rules in England and Wales" not in meta["body"]
    assert "delivery offences apply to you" in meta["jurisdiction_notes"]["scotland"]


def test_private_possession_date_is_for_england_and_wales_only():
    body = MODULES["prohibited-weapons-and-marketing"]["body"]
    assert "In England and Wales it has also been a crime since 14 July 2021" in body
    assert "Since 14 July 2021 it has also been" not in body


@pytest.mark.parametrize("slug", ["law-and-liability", "prohibited-weapons-and-marketing",
                                  "proxy-and-concerning-sales", "remote-sales-and-delivery"])
def test_crime_and_policing_act_measures_are_not_asserted_as_final(slug):
    body = MODULES[slug]["body"]
    assert "awaiting confirmation of commencement" in body
    assert "Bill-stage documents" in body
    assert "is part of the Crime and Policing Act 2026" not in body


def test_folding_knife_of_exactly_three_inches_is_exempt_with_the_safe_advice_kept():
    body = MODULES["what-counts-as-a-knife"]["body"]
    assert "a blade of exactly 3 inches is exempt" in body
    assert "If a blade is close to 3 inches, treat it as age-restricted." in body


def test_theft_reporting_is_good_practice_not_cited_to_s26_and_s27():
    body = MODULES["display-storage-and-till-prompts"]["body"]
    assert "report them to the police [S26, S27]" not in body
    assert "Reporting thefts to the police is good practice" in body
    assert "S27" not in ITEMS[16]["sources"] and "good practice" in ITEMS[16]["why"]


def test_corrected_questions():
    assert "fixed-blade" in QUESTIONS["q-019"]["text"]
    assert any("Where are the knives displayed" in t for t in correct("q-056"))
    assert "Accept only a physical" not in QUESTIONS["q-029"]["explanation"]


@pytest.mark.parametrize(("qid", "must"), [
    ("q-095", "exempt"), ("q-096", "6 months"), ("q-097", "£500 to £1,000,000"),
    ("q-098", "under 18")])
def test_questions_added_for_confirmed_points(qid, must):
    assert any(must in t for t in correct(qid)), qid


def test_checklist_items_say_what_they_rest_on_and_only_law_is_critical():
    for number, item in ITEMS.items():
        assert item["basis"] in {"law", "voluntary_agreement", "good_practice"}, number
        if item["weight"] == "critical":
            assert item["basis"] == "law", number
    assert ITEMS[5]["weight"] != "critical" and ITEMS[5]["basis"] == "voluntary_agreement"
    assert ITEMS[18]["basis"] == "voluntary_agreement"
    assert "requires" not in ITEMS[18]["why"]
    assert "no defence" not in ITEMS[7]["why"]
    assert "England and Wales law" in ITEMS[1]["note"]
    assert "2026" not in ITEMS[17]["question"] + ITEMS[17]["officer_check"]


def test_sources_point_at_live_pages_and_no_build_machine_path():
    sources = (CONTENT_DIR / "sources.yaml").read_text()
    assert "seniortest" not in sources and "owastaging" not in sources
    for name in ("questions.yaml", "checklist.yaml", "sources.yaml"):
        assert not re.search(r"/work/|/home/", (CONTENT_DIR / name).read_text()), name


def test_loader_refuses_a_critical_item_that_is_not_law(app, tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    text = (copy / "checklist.yaml").read_text()
    (copy / "checklist.yaml").write_text(text.replace(
        'weight: "high"\n        applicability: "click_and_collect"',
        'weight: "critical"\n        applicability: "click_and_collect"', 1))
    with pytest.raises(ContentError, match="only law in force can be critical"):
        load_content(copy)
