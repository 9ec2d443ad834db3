"""Files a person might send, made in the test: a small PDF, a photo with its location in
its EXIF, a program renamed, a Word document, a plain text file."""

from __future__ import annotations

import io
import zipfile

from PIL import ExifTags, Image

# Latitude 51° 30′ 26″ N, longitude 0° 7′ 39″ W: where the photo says it was taken.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
}


def pdf(text: str = "A letter from school", padding: int = 0) -> bytes:
    """A small PDF that says ``text`` (``padding`` bytes of comment make it as large as asked)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    if padding:
        out.write(b"%" + b"x" * (padding - 2) + b"\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_of_size(size: int) -> bytes:
    """A PDF of exactly ``size`` bytes."""
    padding = size - len(pdf())
    while len(made := pdf(padding=padding)) != size:  # the offsets' digits grow with the padding
        padding += size - len(made)
    return made


def photo_with_location(size=(64, 48)) -> bytes:
    """A JPEG whose EXIF says where it was taken (and on what camera)."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Test camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def location_of(jpeg: bytes) -> dict:
    """The GPS part of a JPEG's EXIF (empty when there is none)."""
    with Image.open(io.BytesIO(jpeg)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def program() -> bytes:
    """The start of a Windows program (what ``filetype`` knows an .exe by)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def word_document(text: str = "Notes of the meeting") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f'<?xml version="1.0"?><document>{text}</document>')
    return out.getvalue()


def text_file(text: str = "What happened on Tuesday.\n") -> bytes:
    return text.encode("utf-8")
