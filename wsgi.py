"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from toekomstplan import create_app
from toekomstplan.media import housekeeping

app = create_app()
housekeeping.at_start(app)  # what a crash left in the work folder (a raw upload) goes first
