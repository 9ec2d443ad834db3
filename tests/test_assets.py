"""Static files as the web expects (portal/assets.py, assets/build.mjs; issue 23): pages
link to fingerprinted names, served for a year as immutable, compressed, and without
anything of the visitor's (no cookie, no Vary: Cookie)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "portal" / "static"
YEAR = "max-age=31536000, public, immutable"


def fetch(client, path: str, **kwargs):
    """The answer, read and closed (WhiteNoise answers with an open file)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def linked_assets(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_the_start_page_links_only_fingerprinted_files_whose_name_is_their_content(client):
    links = linked_assets(client.get("/").get_data(as_text=True))
    assert len(links) == 4  # the stylesheet, the icon, app.mjs and htmx
    for link in links:
        name = re.search(r"\.([0-9a-f]{12})\.[a-z]+$", link)
        assert name, link
        content = (STATIC / link.removeprefix("/static/")).read_bytes()
        assert hashlib.sha256(content).hexdigest()[:12] == name.group(1), link


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_fingerprinted_file_is_kept_for_a_year_compressed_and_shares_no_cookie(client, encoding):
    client.get("/")  # the visitor now has a session cookie, which the files must not vary by
    for link in linked_assets(client.get("/").get_data(as_text=True)):
        response = fetch(client, link, headers={"Accept-Encoding": f"{encoding}, deflate"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR, link
        assert response.headers["Vary"] == "Accept-Encoding", link
        assert "Set-Cookie" not in response.headers
        plain = (STATIC / link.removeprefix("/static/")).read_bytes()
        if len(plain) < 200:
            continue  # a tiny icon, where compression may save nothing
        assert response.headers["Content-Encoding"] == encoding, link
        assert len(response.data) < len(plain) / (3 if len(plain) > 10_000 else 1), link
        if encoding == "gzip":
            assert gzip.decompress(response.data) == plain
        else:  # the build's brotli copy, which Chromium decodes (bench/page_weight.py)
            assert response.data == (STATIC / (link.removeprefix("/static/") + ".br")).read_bytes()


def test_a_browser_that_takes_no_compression_gets_the_file_itself(client):
    link = linked_assets(client.get("/").get_data(as_text=True))[0]
    response = fetch(client, link)
    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / link.removeprefix("/static/")).read_bytes()


def test_the_plain_name_still_answers_but_only_for_a_minute(client):
    response = fetch(client, "/static/css/main.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"


def test_app_mjs_and_the_stylesheet_point_at_fingerprinted_files_that_exist():
    fingerprints = json.loads((STATIC / "fingerprints.json").read_text())
    app_js = (STATIC / fingerprints["js/app.mjs"]).read_text()
    imported = re.findall(r"""(?:from|import\()\s*["']\./([^"']+)["']""", app_js)
    assert len(imported) == 4  # GOV.UK Frontend, then the dates and MOJ's two, when a page needs them
    for name in imported:
        assert (STATIC / "js" / name).is_file() and f"js/{name}" in fingerprints.values(), name
    css = (STATIC / fingerprints["css/main.css"]).read_text()
    icons = re.findall(r"url\(/static/([^)]+)\)", css)
    assert icons and all(icon in fingerprints.values() and (STATIC / icon).is_file() for icon in icons)


def test_a_missing_file_is_a_404_from_the_portal(client):
    response = client.get("/static/css/main.000000000000.css")
    assert response.status_code == 404
