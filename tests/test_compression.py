"""Pages answered gzipped where the browser takes it (portal/compression.py; issue 23)."""

from __future__ import annotations

import gzip

import pytest

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_page_comes_gzipped_to_a_browser_that_takes_it(client):
    response = client.get("/complaint", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    page = gzip.decompress(response.data).decode()
    assert "Make a complaint" in page and page.rstrip().endswith("</html>")
    assert int(response.headers["Content-Length"]) == len(response.data) < len(page) / 3


def test_an_error_page_is_compressed_too(client):
    response = client.get("/no-such-page", headers=GZIP)
    assert response.status_code == 404
    assert "Page not found" in gzip.decompress(response.data).decode()


def test_without_accept_encoding_the_page_is_plain(client):
    response = client.get("/complaint")
    assert "Content-Encoding" not in response.headers
    assert "Make a complaint" in response.get_data(as_text=True)
    assert "Accept-Encoding" in response.headers["Vary"]  # a cache must not give it the gzipped one


def test_a_small_answer_is_left_as_it_is(client):
    response = client.get("/healthz", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["status"] == "ok"


@pytest.mark.parametrize("config_overrides", [{"COMPRESS_RESPONSES": False}])
def test_left_to_a_proxy_when_turned_off(client):
    response = client.get("/complaint", headers=GZIP)
    assert "Content-Encoding" not in response.headers
    assert "Make a complaint" in response.get_data(as_text=True)
