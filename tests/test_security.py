"""portal/security.py: where a ``back`` or ``next`` parameter may send the browser."""

from __future__ import annotations

import pytest

from portal.security import same_site_path

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example/staff/",
    "//evil.example/staff/",
    "///evil.example/staff/",
    "/\\evil.example/staff/",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " /staff/",
    "javascript:alert(1)",
    "javascript:/staff/actions",
    "evil.example/staff/",
    "",
    None,
]


@pytest.mark.parametrize("value", OFF_SITE)
def test_anything_that_could_leave_the_site_gives_the_default(value):
    assert same_site_path(value, default="/staff/inbox") == "/staff/inbox"
    assert same_site_path(value, within="/staff/") is None


def test_paths_on_the_site_are_kept_with_their_query():
    assert same_site_path("/staff/inbox?q=smith&page=2", within="/staff/") == "/staff/inbox?q=smith&page=2"
    assert same_site_path("/staff/cases/CF-1", within="/staff/") == "/staff/cases/CF-1"


def test_a_path_outside_the_area_asked_for_gives_the_default():
    assert same_site_path("/complaint", within="/staff/", default="/staff/") == "/staff/"
