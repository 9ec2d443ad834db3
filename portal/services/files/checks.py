"""What a file must be to join the case file, checked before anything is kept.

Issue 17, "Safe by default" (docs/case-file.md): the type is found from the content, never
from the name (``filetype``, then a closer look: a Word file is a zip holding
``word/document.xml``, plain text is UTF-8 without control characters); anything else is
refused. A Word file is opened as the zip it is and refused if it would unpack to far more
than it weighs (a zip bomb). JPEG and PNG images are drawn again by Pillow without their
metadata (a phone's photo says where it was taken); so are HEIC photos (an iPhone's
usual format), which Pillow reads and writes through the pillow-heif plug-in.

The upload is copied once, in chunks, into a temporary file (never whole in memory) while
its size is counted and its sha256 reckoned; ``Checked`` is that file, ready to store.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.services.common.errors import Refused
from portal.services.common.labels import DocumentKind

# Pillow opens HEIC photos once this plug-in is registered.
pillow_heif.register_heif_opener()

CHUNK = 1024 * 1024

CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.DOC: "application/msword",
    DocumentKind.TXT: "text/plain; charset=utf-8",
    DocumentKind.JPEG: "image/jpeg",
    DocumentKind.PNG: "image/png",
    DocumentKind.HEIC: "image/heic",
    DocumentKind.EML: "message/rfc822",
}
# The extensions a name may already have for each kind (anything else gets the kind's own).
EXTENSIONS = {
    DocumentKind.PDF: {"pdf"}, DocumentKind.DOCX: {"docx"}, DocumentKind.DOC: {"doc"},
    DocumentKind.TXT: {"txt", "text"}, DocumentKind.JPEG: {"jpg", "jpeg"}, DocumentKind.PNG: {"png"},
    DocumentKind.HEIC: {"heic", "heif"},
    DocumentKind.EML: {"eml"},
}
_BY_FILETYPE = {"pdf": DocumentKind.PDF, "docx": DocumentKind.DOCX, "doc": DocumentKind.DOC,
                "jpg": DocumentKind.JPEG, "png": DocumentKind.PNG, "heic": DocumentKind.HEIC}

# A zip inside a Word file: what it may unpack to, in all and against its own size.
ZIP_MAX_TOTAL = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 5000
# The largest image Pillow is asked to draw again (a 50 megapixel photo is bigger than any phone's).
IMAGE_MAX_PIXELS = 60_000_000
NAME_MAX = 200

WRONG_TYPE = "The selected file must be a PDF, Word document, plain text file, JPEG, PNG or HEIC"
EMPTY = "The selected file is empty"
NO_NAME = "Select a file"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Limits:
    """The settings a check needs (``from_config(app.config)``)."""

    file_max_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(file_max_bytes=config["FILE_MAX_BYTES"])


@dataclass
class Checked:
    """A file that passed: its content in a temporary file (``path``), which ``discard``
    removes (storing it copies it; the caller discards it either way)."""

    path: Path
    original_name: str
    safe_name: str
    kind: DocumentKind
    size_bytes: int
    sha256: str
    metadata_removed: bool

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    def open(self) -> BinaryIO:
        return open(self.path, "rb")

    def discard(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def __enter__(self) -> "Checked":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


def megabytes(size: int) -> str:
    """10485760 as "10MB" (GOV.UK's file upload messages); under a megabyte, in KB."""
    if size < 1024 * 1024:
        return f"{max(size // 1024, 1)}KB"
    value = size / (1024 * 1024)
    return f"{value:.0f}MB" if value >= 1 and value == int(value) else f"{value:.1f}MB"


def too_big(limits: Limits) -> str:
    return f"The selected file must be smaller than {megabytes(limits.file_max_bytes)}"


# --- The name --------------------------------------------------------------------------


def check_name(filename: str | None) -> str:
    """The name as sent, if it is one we will keep: refused with a clear message if it has
    hidden characters or a folder in it (``../``), or is longer than NAME_MAX."""
    name = (filename or "").strip()
    if not name:
        raise Refused(NO_NAME, "file")
    if _CONTROL.search(name):
        raise Refused("The selected file's name must not include hidden characters. "
                      "Rename the file and try again", "file")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise Refused("The selected file's name must not include a folder (a / or \\). "
                      "Rename the file and try again", "file")
    if len(name) > NAME_MAX:
        raise Refused(f"The selected file's name must be {NAME_MAX} characters or fewer. "
                      "Rename the file and try again", "file")
    return name


def safe_name(name: str, kind: DocumentKind) -> str:
    """A name fit for a download's Content-Disposition and any file system: letters
    (accents dropped), digits, single spaces, dots, dashes and underscores, no leading
    dot, and the extension of what the file really is."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", " ", stem)  # anything else (quotes, <, ;, spaces) a space
    stem = re.sub(r" +", " ", stem).strip(" ._")[:120].strip(" ._") or "document"
    extension = extension.lower() if extension.lower() in EXTENSIONS[kind] else kind.value
    return f"{stem}.{extension}"


# --- The content -----------------------------------------------------------------------


def inspect_upload(stream: BinaryIO, filename: str | None, limits: Limits,
                   workdir: str | Path | None = None) -> Checked:
    """Check one upload and return it ready to store, or refuse it (``Refused`` on the
    field "file") leaving nothing behind. ``workdir`` is where the temporary copy goes
    (beside the file store, so that storing it can be a rename)."""
    name = check_name(filename)
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=workdir)
    path = Path(temp)
    try:
        with os.fdopen(handle, "wb") as out:
            size = _copy(stream, out, limits)
        if size == 0:
            raise Refused(EMPTY, "file")
        kind = _kind_of(path)
        removed = False
        if kind is DocumentKind.DOCX:
            _check_zip(path)
        elif kind in (DocumentKind.JPEG, DocumentKind.PNG, DocumentKind.HEIC):
            _strip_metadata(path, kind)
            removed = True
        digest, size = digest_of(path)
        return Checked(path, name, safe_name(name, kind), kind, size, digest, removed)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _copy(stream: BinaryIO, out: BinaryIO, limits: Limits) -> int:
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > limits.file_max_bytes:
            raise Refused(too_big(limits), "file")
        out.write(chunk)
    return size


def digest_of(path: Path) -> tuple[str, int]:
    """The file's sha256 (as hex) and its size, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _kind_of(path: Path) -> DocumentKind:
    """What the content is, of the kinds accepted; refused otherwise."""
    guess = filetype.guess(str(path))
    if guess is not None:
        if guess.extension in ("docx", "zip"):
            if _is_word(path):
                return DocumentKind.DOCX
            raise Refused(WRONG_TYPE, "file")
        kind = _BY_FILETYPE.get(guess.extension)
        if kind is None:
            raise Refused(WRONG_TYPE, "file")
        return kind
    if _is_plain_text(path):
        return DocumentKind.TXT
    raise Refused(WRONG_TYPE, "file")


def _is_word(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _is_plain_text(path: Path) -> bool:
    """UTF-8 (a byte order mark allowed) with no control characters but tab, line feed,
    carriage return and form feed, read in chunks."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with open(path, "rb") as f:
        try:
            while chunk := f.read(CHUNK):
                if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", decoder.decode(chunk)):
                    return False
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _check_zip(path: Path) -> None:
    """Refuse a Word file that would unpack to too much: by what its entries say and by
    what they really unpack to (a forged size in the zip's directory is caught too)."""
    bomb = Refused("The selected Word document could not be opened safely. "
                   "Save it again, or save it as a PDF, and try again", "file")
    packed = path.stat().st_size
    limit = min(ZIP_MAX_TOTAL, max(packed, 1) * ZIP_MAX_RATIO)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > limit:
                raise bomb
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise bomb
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            RuntimeError) as exc:
        raise bomb from exc


def _strip_metadata(path: Path, kind: DocumentKind) -> None:
    """Draw the image again without its metadata (EXIF, with any location; XMP; comments),
    turned the way its EXIF said it should be shown, and write it over the upload."""
    unreadable = Refused("The selected image could not be opened. Save it again and try again", "file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > IMAGE_MAX_PIXELS:
                    raise unreadable
                image.load()
                shown = ImageOps.exif_transpose(image)
        clean = shown.copy()
        clean.info = {}  # pixels (and a palette) only: no EXIF, XMP, comments or text chunks
        if kind is DocumentKind.JPEG and clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        out = path.with_suffix(".clean")
        if kind is DocumentKind.JPEG:
            clean.save(out, "JPEG", quality=92, optimize=True)
        elif kind is DocumentKind.HEIC:
            clean.save(out, "HEIF", quality=92)
        else:
            clean.save(out, "PNG", optimize=True)
        shutil.move(out, path)
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        path.with_suffix(".clean").unlink(missing_ok=True)
        raise unreadable from exc
