"""HTML mail shown as text: what a person would read, without markup, scripts or styles.

Nothing of the HTML is ever rendered to staff: an email's HTML could carry scripts,
tracking images or forms. The standard library's parser reads it; block elements become
line breaks, links keep their address after their words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
           "ul", "ol", "hr", "pre", "section", "article", "header", "footer"}
_SKIPPED = {"script", "style", "head", "title", "template", "noscript"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")
            if tag == "blockquote":
                self.quote_depth += 1
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS and tag != "li":
            self.parts.append("\n")
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "a":
            if self.href and self.href.startswith(("http://", "https://")) and self.href not in "".join(self.parts[-3:]):
                self.parts.append(f" ({self.href})")
            self.href = None

    def handle_data(self, data):
        if self.skipping:
            return
        text = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.quote_depth and text.strip():
            text = "> " * self.quote_depth + text.lstrip()
        self.parts.append(text)


def to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).replace("\xa0", " ").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
