"""Security headers on every response, with a fresh CSP nonce per request.

The policy allows no inline script or style except what carries the nonce, so
HTMX runs with its indicator styles off (see the ``htmx-config`` meta tag).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, g, request


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


# A static file (portal/assets.py, served by WhiteNoise before Flask) has no inline
# anything, so no nonce: its policy lets nothing load or run (an SVG opened on its own).
FILE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def set_security_headers(response):
        nonce = csp_nonce()
        # A response that set its own policy keeps it: a file served for download has the
        # strictest one (nothing loads, and it runs sandboxed if a browser ever shows it).
        response.headers.setdefault("Content-Security-Policy", "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}'",
                f"style-src 'self' 'nonce-{nonce}'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        ))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure or app.config["BASE_URL"].startswith("https://"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Pages may hold personal data: never keep them in shared caches.
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def same_site_path(value: str | None, within: str = "/", default: str | None = None) -> str | None:
    """``value`` if it is a path on this site under ``within`` (a ``back`` or ``next``
    parameter someone may have written), else ``default``: never another site.

    Refused: anything with a scheme or host (``https://evil.example/``,
    ``javascript:``), a path that browsers read as a host (``//evil.example``,
    ``/\\evil.example``), and any space, tab or control character (browsers drop
    tabs and newlines, so ``/\\t/evil.example`` would become ``//evil.example``).
    """
    if not value or not isinstance(value, str):
        return default
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith(within):
        return default
    return value
