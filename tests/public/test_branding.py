"""We use GOV.UK Frontend's components, never the GOV.UK brand: no crown, no logotype,
no Crown copyright, no GDS Transport font, in the pages or in the built stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "portal" / "static"
BRAND = re.compile(r"crown|logotype|gds transport|govuk-crest|ntatw|@font-face", re.IGNORECASE)
PAGES = ["/", "/compliment", "/question-or-concern", "/complaint", "/young-people",
         "/young-people/tell-us", "/accessibility", "/privacy", "/contact", "/no-such-page"]


def test_the_stylesheet_carries_no_gov_uk_brand():
    css_file = STATIC / "css" / "main.css"
    assert css_file.exists(), "portal/static/css/main.css is missing: run `make setup` (it builds the assets)"
    css = css_file.read_text(encoding="utf-8")
    assert not BRAND.findall(css), BRAND.findall(css)
    assert "arial" in css


def test_the_stylesheet_points_only_at_files_we_serve():
    css = (STATIC / "css" / "main.css").read_text(encoding="utf-8")
    for url in re.findall(r"url\(['\"]?([^'\")]+)", css):
        if url.startswith("data:"):
            continue
        assert url.startswith("/static/") and (STATIC / url.removeprefix("/static/")).is_file(), url


@pytest.mark.parametrize("path", PAGES)
def test_no_page_carries_the_gov_uk_brand(client, path):
    page = client.get(path).get_data(as_text=True)
    assert not BRAND.findall(page), (path, BRAND.findall(page))
    assert "govuk-header__" not in page  # the generic header only, with our own name
    assert "favicon.ico" not in page and "apple-touch-icon" not in page
