"""WSGI entry point for gunicorn: the app, with the language models and the redactor loaded before
the first resident writes (not at import time of the packages, and not per request)."""

from privacy import redact
from tinget.language import warm_up
from web import create_app

app = create_app()
warm_up()
redact("warm up", "nb")
