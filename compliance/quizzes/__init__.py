"""The question bank: admins add, edit, retire, import and export questions (taking the
quiz is `compliance.quiz`)."""

from flask import Blueprint

bp = Blueprint("questions", __name__, url_prefix="/admin/questions")

from compliance.quizzes import routes  # noqa: E402,F401
