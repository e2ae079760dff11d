"""Reading a written edition back, for the edition's tests: each HTML page checked for well-formed markup and
parsed for what a reader, a crawler and a link preview see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL = re.compile(r"https?://[^\s\"'<>)\\]+")


@dataclass
class Checked:
    """What one page holds, as read by a strict parser."""

    problems: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    """Addresses on another host than the edition's, except the links of citations (`a rel=external`)."""


class _Strict(HTMLParser):
    def __init__(self, host: str) -> None:
        super().__init__(convert_charrefs=True)
        self.host = host
        self.stack: list[str] = []
        self.out = Checked()

    def _foreign(self, text: str) -> list[str]:
        return [u for u in URL.findall(text) if urlsplit(u).netloc != self.host]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.out.headings.append(int(tag[1]))
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            citation = tag == "a" and name == "href" and "external" in (values.get("rel") or "")
            if not citation:
                self.out.outside += self._foreign(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.out.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}> "
                                     f"at line {self.getpos()[0]}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.out.outside += self._foreign(data)


def check(text: str, host: str) -> Checked:
    """Well-formedness (every element closed in order), heading levels, addresses on other hosts."""
    parser = _Strict(host)
    if not text.lstrip().lower().startswith("<!doctype html>"):
        parser.out.problems.append("no <!doctype html>")
    parser.feed(text)
    parser.close()
    if parser.stack:
        parser.out.problems.append(f"never closed: {parser.stack}")
    return parser.out


def html_pages(root: Path) -> dict[str, str]:
    """Every HTML page of an edition: path -> text."""
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html"))}


def tree(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(text)


def meta(doc: lxml.html.HtmlElement, key: str) -> str | None:
    """A <meta name=...> or <meta property=...> content."""
    hit = doc.xpath(f"//meta[@name='{key}' or @property='{key}']/@content")
    return hit[0] if hit else None


def table_rows(doc: lxml.html.HtmlElement, table_id: str) -> dict[str, list[str]]:
    """A table's rows by the text of their first cell: the text of every cell."""
    rows = {}
    for tr in doc.xpath(f"//table[@id='{table_id}']/tbody/tr"):
        cells = [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        rows[cells[0]] = cells
    return rows
