"""The case file in Chromium (issue 17): an officer adds a PDF and a photo on the case
page and downloads them, with JavaScript on (the panel swapped by HTMX) and off (a plain
multipart post); the photo comes back without its location; axe-core on the page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests import factories
from tests.browser.helpers import check_page
from tests.browser.staff import sign_in, staff_account
from tests.files import samples

pytestmark = pytest.mark.browser


def add_files(page, reference: str) -> None:
    page.goto(f"/staff/cases/{reference}")
    page.locator("#documents summary:has-text('Add documents')").click()
    page.set_input_files("#document-file", [
        {"name": "EHC plan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()},
        {"name": "damaged coat.jpg", "mimeType": "image/jpeg", "buffer": samples.photo()},
    ])
    page.fill("#document-description", "Sent by the parent")
    page.locator("#documents button:has-text('Add documents')").click()
    page.wait_for_function("() => document.getElementById('documents')?.innerText.includes('damaged coat.jpg')")


def download(page, name: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"#documents a:has-text({name!r})").click()
    with open(info.value.path(), "rb") as downloaded:
        return downloaded.read()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_an_officer_adds_and_downloads_files_on_the_case_page(live_server, new_page, javascript):
    officer = staff_account("officer@example.org", "Olu Officer")
    record = factories.initial_contact()
    page = new_page(javascript=javascript)
    sign_in(page, officer)
    add_files(page, record.reference)
    text = page.locator("#documents").inner_text()
    assert "EHC plan.pdf" in text and "Sent by the parent" in text
    assert "Added 2 documents" in page.content()
    assert "Document added" in page.locator("#timeline").inner_text()
    check_page(page)

    assert download(page, "EHC plan.pdf") == samples.pdf()
    photo = download(page, "damaged coat.jpg")
    with Image.open(io.BytesIO(photo)) as image:
        assert not image.getexif().get_ifd(samples.GPS_IFD)
        assert image.size == (64, 48)


def test_a_refused_file_says_why_and_keeps_the_description(live_server, page):
    officer = staff_account("officer@example.org", "Olu Officer")
    record = factories.initial_contact()
    sign_in(page, officer)
    page.goto(f"/staff/cases/{record.reference}")
    page.locator("#documents summary:has-text('Add documents')").click()
    page.set_input_files("#document-file", [
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": samples.program()}])
    page.fill("#document-description", "What I typed")
    page.locator("#documents button:has-text('Add documents')").click()
    page.wait_for_selector("#documents .govuk-error-summary")
    assert "must be a PDF, Word document" in page.locator("#documents .govuk-error-summary").inner_text()
    assert page.input_value("#document-description") == "What I typed"
    check_page(page, allow=("status of 422", "HTTP 422"))  # the refusal (HTMX swaps a 422)
