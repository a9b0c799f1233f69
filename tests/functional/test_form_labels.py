"""Every form page of every role says what it asks: each fieldset has a legend with text and
each control a label with text (axe passes a radio group whose legend is empty)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.functional.test_access_matrix import ROUTES, WHO, _ids

SKIP_TYPES = {"hidden", "submit", "button", "image", "reset"}


class FormAudit(HTMLParser):
    """Collects fieldsets with their legend text, controls, and the text of each label."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.legends: list[str] = []  # one per fieldset: its legend's text
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}
        self._stack: list[str] = []
        self._label_for: str | None = None
        self._label_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset":
            self.legends.append("")
        elif tag == "legend":
            self._stack.append("legend")
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []
            self._stack.append("label")
        elif tag in ("input", "select", "textarea") and a.get("type") not in SKIP_TYPES:
            self.controls.append(a)

    def handle_endtag(self, tag):
        if tag in ("legend", "label") and self._stack and self._stack[-1] == tag:
            self._stack.pop()
            if tag == "label" and self._label_for:
                self.labels[self._label_for] = " ".join("".join(self._label_text).split())

    def handle_data(self, data):
        if "legend" in self._stack and self.legends:
            self.legends[-1] += data
        if "label" in self._stack:
            self._label_text.append(data)

    def problems(self) -> list[str]:
        found = [f"fieldset {i + 1} has an empty legend"
                 for i, text in enumerate(self.legends) if not text.strip()]
        for control in self.controls:
            named = control.get("aria-label") or self.labels.get(control.get("id") or "")
            if not (named or "").strip():
                found.append(f"control {control.get('name')!r} has no label text")
        return found


def _pages():
    return [(url, who) for url, codes in ROUTES.items() for i, who in enumerate(WHO)
            if codes[i] == 200 and who != "anonymous"]


@pytest.mark.parametrize("url, who", _pages())
def test_every_fieldset_has_a_legend_and_every_control_a_label(client, login_as, people, url,
                                                                who):
    login_as(people[who])
    response = client.get(url.format(**_ids(people)))
    assert response.status_code == 200
    if "text/html" not in response.content_type:
        return
    audit = FormAudit()
    audit.feed(response.text)
    assert audit.problems() == [], f"{who} GET {url}"


def test_the_audit_catches_an_empty_legend_and_an_unlabelled_control():
    audit = FormAudit()
    audit.feed('<form><fieldset><legend class="x"> </legend>'
               '<input type="radio" id="a" name="a"><label for="a">Yes</label></fieldset>'
               '<input type="text" id="b" name="b"><input type="hidden" name="c"></form>')
    assert audit.problems() == ["fieldset 1 has an empty legend",
                                "control 'b' has no label text"]
