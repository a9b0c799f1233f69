"""The job and sweep registries: a name belongs to one function."""

from __future__ import annotations

import pytest

from compliance.jobs import registry


@pytest.mark.parametrize("decorator", [registry.job, registry.sweep])
def test_a_name_is_registered_once(monkeypatch, decorator):
    monkeypatch.setattr(registry, "_HANDLERS", dict(registry._HANDLERS))
    monkeypatch.setattr(registry, "_SWEEPS", dict(registry._SWEEPS))

    def first():
        return None

    def second():
        return None

    decorator("tests.once")(first)
    assert decorator("tests.once")(first) is first  # the same function again: harmless
    with pytest.raises(ValueError, match="'tests.once' is registered twice"):
        decorator("tests.once")(second)
