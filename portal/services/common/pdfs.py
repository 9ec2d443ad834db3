"""Every PDF the portal makes (reports, letters, subject access releases, bundle indexes)
is drawn here, so that each is tagged: headings, paragraphs, lists and tables a screen
reader can follow (WCAG 2.2 for documents; WeasyPrint's ``pdf_tags``), in the language the
template's ``<html lang>`` gives.

WeasyPrint needs Pango, a system library (Debian: libpango-1.0-0, which comes with
Chromium), so it is imported only when a PDF is made. Nothing is fetched from outside:
pictures and charts are ``data:`` addresses and the fonts are the system's, and anything
that fails to load stops the PDF rather than leaving a gap.
"""

from __future__ import annotations


def tagged_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)
