"""Files for the case file's tests, made here: a small PDF, a Word document, plain text,
photos carrying a location in their EXIF, a renamed program and a zip bomb dressed as a
Word document."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

GPS_IFD = 0x8825


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def word(document_xml: bytes | None = None) -> bytes:
    body = document_xml or (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                            b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Letter from school</w:t>'
                            b'</w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                         'openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", body)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A Word document whose text unpacks to 40 MB of nothing from a few tens of KB."""
    return word(b"<w:document>" + b"\0" * (40 * 1024 * 1024) + b"</w:document>")


def program() -> bytes:
    """The start of a Windows program (an MZ header), whatever it is called."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program"


def text() -> bytes:
    return "My son's EHC plan review was cancelled twice.\nPlease call me.\n".encode()


def photo(fmt: str = "JPEG") -> bytes:  # JPEG, PNG or HEIF (a HEIC photo)
    """A photo with its location (latitude 51°30' N) and camera in its EXIF."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 0.0)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 0.0)
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def heic() -> bytes:
    """A HEIC photo (as an iPhone takes them) with its location and camera in its EXIF."""
    return photo("HEIF")
