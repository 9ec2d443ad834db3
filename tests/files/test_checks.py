"""What a file must be to join the case file (portal/services/files/checks.py): the type
from the content, the limits, the name, Word files opened as zips, images without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.services.common.errors import Refused
from portal.services.common.labels import DocumentKind
from portal.services.files import checks
from portal.services.files.checks import Limits, inspect_upload
from tests.files import samples

LIMITS = Limits(file_max_bytes=1024 * 1024)


def check(content: bytes, name: str, tmp_path, limits: Limits = LIMITS):
    return inspect_upload(io.BytesIO(content), name, limits, tmp_path)


def refusal(content: bytes, name: str, tmp_path, limits: Limits = LIMITS) -> str:
    with pytest.raises(Refused) as refused:
        check(content, name, tmp_path, limits)
    assert refused.value.field == "file"
    assert list(tmp_path.iterdir()) == [], "a refused file leaves nothing behind"
    return refused.value.message


@pytest.mark.parametrize("make, name, kind, safe", [
    (samples.pdf, "EHC plan.pdf", DocumentKind.PDF, "EHC plan.pdf"),
    (samples.word, "Letter from school.docx", DocumentKind.DOCX, "Letter from school.docx"),
    (samples.text, "notes.txt", DocumentKind.TXT, "notes.txt"),
    (samples.photo, "IMG_0042.JPEG", DocumentKind.JPEG, "IMG_0042.jpeg"),
    (samples.heic, "IMG_0043.HEIC", DocumentKind.HEIC, "IMG_0043.heic"),
    # The name says nothing about what it is: a PDF called .docx downloads as a .pdf.
    (samples.pdf, "plan.docx", DocumentKind.PDF, "plan.pdf"),
    (samples.text, "no extension", DocumentKind.TXT, "no extension.txt"),
])
def test_the_type_is_found_from_the_content(make, name, kind, safe, tmp_path):
    with check(make(), name, tmp_path) as checked:
        assert checked.kind is kind
        assert checked.safe_name == safe
        assert checked.original_name == name
        assert checked.path.read_bytes()[:4] == make()[:4]
    assert list(tmp_path.iterdir()) == []


def test_the_size_and_sha256_are_of_what_is_kept(tmp_path):
    import hashlib

    content = samples.pdf()
    with check(content, "a.pdf", tmp_path) as checked:
        assert checked.size_bytes == len(content)
        assert checked.sha256 == hashlib.sha256(content).hexdigest()


def test_a_renamed_program_is_refused(tmp_path):
    message = refusal(samples.program(), "letter.pdf", tmp_path)
    assert message == "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 20 + b"GIF89a",  # a PNG signature on nonsense: refused as unreadable
    b"GIF89a" + b"\x00" * 50,  # a GIF: not on the list
    b"plain\x00text with a NUL",  # binary, not text
    b"\xff\xfe\xfa not UTF-8",
])
def test_anything_not_on_the_list_is_refused(content, tmp_path):
    message = refusal(content, "x.txt", tmp_path)
    assert message.startswith("The selected ")


def test_an_ordinary_zip_is_not_a_word_document(tmp_path):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(out.getvalue(), "report.docx", tmp_path).startswith("The selected file must be a PDF")


def test_an_empty_file_is_refused(tmp_path):
    assert refusal(b"", "empty.pdf", tmp_path) == "The selected file is empty"


def test_a_file_over_the_limit_is_refused_as_it_is_read(tmp_path):
    limits = Limits(file_max_bytes=10 * 1024 * 1024)
    big = samples.pdf() + b"0" * (10 * 1024 * 1024)
    assert refusal(big, "big.pdf", tmp_path, limits) == "The selected file must be smaller than 10MB"


def test_a_file_exactly_at_the_limit_is_accepted(tmp_path):
    content = samples.pdf()
    with check(content, "a.pdf", tmp_path, Limits(file_max_bytes=len(content))) as checked:
        assert checked.size_bytes == len(content)


def test_a_zip_bomb_inside_a_word_document_is_refused(tmp_path):
    bomb = samples.zip_bomb()
    assert len(bomb) < 1024 * 1024  # small enough to pass the size limit
    message = refusal(bomb, "Report.docx", tmp_path)
    assert message == ("The selected Word document could not be opened safely. "
                       "Save it again, or save it as a PDF, and try again")


def test_a_zip_bomb_with_forged_sizes_is_still_refused(tmp_path):
    """The sizes in a zip's directory can lie: the check counts what really unpacks."""
    bomb = bytearray(samples.zip_bomb())
    # Rewrite every uncompressed size (local headers and central directory) to 100 bytes.
    import struct
    import zipfile

    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        infos = archive.infolist()
    for info in infos:
        local = info.header_offset
        struct.pack_into("<I", bomb, local + 22, 100)
    directory = bytes(bomb).rfind(b"PK\x01\x02")
    while directory != -1:
        struct.pack_into("<I", bomb, directory + 24, 100)
        directory = bytes(bomb).rfind(b"PK\x01\x02", 0, directory)
    assert refusal(bytes(bomb), "Report.docx", tmp_path).startswith("The selected Word document could not be opened")


@pytest.mark.parametrize("name, message", [
    ("../../etc/passwd.pdf", "The selected file's name must not include a folder (a / or \\). Rename the file and try again"),
    ("..\\boot.ini.pdf", "The selected file's name must not include a folder (a / or \\). Rename the file and try again"),
    ("letter\x00.pdf", "The selected file's name must not include hidden characters. Rename the file and try again"),
    ("letter\r\n.pdf", "The selected file's name must not include hidden characters. Rename the file and try again"),
    ("a" * 197 + ".pdf", "The selected file's name must be 200 characters or fewer. Rename the file and try again"),
    ("", "Select a file"),
])
def test_a_bad_name_is_refused_before_anything_is_written(name, message, tmp_path):
    assert refusal(samples.pdf(), name, tmp_path) == message


@pytest.mark.parametrize("name, safe", [
    ("Clár Oideachais é.pdf", "Clar Oideachais e.pdf"),
    ("..hidden.pdf", "hidden.pdf"),
    ('rep"ort;<x>.pdf', "rep ort x.pdf"),  # runs of odd characters become one space, none at the ends
    ("tab\tand  spaces_.pdf", "tab and spaces.pdf"),
    ("...pdf", "document.pdf"),
])
def test_a_safe_name_has_only_plain_characters(name, safe):
    assert checks.safe_name(name, DocumentKind.PDF) == safe


@pytest.mark.parametrize("fmt, kind", [("JPEG", DocumentKind.JPEG), ("PNG", DocumentKind.PNG),
                                       ("HEIF", DocumentKind.HEIC)])
def test_a_photo_loses_its_location_and_camera(fmt, kind, tmp_path):
    content = samples.photo(fmt)
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(samples.GPS_IFD), "the sample has a location"
    with check(content, f"photo.{fmt.lower()}", tmp_path) as checked:
        assert checked.kind is kind and checked.metadata_removed
        with Image.open(checked.path) as kept:
            exif = kept.getexif()
            assert not exif.get_ifd(samples.GPS_IFD)
            assert 0x010F not in exif and not kept.info.get("exif")
            assert kept.size == (64, 48)
        assert b"PhoneMaker" not in checked.path.read_bytes()


def test_a_photo_is_turned_as_its_exif_said(tmp_path):
    image = Image.new("RGB", (60, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to show
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    with check(out.getvalue(), "turned.jpg", tmp_path) as checked:
        with Image.open(checked.path) as kept:
            assert kept.size == (20, 60)


def test_a_heic_that_is_not_a_picture_is_refused(tmp_path):
    # An ISO media 'ftyp' box of brand heic, and nothing a picture needs after it.
    fake = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert refusal(fake, "IMG.HEIC", tmp_path) == "The selected image could not be opened. Save it again and try again"


def test_an_image_too_large_to_draw_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(checks, "IMAGE_MAX_PIXELS", 100)
    assert refusal(samples.photo(), "big.jpg", tmp_path) == "The selected image could not be opened. Save it again and try again"


@pytest.mark.parametrize("size, words", [(10 * 1024 * 1024, "10MB"), (25 * 1024 * 1024, "25MB"),
                                         (1536 * 1024, "1.5MB"), (512 * 1024, "512KB")])
def test_megabytes_in_words(size, words):
    assert checks.megabytes(size) == words
