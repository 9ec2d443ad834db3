"""A parent sends a complaint with a PDF and a photo in Chromium, by keyboard, with
JavaScript off and on (issue 17, "Done when"): both arrive as documents of the new record,
the photo without its location; a file is removed on the check-your-answers page; a bad
file gets the error summary; every page is checked with axe-core."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback
from portal.services.files import storage
from tests import files_made
from tests.browser.helpers import assert_error_page, check_page, is_focused, press_button, tab_to
from tests.browser.public_site import PublicSite
from tests.public.helpers import COMPLAINT


@pytest.fixture
def file_store(live_server, tmp_path):
    """This test's own file store (the app makes its store once: forget it either side)."""
    live_server.configure(FILE_STORAGE_URL=f"file://{tmp_path / 'files'}")
    live_server.app.extensions.pop("file_store", None)
    yield tmp_path / "files"
    live_server.app.extensions.pop("file_store", None)


def choose_files_by_keyboard(page, *files: tuple[str, bytes]) -> None:
    """Tab to the file input, as a person would, and choose the files there (the browser's
    own file dialog is not part of the page: Playwright gives the input its files)."""
    tab_to(page, "input[type=file]")
    page.set_input_files("input[type=file]", files=[
        {"name": name, "mimeType": "application/octet-stream", "buffer": content} for name, content in files])


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_parent_sends_a_complaint_with_a_pdf_and_a_photo(new_page, live_server, file_store, javascript):
    page = new_page("desktop", javascript=javascript)
    page.set_default_timeout(30_000)  # a busy machine checks a photo slowly
    site = PublicSite(page, live_server)
    site.open_form("complaint")
    check_page(page)
    site.fill(COMPLAINT, keyboard=True)
    photo = files_made.photo_with_location()
    choose_files_by_keyboard(page, ("EHC plan.pdf", files_made.pdf("EHC plan")), ("broken chair.jpg", photo),
                             ("notes.txt", files_made.text_file()))
    site.continue_(keyboard=True)
    assert page.url.endswith("/complaint/check"), site.errors_shown()
    check_page(page)
    files = page.inner_text("main dl.govuk-summary-list[aria-labelledby=files-heading]")
    assert "EHC plan.pdf" in files and "broken chair.jpg" in files and "notes.txt" in files
    assert page.query_selector("main a[href*='download']") is None

    # Remove the notes by keyboard: its own button, named for a screen reader.
    with page.expect_navigation():
        press_button(page, "Remove notes.txt")
    assert page.url.endswith("/complaint/check")
    check_page(page)
    assert "notes.txt has been removed" in page.inner_text("main")
    assert "notes.txt" not in page.inner_text("main dl.govuk-summary-list[aria-labelledby=files-heading]")

    reference = site.send(keyboard=True)
    check_page(page)
    record = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    documents = sorted(record.documents, key=lambda d: d.id)
    assert [(d.original_name, d.kind, d.source) for d in documents] == [
        ("EHC plan.pdf", "pdf", "public"), ("broken chair.jpg", "jpg", "public")]
    with storage.current_store().open(documents[1].storage_key) as content:
        kept = content.read()
    assert files_made.location_of(photo) and files_made.location_of(kept) == {}


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_renamed_program_gets_the_error_summary_and_the_answers_stay(new_page, live_server, file_store,
                                                                        javascript):
    page = new_page("phone", javascript=javascript)
    page.set_default_timeout(30_000)
    site = PublicSite(page, live_server)
    site.open_form("complaint")
    site.fill(COMPLAINT, keyboard=False)
    page.set_input_files("input[type=file]", files=[
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": files_made.program()}])
    site.continue_(keyboard=False)
    check_page(page)
    assert_error_page(page)
    summary = page.inner_text(".govuk-error-summary")
    assert "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC" in summary
    assert page.input_value("[name=name]") == COMPLAINT["name"]
    # The summary's link takes the person to the file input.
    page.click(".govuk-error-summary a")
    if javascript:  # GOV.UK Frontend's error summary moves focus to the field itself
        assert is_focused(page, "#files")
    else:
        assert page.evaluate("() => location.hash") == "#files"
    assert db.session.query(Feedback).count() == 0
