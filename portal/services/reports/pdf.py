"""The report as a PDF for printing and sharing, drawn by WeasyPrint from the same document
as the reports page (``document.build_document``), with the same SVG charts.

A4, Arial (or Liberation Sans, its metric twin), the organisation's name (``ORG_NAME``) and
the period in the page header, "Page N of M" in the footer. The stylesheet is a ``<style>``
block in templates/staff/report_pdf.html, a template that never reaches a browser.

Tagged for screen readers, as every PDF the portal makes (portal/services/common/pdfs.py).
"""

from __future__ import annotations

from flask import current_app, render_template
from markupsafe import Markup

from portal.services.common.pdfs import tagged_pdf
from portal.services.reports.document import Document


def to_pdf(document: Document) -> bytes:
    """The document as PDF bytes (needs an application context for the template)."""
    org_name = current_app.config["ORG_NAME"]
    html = render_template("staff/report_pdf.html", document=document, org_name=org_name,
                           org_css=css_string(org_name), period_css=css_string(document.period_text))
    return tagged_pdf(html)


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string for the page header. HTML escaping does not apply
    inside <style> (an apostrophe would print as &#39;), so escape for CSS instead."""
    escaped = "".join(c if c.isalnum() or c in " .,'-&()" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')
