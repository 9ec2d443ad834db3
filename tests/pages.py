"""A page as its reader gets it, checked for what every page must be (the ``get_page``
fixture in tests/conftest.py; GOV.UK Notify's ``client_request`` does the same):

- one <title> (besides any an SVG drawing has), not empty (WCAG 2.4.2; the GOV.UK pattern puts the page's question in it);
- no id used twice (labels, error links and HTMX targets each find one element);
- an error summary when, and only when, the title starts "Error: " (GOV.UK Design
  System, "Error summary": the two go together, so a screen reader hears the errors first);
- every inline <script> and <style> carries the nonce of the response's
  Content-Security-Policy (portal/security.py), or the browser would refuse to run it.

A ``Page`` is the page's HTML as a ``str``, so tests read it as they read any page
(``"Saved" in page``, ``re.search(..., page)``), with the parsed elements beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words inside, spaces collapsed."""
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag changes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


class Page(str):
    """The HTML of a response, with its parsed elements."""

    response: object
    root: Element

    def __new__(cls, html: str, response=None):
        page = super().__new__(cls, html)
        page.response = response
        builder = _Builder()
        builder.feed(html)
        builder.close()
        page.root = builder.root
        return page

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list[Element]:
        """Elements with this tag (any when None), this class among theirs and these attributes."""
        return [e for e in self.root.walk()
                if (tag is None or e.tag == tag) and (class_ is None or class_ in e.classes)
                and all(e.attrs.get(name) == value for name, value in attrs.items())]

    def by_id(self, id: str) -> Element:
        [element] = self.find_all(id=id)
        return element

    @property
    def titles(self) -> list[Element]:
        """The document's <title> elements (an SVG's own <title> names the drawing)."""
        drawn = {id(e) for svg in self.find_all("svg") for e in svg.walk()}
        return [e for e in self.find_all("title") if id(e) not in drawn]

    @property
    def title(self) -> str:
        return " ".join(e.text for e in self.titles)

    @property
    def text(self) -> str:
        """The words of the page's body, without its scripts and styles."""
        return " ".join(self._words(self.root))

    def _words(self, element: Element):
        for child in element.children:
            if isinstance(child, str):
                yield from child.split()
            elif child.tag not in ("script", "style", "head"):
                yield from self._words(child)

    @property
    def error_summary(self) -> list[str]:
        """The error summary's messages, in order; empty when there is none."""
        return [link.text for summary in self.find_all(class_="govuk-error-summary")
                for link in Page._links(summary)]

    @staticmethod
    def _links(element: Element) -> list[Element]:
        return [e for e in element.walk() if e.tag == "a"]


def csp_nonce(response) -> str | None:
    policy = response.headers.get("Content-Security-Policy", "") if response is not None else ""
    match = re.search(r"'nonce-([^']+)'", policy)
    return match.group(1) if match else None


def problems(page: Page) -> list[str]:
    """What is wrong with the page as every page must be (this module's docstring)."""
    found = []
    titles = page.titles
    if len(titles) != 1:
        found.append(f"{len(titles)} <title> elements, not one")
    elif not titles[0].text:
        found.append("the <title> is empty")
    twice = sorted(id for id, n in Counter(e.attrs["id"] for e in page.find_all() if e.attrs.get("id")).items()
                   if n > 1)
    if twice:
        found.append(f"ids used more than once: {', '.join(twice)}")
    says_errors = page.title.startswith("Error: ")
    has_summary = bool(page.find_all(class_="govuk-error-summary"))
    if says_errors and not has_summary:
        found.append("the title says there are errors but there is no error summary")
    if has_summary and not says_errors:
        found.append("there is an error summary but the title does not start \"Error: \"")
    nonce = csp_nonce(page.response)
    for element in page.find_all():
        inline = element.tag == "style" or (element.tag == "script" and not element.attrs.get("src"))
        if inline and (nonce is None or element.attrs.get("nonce") != nonce):
            found.append(f"an inline <{element.tag}> without the response's CSP nonce")
    return found


def checked_page(response, status: int = 200) -> Page:
    """The page of ``response``, which answered ``status``, after every page's checks."""
    html = response.get_data(as_text=True)
    assert response.status_code == status, f"{response.status_code}, not {status}: {html[:500]}"
    page = Page(html, response)
    wrong = problems(page)
    assert not wrong, f"{response.request.path}: " + "; ".join(wrong)
    return page


def letter_fields(page: str) -> dict:
    """The letters page's write form (staff/correspondence) as the browser would send it
    back: its hidden fields, the subject and the text."""
    import html

    fields = dict(re.findall(r'<input[^>]*name="(version|template_version|checked)"[^>]*value="([^"]*)"', page))
    fields["subject"] = html.unescape(re.search(r'name="subject"[^>]*value="([^"]*)"', page).group(1))
    fields["text"] = html.unescape(re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page,
                                             re.S).group(1)).lstrip("\n")
    return fields
