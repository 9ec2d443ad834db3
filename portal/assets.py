"""The built assets in portal/static, served as the web expects (issue 23).

``make setup`` (assets/build.mjs) writes each file twice, as ``main.css`` and as
``main.HASH.css`` with a fingerprint of its content, with brotli and gzip copies beside
each, and lists the fingerprinted names in ``fingerprints.json``. Pages link to the
fingerprinted name (``asset_url``), which WhiteNoise serves with a year's
``Cache-Control: immutable``: a browser never asks for it again, and a new build is a
new name. WhiteNoise answers before Flask, so a stylesheet never carries a session's
``Vary: Cookie`` or costs a request to the app.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, url_for
from whitenoise import WhiteNoise

from portal.security import FILE_HEADERS

YEAR = 365 * 24 * 3600
# name.0123456789ab.ext, as the build names a fingerprinted copy.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)
    fingerprints = _fingerprints(folder)
    app.extensions["asset_fingerprints"] = fingerprints

    def asset_url(name: str) -> str:
        # Unbuilt or unknown: the plain name, still served (for a minute at a time).
        return url_for("static", filename=fingerprints.get(name, name))

    app.jinja_env.globals["asset_url"] = asset_url
    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=str(folder), prefix=app.static_url_path,
        # In development a rebuilt asset (a new name) is found without a restart.
        autorefresh=app.config["PORTAL_ENV"] == "development",
        max_age=60,
        immutable_file_test=lambda path, url: bool(FINGERPRINTED.search(url)),
        add_headers_function=_add_headers,
        allow_all_origins=False,
    )


def _fingerprints(folder: Path) -> dict[str, str]:
    try:
        return json.loads((folder / "fingerprints.json").read_text())
    except FileNotFoundError:
        return {}


def _add_headers(headers, path: str, url: str) -> None:
    for name, value in FILE_HEADERS.items():
        headers[name] = value
    if FINGERPRINTED.search(url):
        headers["Cache-Control"] = f"max-age={YEAR}, public, immutable"
