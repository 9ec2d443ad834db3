"""The ``get_page`` fixture (tests/pages.py) fails a page for each thing every page must
be, and passes a page that is all of them. Each bad page below differs from a good one
by the one thing its test names."""

from __future__ import annotations

import pytest

from portal.security import csp_nonce

GOOD = """<!DOCTYPE html><html><head><title>{title}</title>{head}</head>
<body>{summary}<main id="main-content"><h1>A page</h1>{body}</main></body></html>"""
SUMMARY = """<div class="govuk-error-summary" data-module="govuk-error-summary"><ul class="govuk-error-summary__list">
<li><a href="#name">Enter your name</a></li></ul></div>"""


@pytest.fixture
def serve(app):
    """``serve(title=..., head=..., summary=..., body=...)``: a page at /page-under-test,
    its "{nonce}" replaced by the response's CSP nonce."""
    parts = {}
    app.add_url_rule("/page-under-test", "page_under_test",
                     lambda: GOOD.format(**parts).replace("{nonce}", csp_nonce()))

    def set_parts(title="A page - Feedback", head="", summary="", body=""):
        parts.update(title=title, head=head, summary=summary, body=body)
        return "/page-under-test"

    return set_parts


def fails(get_page, client, path, *words):
    with pytest.raises(AssertionError) as failure:
        get_page(client, path)
    for word in words:
        assert word in str(failure.value)


def test_a_page_that_is_all_it_should_be_passes_and_reads_as_its_html(get_page, client, serve):
    path = serve(head='<style nonce="{nonce}">p {}</style>',
                 body='<script nonce="{nonce}">1</script><script src="/static/x.js"></script><p id="a">Hello</p>')
    page = get_page(client, path)
    assert "Hello" in page and page.title == "A page - Feedback"
    assert page.by_id("a").text == "Hello" and page.error_summary == []
    assert "A page Hello" in page.text


def test_a_page_with_errors_passes_when_its_title_says_so(get_page, client, serve):
    page = get_page(client, serve(title="Error: A page - Feedback", summary=SUMMARY))
    assert page.error_summary == ["Enter your name"]


def test_real_pages_pass_by_path_and_by_endpoint(get_page, client):
    assert "<html" in get_page(client, "/staff/sign-in")
    assert get_page(client, "staff.sign_in").title == get_page(client, "/staff/sign-in").title


def test_another_status_fails(get_page, client):
    fails(get_page, client, "/no-such-page", "404, not 200")
    assert get_page(client, "/no-such-page", status=404)


def test_two_titles_fail(get_page, client, serve):
    fails(get_page, client, serve(head="<title>Another</title>"), "2 <title> elements")


def test_a_drawing_may_have_a_title_of_its_own(get_page, client, serve):
    assert get_page(client, serve(body="<svg><title>QR code</title></svg>")).title == "A page - Feedback"


def test_an_empty_title_fails(get_page, client, serve):
    fails(get_page, client, serve(title="  "), "the <title> is empty")


def test_no_title_fails(get_page, client, app):
    app.add_url_rule("/untitled", "untitled", lambda: "<html><body><p>Hi</p></body></html>")
    fails(get_page, client, "/untitled", "0 <title> elements")


def test_an_id_used_twice_fails(get_page, client, serve):
    fails(get_page, client, serve(body='<p id="a">1</p><div><span id="a">2</span></div>'),
          "ids used more than once: a")


def test_errors_in_the_title_without_an_error_summary_fail(get_page, client, serve):
    fails(get_page, client, serve(title="Error: A page - Feedback"), "no error summary")


def test_an_error_summary_without_errors_in_the_title_fails(get_page, client, serve):
    fails(get_page, client, serve(summary=SUMMARY), 'the title does not start "Error: "')


@pytest.mark.parametrize("element", [
    "<script>alert(1)</script>",
    '<script nonce="not-the-nonce">alert(1)</script>',
    "<style>p { color: red }</style>",
    '<style nonce="">p { color: red }</style>',
])
def test_an_inline_script_or_style_without_the_nonce_fails(get_page, client, serve, element):
    tag = element[1:6] if element.startswith("<style") else "script"
    fails(get_page, client, serve(body=element), f"an inline <{tag}> without the response's CSP nonce")
