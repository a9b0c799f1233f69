"""The visit journeys' cast and checklist, for the offline app's tests."""

from tests.functional.visits.conftest import cast, checklist  # noqa: F401
