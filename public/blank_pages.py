"""A form page with nothing on it yet, rendered once and kept.

Most views of a public form are of the empty form, and its HTML is the same each time
but for the CSRF token and the Content-Security-Policy nonce: rendering it through the
GOV.UK macros took some 30 ms of CPU a request (issue 23). The first view renders it;
its token and nonce are then swapped for markers, and later views put their own back
in, so each page is byte for byte what the templates would render.

A page is kept only when nothing in it belongs to this person: no answers, no files, no
message to show (a flash). The key holds what else the page is drawn from: the form,
the active teams (its list of teams), and where the app is mounted; the organisation's
details are the app's configuration, and the pages are kept on the app.
"""

from __future__ import annotations

from typing import Callable, Hashable

from flask import current_app, request, session
from flask_wtf.csrf import generate_csrf

from portal.security import csp_nonce

# NUL never occurs in HTML the templates write, so a marker cannot be mistaken for text.
TOKEN = "\x00csrf-token\x00"
NONCE = "\x00csp-nonce\x00"


def _kept() -> dict:
    return current_app.extensions.setdefault("public_blank_pages", {})


def can_keep() -> bool:
    """Whether this request's page may come from (or go into) the kept pages."""
    return request.method == "GET" and "_flashes" not in session


def render(key: Hashable, draw: Callable[[], str]) -> str:
    """The page for ``key``: kept, with this request's token and nonce, else drawn and kept."""
    token, nonce = generate_csrf(), csp_nonce()
    key = (key, request.script_root)
    kept = _kept().get(key)
    if kept is not None:
        return kept.replace(TOKEN, token).replace(NONCE, nonce)
    page = draw()
    _kept()[key] = page.replace(token, TOKEN).replace(nonce, NONCE)
    return page
