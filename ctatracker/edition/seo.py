"""What search engines and link previews read: sitemap.xml, robots.txt and the base URL every absolute address is
made from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

DEFAULT_BASE_URL = "http://localhost:8000/"
"""Where `python -m http.server 8000`, run in the edition's folder, serves it."""


class BadBaseUrl(ValueError):
    """The base URL is not an absolute http(s) address."""


def base_url(text: str | None) -> str:
    """An absolute http(s) address ending in '/' (the default when none is given)."""
    url = (text or DEFAULT_BASE_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BadBaseUrl(f"--base-url must be an absolute http or https address such as https://tracker.example.org/"
                         f", not {text!r}.")
    return url if url.endswith("/") else url + "/"


def path_of(base: str) -> str:
    """The path part of a base URL: '/', '/tracker/'."""
    return urlsplit(base).path or "/"


def sitemap(urls: Iterable[str], lastmod: dt.date) -> str:
    """sitemap.xml listing every address, each with the date of the data."""
    items = "".join(f"  <url><loc>{escape(u)}</loc><lastmod>{lastmod.isoformat()}</lastmod></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{items}</urlset>\n')


def robots(base: str) -> str:
    """robots.txt: everything may be read; where the sitemap is."""
    return f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n"
