"""Records the home-page to-do tests build on."""

from __future__ import annotations

import html
from datetime import timedelta

from compliance.extensions import db
from compliance.models import QuizAttempt, TrainingCompletion
from compliance.models.base import utcnow


def completion_for(user, days_left: int = 365, failed_minutes_ago: int | None = None):
    """A passed quiz (trained for days_left more days), or a failed one that long ago."""
    now = utcnow()
    failed = failed_minutes_ago is not None
    at = now - timedelta(minutes=failed_minutes_ago or 0)
    attempt = QuizAttempt(user_id=user.id, jurisdiction="england-wales", total=15, pass_mark=80,
                          submitted_at=at, score=5 if failed else 14, passed=not failed)
    db.session.add(attempt)
    db.session.flush()
    if failed:
        return attempt
    completion = TrainingCompletion(user_id=user.id, attempt_id=attempt.id, completed_at=now,
                                    expires_at=now + timedelta(days=days_left), score_percent=93)
    db.session.add(completion)
    db.session.flush()
    return completion


def todo_titles(page) -> str:
    """The page's text with whitespace collapsed, for plain `in` checks."""
    return " ".join(html.unescape(page.get_data(as_text=True)).split())
