"""The quiz: question bank management for admins (attempts are in training routes)."""

from flask import Blueprint

bp = Blueprint("questions", __name__, url_prefix="/admin/questions")

from compliance.quizzes import routes  # noqa: E402,F401
