"""Security headers on every response, staff and public: a nonce-based CSP with no
unsafe-inline, no framing, no sniffing, a referrer policy, a permissions policy, and
HSTS only over HTTPS."""

from __future__ import annotations

import re

import pytest

PAGES = ["/", "/staff/sign-in", "/staff/reset-password", "/staff/", "/staff/no-such-page"]


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_the_headers(client, path):
    response = client.get(path)
    response.close()
    csp = directives(response)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["default-src"] == "default-src 'self'"
    assert csp["object-src"] == "object-src 'none'"
    assert re.search(r"'nonce-[A-Za-z0-9_-]{16,}'", csp["script-src"])
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.parametrize("path", ["/static/css/main.css", "/static/images/favicon.svg"])
def test_a_static_file_has_the_headers_too_and_a_policy_that_lets_nothing_run(client, path):
    """WhiteNoise serves them before Flask (portal/assets.py), with headers of their own."""
    response = client.get(path)
    response.close()
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == "default-src 'none'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "script-src" not in csp and "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_every_script_and_style_on_a_staff_page_carries_the_nonce(signed_in):
    client = signed_in("administrator")
    for path in ["/staff/", "/staff/audit", "/staff/admin/staff/invite", "/staff/admin/non-working-days"]:
        response = client.get(path)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        page = response.get_data(as_text=True)
        tags = re.findall(r"<(script|style)\b([^>]*)>", page)
        assert tags, path
        for name, attributes in tags:
            assert f'nonce="{nonce}"' in attributes, (path, name, attributes)
        assert not re.search(r"\sstyle=\"", page), path  # no inline style attributes
        assert not re.search(r"\son[a-z]+=\"", page), path  # no inline event handlers
        assert "hx-on" not in page, path


def test_the_sign_in_page_is_never_cached(client):
    assert client.get("/staff/sign-in").headers["Cache-Control"] == "no-store"


def test_hsts_when_served_over_https(client):
    response = client.get("/staff/sign-in", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("config_overrides", [{"BASE_URL": "https://feedback.example.org"}])
def test_hsts_when_the_base_url_is_https(client):
    assert "Strict-Transport-Security" in client.get("/staff/sign-in").headers
