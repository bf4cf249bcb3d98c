"""WSGI entry point for gunicorn: the app plus warm-up of the language models."""

from tinget.language import warm_up
from web import create_app

app = create_app()
warm_up()
