"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from compliance import create_app

app = create_app()
