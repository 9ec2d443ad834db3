"""Every page of the public side: importing this module imports the views, so that the
public blueprint, ``bp``, has all its routes."""

from public import bp
from public import views  # noqa: F401

__all__ = ["bp"]
