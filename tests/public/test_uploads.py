"""Files sent with the public forms and from the status page (issue 17): checked and kept
with the draft as they are chosen, listed with a Remove on the check-your-answers page,
documents of the new record once sent; every bad file refused in plain words with the rest
of the answers kept; never given back; forgotten with the draft."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import Document, Draft, DraftUpload, Feedback
from portal.services.common.dates import now_utc
from portal.services.data_protection import purge
from portal.services.intake import drafts
from tests import files_made
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, PATHS, YOUNG
from tests.public.test_status_page import status_link
from tests.staff.conftest import error_summary

MB = 1024 * 1024


@pytest.fixture
def stored(tmp_path):
    """The names of the files in the file store."""
    root = tmp_path / "files"
    return lambda: sorted(p.name for p in root.glob("??/??/*") if re.fullmatch("[0-9a-f]{64}", p.name))


def with_files(answers: dict, *files: tuple[bytes, str]) -> dict:
    return {**answers, "files": [(io.BytesIO(content), name) for content, name in files]}


def post(client, form: str, data: dict, path: str | None = None):
    response = client.post(path or PATHS[form], data=data, content_type="multipart/form-data")
    # Werkzeug's test client encodes a large body into a temporary file it never closes.
    response.request.environ["wsgi.input"].close()
    return response


def only_record() -> Feedback:
    return db.session.scalars(select(Feedback)).one()


def test_a_complaint_with_a_pdf_and_a_photo_arrives_with_both_as_documents_sent_by_the_person(client, get_page):
    letter, photo = files_made.pdf(), files_made.photo_with_location()
    response = post(client, "complaint", with_files(COMPLAINT, (letter, "Letter from school.pdf"),
                                                   (photo, "IMG_0042.JPG")))
    assert response.status_code == 302 and response.headers["Location"].endswith("/complaint/check")

    check = get_page(client, "/complaint/check")
    assert "Letter from school.pdf" in check and "IMG_0042.JPG" in check
    assert check.count(">Remove<") == 0  # the button says which file, for a screen reader
    assert len(re.findall(r"Remove<span class=\"govuk-visually-hidden\"> ", check)) == 2

    client.post("/complaint/check", data={})
    record = only_record()
    documents = sorted(record.documents, key=lambda d: d.id)
    assert [(d.original_name, d.kind, d.source) for d in documents] == [
        ("Letter from school.pdf", "pdf", "public"), ("IMG_0042.JPG", "jpg", "public")]
    assert documents[0].size_bytes == len(letter)
    assert documents[1].metadata_removed is True
    assert db.session.scalars(select(DraftUpload)).all() == []
    assert db.session.scalars(select(Draft)).all() == []


def test_the_photo_kept_has_no_location(app, client):
    photo = files_made.photo_with_location()
    assert files_made.location_of(photo)  # the test's photo does say where it was taken
    post(client, "complaint", with_files(COMPLAINT, (photo, "garden.jpg")))
    client.post("/complaint/check", data={})
    document = only_record().documents[0]
    from portal.services.files import storage

    with storage.current_store().open(document.storage_key) as content:
        kept = content.read()
    assert files_made.location_of(kept) == {}


@pytest.mark.parametrize("form, answers", [("concern", CONCERN), ("compliment", COMPLIMENT), ("young", YOUNG)])
def test_every_public_form_takes_files(client, form, answers):
    post(client, form, with_files(answers, (files_made.text_file(), "notes.txt")))
    client.post(f"{PATHS[form]}/check", data={})
    assert [d.original_name for d in only_record().documents] == ["notes.txt"]


def test_files_chosen_when_an_answer_is_refused_are_kept_and_listed_and_the_answers_stay(client):
    answers = {**COMPLAINT, "summary": ""}
    page = post(client, "complaint", with_files(answers, (files_made.pdf(), "plan.pdf"))).get_data(as_text=True)
    assert error_summary(page) == ["Enter what your complaint is about"]
    assert "Files you have added" in page and "plan.pdf" in page
    assert 'value="Alex Example"' in page  # what was typed is kept
    # The person puts the answer right without choosing the file again.
    response = post(client, "complaint", {**COMPLAINT})
    assert response.headers["Location"].endswith("/complaint/check")
    client.post("/complaint/check", data={})
    assert [d.original_name for d in only_record().documents] == ["plan.pdf"]


def test_a_draft_with_files_but_no_answers_yet_goes_back_to_the_form(client):
    post(client, "complaint", with_files({**COMPLAINT, "summary": ""}, (files_made.pdf(), "plan.pdf")))
    response = client.get("/complaint/check")
    assert response.status_code == 302 and response.headers["Location"].endswith("/complaint")


def test_remove_on_the_check_page_takes_one_file_off_and_nothing_of_it_stays(client, stored):
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf"), (files_made.text_file(), "b.txt")))
    assert len(stored()) == 2
    a = db.session.scalars(select(DraftUpload).where(DraftUpload.original_name == "a.pdf")).one()
    response = client.post("/complaint/check/remove-file", data={"file": a.id})
    assert response.status_code == 303 and response.headers["Location"].endswith("/complaint/check")
    page = client.get("/complaint/check").get_data(as_text=True)
    assert "a.pdf has been removed" in page
    assert "a.pdf</dt>" not in page and "b.txt" in page
    assert len(stored()) == 1
    client.post("/complaint/check", data={})
    assert [d.original_name for d in only_record().documents] == ["b.txt"]


def test_nobody_removes_a_file_from_someone_elses_draft(app, client):
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf")))
    upload = db.session.scalars(select(DraftUpload)).one()
    other = app.test_client()
    post(other, "complaint", COMPLAINT)
    other.post("/complaint/check/remove-file", data={"file": upload.id})
    db.session.expire_all()
    assert db.session.get(DraftUpload, upload.id) is not None


# --- Each bad input: a clear message, the answers kept, nothing half stored -----------------


def refused(client, stored, *files, answers=COMPLAINT) -> str:
    response = post(client, "complaint", with_files(answers, *files))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.startswith("<!DOCTYPE html>") or "<html" in page
    assert "Error: " in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert 'value="Alex Example"' in page and "Nobody has told us who our son" in page
    assert db.session.scalars(select(DraftUpload)).all() == []
    assert stored() == []
    assert db.session.query(Feedback).count() == 0
    return error_summary(page)


def test_a_program_renamed_as_a_pdf_is_refused(client, stored):
    assert refused(client, stored, (files_made.program(), "letter.pdf")) == [
        "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"]


def test_a_file_of_a_type_not_taken_is_refused(client, stored):
    assert refused(client, stored, (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "smile.gif")) == [
        "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"]


def test_an_empty_file_is_refused(client, stored):
    assert refused(client, stored, (b"", "blank.pdf")) == ["The selected file is empty"]


def test_a_file_over_10_mb_is_refused(client, stored):
    assert refused(client, stored, (files_made.pdf_of_size(10 * MB + 1), "big.pdf")) == [
        "The selected file must be smaller than 10MB"]


def test_a_file_of_exactly_10_mb_is_taken(client, stored):
    page = post(client, "complaint", with_files(COMPLAINT, (files_made.pdf_of_size(10 * MB), "big.pdf")))
    assert page.status_code == 302, error_summary(page.get_data(as_text=True))
    assert [u.size_bytes for u in db.session.scalars(select(DraftUpload))] == [10 * MB]


def test_more_than_25_mb_in_all_is_refused(client, stored):
    # Under the request's limit (25 MB and a megabyte for the answers), over the submission's.
    files = [(files_made.pdf_of_size(size), f"part {n}.pdf") for n, size in enumerate([9 * MB, 9 * MB, 7 * MB + MB // 2])]
    assert refused(client, stored, *files) == ["The selected files must be smaller than 25MB in total"]


def test_files_added_earlier_count_towards_the_25_mb(client, stored):
    post(client, "complaint", with_files({**COMPLAINT, "summary": ""}, (files_made.pdf_of_size(9 * MB), "a.pdf"),
                                         (files_made.pdf_of_size(9 * MB), "b.pdf")))
    page = post(client, "complaint", with_files(COMPLAINT, (files_made.pdf_of_size(8 * MB), "c.pdf")))
    assert error_summary(page.get_data(as_text=True)) == ["The selected files must be smaller than 25MB in total"]
    assert db.session.query(DraftUpload).count() == 2


def test_six_files_are_refused(client, stored):
    files = [(files_made.text_file(f"note {n}\n"), f"note{n}.txt") for n in range(6)]
    assert refused(client, stored, *files) == ["You can send up to 5 files. Remove one or more files and try again"]


def test_files_added_earlier_count_towards_the_five(client, stored):
    post(client, "complaint", with_files({**COMPLAINT, "summary": ""},
                                         *[(files_made.text_file(f"{n}\n"), f"{n}.txt") for n in range(4)]))
    page = post(client, "complaint", with_files(COMPLAINT, (files_made.text_file("a\n"), "a.txt"),
                                                (files_made.text_file("b\n"), "b.txt"))).get_data(as_text=True)
    assert error_summary(page) == ["You can send up to 5 files. Remove one or more files and try again"]
    assert db.session.query(DraftUpload).count() == 4


@pytest.mark.parametrize("name, message", [
    ("../../etc/passwd.pdf", "The selected file's name must not include a folder (a / or \\). Rename the file and try again"),
    ("bad\x07name.pdf", "The selected file's name must not include hidden characters. Rename the file and try again"),
])
def test_a_bad_file_name_is_refused(client, stored, name, message):
    from html import unescape

    assert [unescape(m) for m in refused(client, stored, (files_made.pdf(), name))] == [message]


def test_a_bad_file_among_good_ones_is_named_and_none_is_kept(client, stored):
    messages = refused(client, stored, (files_made.pdf(), "good.pdf"), (files_made.program(), "bad.pdf"))
    from html import unescape

    assert [unescape(m) for m in messages] == [
        "‘bad.pdf’ must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"]


def test_a_request_larger_than_a_submission_may_be_gets_the_too_large_page(client):
    response = post(client, "complaint", with_files(COMPLAINT, *[(b"x" * (9 * MB), f"{n}.pdf") for n in range(3)]))
    assert response.status_code == 413
    page = " ".join(response.get_data(as_text=True).split())
    # 27 MB of files: the page says the limits (by default 10MB a file, 25MB together).
    assert "The files you chose came to more than 25MB together" in page
    assert "each must be smaller than 10MB, and 25MB at most together" in page


# --- The public never gets a file back; the draft's files go with it ------------------------------


def test_no_public_page_links_to_a_file(client):
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf")))
    page = client.get("/complaint/check").get_data(as_text=True)
    upload = db.session.scalars(select(DraftUpload)).one()
    assert upload.storage_key not in page and upload.sha256 not in page
    assert not re.search(r'href="[^"]*(?:download|files/)', page)


def test_exit_this_page_forgets_the_files(client, stored):
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf")))
    assert stored()
    client.get("/leave")
    assert db.session.query(DraftUpload).count() == 0
    assert stored() == []


def test_a_draft_left_for_two_days_is_purged_with_its_files(app, client, stored):
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf")))
    later = now_utc() + drafts.KEEP_FOR + timedelta(minutes=1)
    with time_machine.travel(later):
        result = purge.run(later.date(), actor="test")  # the retention purge the worker runs
        db.session.commit()
    assert result.drafts_removed == 1
    assert db.session.query(Draft).count() == 0
    assert db.session.query(DraftUpload).count() == 0
    assert stored() == []


def test_a_file_held_by_a_document_stays_when_a_draft_with_the_same_file_goes(client, stored):
    letter = files_made.pdf()
    post(client, "complaint", with_files(COMPLAINT, (letter, "a.pdf")))
    client.post("/complaint/check", data={})
    post(client, "complaint", with_files(COMPLAINT, (letter, "again.pdf")))
    client.get("/leave")
    assert len(stored()) == 1
    assert db.session.query(Document).count() == 1


def test_a_scanner_that_is_down_never_fails_a_submission(app, client):
    app.config["CLAMD_SOCKET"] = "/nonexistent/clamd.sock"
    post(client, "complaint", with_files(COMPLAINT, (files_made.pdf(), "a.pdf")))
    response = client.post("/complaint/check", data={}, follow_redirects=True)
    assert "Your complaint has been sent" in response.get_data(as_text=True)
    assert [d.scan_status for d in only_record().documents] == ["waiting"]


# --- The status page --------------------------------------------------------------------------------


def _status_page(client):
    from tests.public.helpers import send

    sent = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    client.get(status_link(sent))


def test_the_status_page_takes_files_with_the_information_added(client, get_page):
    _status_page(client)
    page = get_page(client, "/your-feedback/case")
    assert "a document you can describe" not in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page
    response = post(client, "", path="/your-feedback/case", data={
        "information": "The school's letter came today.",
        "files": [(io.BytesIO(files_made.pdf()), "school letter.pdf")]})
    assert response.status_code == 302
    assert [(d.original_name, d.source) for d in only_record().documents] == [("school letter.pdf", "public")]


def test_a_bad_file_on_the_status_page_adds_nothing(client):
    _status_page(client)
    before = len(only_record().timeline)
    response = post(client, "", path="/your-feedback/case", data={
        "information": "Here it is.", "files": [(io.BytesIO(files_made.program()), "letter.pdf")]})
    page = response.get_data(as_text=True)
    assert error_summary(page) == ["The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"]
    assert "Here it is." in page
    db.session.expire_all()
    assert only_record().documents == [] and len(only_record().timeline) == before
