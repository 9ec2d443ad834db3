"""A letter as its PDF on the organisation's letterhead, as a Word document, and a batch
of letters to post as one PDF (issue 18, 3).

The letterhead: the organisation's name and logo (``ORG_LOGO``, a file, embedded), its
address, phone and email; then the person's name and address, the date, the reference,
the subject and the text; "Page N of M" at the foot of each page. The PDF is tagged
(``pdf_tags``: headings and paragraphs a screen reader can follow) with its language and
title. The stylesheet is in templates/letters/letter_pdf.html.

WeasyPrint needs Pango (as for the report's PDF), so it is imported only when a PDF is made.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template

from portal.services.common.pdfs import tagged_pdf

LOGO_TYPES = {"image/png", "image/jpeg", "image/svg+xml"}


@dataclass(frozen=True)
class Page:
    """What a letter's page shows."""

    subject: str
    text: str
    date: str
    reference: str | None = None
    to_name: str | None = None
    to_address: str | None = None

    @property
    def to_lines(self) -> str:
        return "\n".join(part for part in (self.to_name, self.to_address) if part)

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip("\n") for p in re.split(r"\n\s*\n", self.text.strip()) if p.strip()]


def _org() -> dict:
    cfg = current_app.config
    return {"name": cfg["ORG_NAME"], "address": cfg["ORG_ADDRESS"], "phone": cfg["ORG_PHONE"],
            "email": cfg["ORG_EMAIL"], "colour": cfg["ORG_COLOUR"]}


def logo_data_url() -> str | None:
    """The logo from ``ORG_LOGO`` as a data: address (nothing is fetched while printing)."""
    path = current_app.config.get("ORG_LOGO")
    if not path:
        return None
    kind = mimetypes.guess_type(path)[0]
    if kind not in LOGO_TYPES or not Path(path).is_file():
        current_app.logger.warning("ORG_LOGO %s is not a PNG, JPEG or SVG file: letters go without it", path)
        return None
    return f"data:{kind};base64," + base64.b64encode(Path(path).read_bytes()).decode()


def pdf(pages: list[Page], title: str) -> bytes:
    """The letters as one tagged PDF, each starting on a new page."""
    html = render_template("letters/letter_pdf.html", letters=pages, title=title, org=_org(),
                           logo=logo_data_url())
    return tagged_pdf(html)


def word(page: Page) -> bytes:
    """The letter as a Word document, for officers who finish letters in Word."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    org = _org()
    document = Document()
    document.core_properties.title = page.subject
    document.core_properties.author = org["name"]
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    heading = document.add_paragraph()
    heading.add_run(org["name"]).bold = True
    address = document.add_paragraph(f"{org['address']}\n{org['phone']}\n{org['email']}")
    address.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if page.to_lines:
        document.add_paragraph(page.to_lines)
    document.add_paragraph(page.date + (f"\nReference: {page.reference}" if page.reference else ""))
    document.add_heading(page.subject, level=1)
    for paragraph in page.paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
