"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from toekomstplan import create_app

app = create_app()
