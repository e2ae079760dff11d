"""Text that people typed (or any text from the database) shown as text inside Streamlit Markdown.

Streamlit renders Markdown, GitHub autolinks, `:color[...]` and other directives, `:emoji:` and
`:material/icon:` shortcodes and `$math$`. Contributed text must show none of them: `md()` escapes with a backslash
every character that starts Markdown anywhere in a line (\\ * _ [ ] ( ) ! : < > # ` ~ | $ & @ { } ^) and those
that start a block at the beginning of a line (- + = and the dot or bracket after a number), which CommonMark shows
as the literal character; and it puts an invisible word joiner (U+2060) after every colon and at-sign and inside
`www.`, because autolinks and shortcodes are found in the text after the Markdown is parsed, where backslashes no
longer count. Line breaks become Markdown hard breaks (or spaces), so contributed text never starts a new block.
Links come only from `link()`: a URL field checked to be http(s), shown by its domain.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pandas as pd

JOINER = "\u2060"
_INLINE = re.compile(r"([\\`*_\[\]()!:<>#~|$&@{}^])")
_LINE_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])(?=\s|$)")
_BREAK_AFTER = re.compile(r"([:@])")
_WWW = re.compile(r"(www)(\.)", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")
_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def _is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas NA (a text that reads 'nan' is text)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or another value without one truth
        return False


def _escape_line(line: str) -> str:
    escaped = _INLINE.sub(r"\\\1", line)  # none of these is a line-start character: nothing is escaped twice
    escaped = _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
                              escaped)
    escaped = _BREAK_AFTER.sub(r"\1" + JOINER, escaped)
    return _WWW.sub(r"\1" + JOINER + r"\2", escaped)


def md(value: object, *, lines: bool = False) -> str:
    """`value` as Markdown that shows exactly its text. Missing values give ''.

    With `lines=True` its line breaks are kept (as Markdown hard breaks); otherwise all whitespace runs become one
    space, so that the text can sit inside a sentence, a list item or a label.
    """
    if _is_missing(value):
        return ""
    text = _CONTROL.sub("", str(value))
    if not lines:
        return _escape_line(" ".join(text.split()))
    kept = [_SPACES.sub(" ", line).strip() for line in _NEWLINES.split(text)]
    return "  \n".join(_escape_line(line) for line in kept if line)


def safe_url(value: object) -> str | None:
    """The URL if it is a well-formed http(s) address with a host, percent-encoded for a Markdown link; else None."""
    if _is_missing(value):
        return None
    url = str(value).strip()
    if not url or re.search(r"[\s\x00-\x1f\x7f\\]", url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return quote(url, safe=_URL_SAFE)


def domain(value: object) -> str | None:
    """The host of an http(s) URL without 'www.', e.g. 'iea.org'; None if it is not one."""
    url = safe_url(value)
    if url is None:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def link(url: object, label: str | None = None) -> str:
    """A Markdown link shown as its domain ('label (iea.org)' with the domain clickable); '' if the URL is unsafe.

    `label` is escaped; only the domain, taken from a checked http(s) URL, is ever a link.
    """
    target, host = safe_url(url), domain(url)
    if target is None or host is None:
        return md(label) if label else ""
    anchor = f"[{md(host)}]({target})"
    return f"{md(label)} ({anchor})" if label else anchor


def bullets(items: list[object], empty: str) -> str:
    """Escaped items as a Markdown list, or `empty` (trusted Markdown) when there are none."""
    shown = [md(i) for i in items if not _is_missing(i)]
    return "\n".join(f"- {s}" for s in shown) if shown else empty


def problem_lines(message: object) -> str:
    """A message quoting a file's contents (its first line, then one problem per line) as escaped Markdown: the
    first line as a paragraph, each problem as a list item. Never a code block, which a backtick fence in the
    file would close."""
    first, *rest = [line.strip() for line in str(message).splitlines() if line.strip()] or [""]
    return md(first) + ("\n\n" + bullets(rest, "") if rest else "")


DOMAIN_PATTERN = r"^https?://(?:www\.)?([^/?#:]+)"
"""For st.column_config.LinkColumn(display_text=...): a link column shows each URL's domain."""


def as_shown(markdown: str) -> str:
    """The text a reader sees for Markdown made by md() (escapes and joiners removed; for tests and logs)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(JOINER, "")
