"""Reading back the PDFs the portal makes, with poppler-utils (installed by .ci/run)."""

from __future__ import annotations

import subprocess
import tempfile


def pdf_info(data: bytes) -> str:
    """What ``pdfinfo`` says of the PDF: its title, page size, and whether it is tagged."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=True).stdout


def is_tagged(data: bytes) -> bool:
    """Whether a screen reader finds the PDF's structure (headings, paragraphs, tables)."""
    return "Tagged:          yes" in pdf_info(data)
