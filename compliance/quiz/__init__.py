"""Taking the quiz: attempts, answers one question at a time, scoring and the result review.

The question bank that feeds it is managed in `compliance.quizzes`.
"""

from flask import Blueprint

bp = Blueprint("quiz", __name__, url_prefix="/training/quiz")

from compliance.quiz import routes  # noqa: E402,F401
