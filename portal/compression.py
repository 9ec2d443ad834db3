"""Pages answered gzipped to a browser that takes it, where no proxy in front does it.

A page of the portal is 20 to 60 KB of HTML, mostly the GOV.UK components' markup,
which gzip brings to a sixth. ``COMPRESS_RESPONSES=false`` leaves it to a proxy.
Static files never come here: WhiteNoise serves their brotli and gzip copies
(portal/assets.py). A download, a stream (a CSV export) or anything already encoded
is left as it is; so is a small answer, where the header would cost more than it saves.
"""

from __future__ import annotations

import gzip

from flask import Flask, request

TEXT_TYPES = {"text/html", "text/plain", "text/csv", "application/json", "image/svg+xml"}
SMALLEST = 1024  # bytes: below this gzip saves less than a packet


def init_app(app: Flask) -> None:
    if not app.config["COMPRESS_RESPONSES"]:
        return

    @app.after_request
    def compress(response):
        response.vary.add("Accept-Encoding")
        if not _worth_compressing(response) or not _accepts_gzip():
            return response
        body = gzip.compress(response.get_data(), compresslevel=6, mtime=0)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        return response


def _worth_compressing(response) -> bool:
    if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
        return False
    return response.mimetype in TEXT_TYPES and (response.content_length or 0) >= SMALLEST


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0
