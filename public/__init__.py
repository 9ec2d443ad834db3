"""The public side: start page, feedback forms, confirmation and information pages."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from public import views  # noqa: E402,F401  (routes register themselves on bp)
