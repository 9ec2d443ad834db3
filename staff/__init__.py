"""The staff side (url prefix /staff): sign-in, triage, cases, reports, administration.

Each package holds the views and forms of one part of the work; importing a views
module registers its routes on ``bp``. ``staff.routes`` imports them all, and the app
factory registers the blueprint from there.

This package imports no views: they import ``bp`` from it, so that would be an import
circle (tests/test_imports.py)."""

from flask import Blueprint

bp = Blueprint("staff", __name__)
