"""The public side: start page, feedback forms, confirmation and information pages.

``public.views`` registers its routes on ``bp``; ``public.routes`` imports it, and the app
factory registers the blueprint from there. This package imports no views: they import
``bp`` from it, so that would be an import circle (tests/test_imports.py)."""

from flask import Blueprint

bp = Blueprint("public", __name__)
