"""deploy/edition-nginx.conf, run by Debian's nginx over an edition of the seed data: every page of the sitemap and
every embeddable chart answered as a browser asks for it (200, its type, gzip when accepted), pages kept minutes
and content-hashed assets a year (immutable), precompressed files sent as written, and the edition's 404 page for
an address it does not hold."""

from __future__ import annotations

import gzip
import http.client
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from ctatracker.edition.build import write_edition_file
from ctatracker.edition.model import Written
from tests.conftest import require
from tests.deploy.stack import Nginx, nginx_missing, start_edition_nginx, stop_nginx

BASE = "https://tracker.example.org/"
PAGE_CACHE = "public, max-age=300"
ASSET_CACHE = "public, max-age=31536000, immutable"
HASHED = re.compile(r"^assets/(?:[^/]+\.[0-9a-f]{10}(?:\.[a-z]+)+|topojson\.[0-9a-f]{10}/[^/]+)$")


@dataclass
class Served:
    nginx: Nginx
    edition: Written


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@pytest.fixture(scope="module")
def served(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require(nginx_missing())
    folder = tmp_path_factory.mktemp("edition-nginx")
    edition = write_edition_file(built_db, folder / "public" / "site", BASE, cards=False)
    nginx = start_edition_nginx(folder / "nginx", edition.out)
    try:
        yield Served(nginx, edition)
    finally:
        stop_nginx(nginx)


def _get(served: Served, path: str, *, gzip_ok: bool = False, method: str = "GET") -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", served.nginx.http_port, timeout=30)
    try:
        conn.request(method, "/" + path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def _sitemap_paths(served: Served) -> list[str]:
    doc = etree.fromstring((served.edition.out / "sitemap.xml").read_bytes())
    urls = doc.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert urls and all(u.startswith(BASE) for u in urls)
    return [urlsplit(u).path.lstrip("/") for u in urls]


def _file_of(served: Served, path: str) -> Path:
    target = served.edition.out / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def test_every_page_of_the_sitemap_and_every_embed_is_served_compressed_and_kept_minutes(served: Served) -> None:
    embeds = [p for p in served.edition.pages if p.startswith("embed/")]
    paths = _sitemap_paths(served) + embeds
    assert len(embeds) >= 10 and "countries/" in paths and "" in paths
    for path in paths:
        plain, zipped = _get(served, path), _get(served, path, gzip_ok=True)
        expected = _file_of(served, path).read_bytes()
        for reply in (plain, zipped):
            assert reply.status == 200, (path, reply.status)
            assert reply.header("Content-Type") == "text/html; charset=utf-8", path
            assert reply.header("Cache-Control") == PAGE_CACHE, path
            assert "immutable" not in reply.header("Cache-Control")
            assert "Accept-Encoding" in reply.header("Vary"), path
        assert not plain.header("Content-Encoding") and plain.body == expected, path
        assert zipped.header("Content-Encoding") == "gzip", path
        assert gzip.decompress(zipped.body) == expected and len(zipped.body) < len(expected), path


def test_hashed_assets_are_immutable_and_precompressed_files_are_sent_as_written(served: Served) -> None:
    assets = served.edition.assets
    loaded = [v for k, v in assets.items() if not k.endswith("/")]
    loaded.append(assets["topojson/"] + "asia_50m.json")
    types = {".js": "application/javascript", ".css": "text/css", ".png": "image/png", ".txt": "text/plain",
             ".json": "application/json"}
    for path in loaded:
        assert HASHED.match(path), path
        reply = _get(served, path, gzip_ok=True)
        assert reply.status == 200, path
        assert reply.header("Cache-Control") == ASSET_CACHE, path
        assert reply.header("Content-Type").split(";")[0] == types[Path(path).suffix], path
        sibling = served.edition.out / (path + ".gz")
        if sibling.is_file():  # gzip_static: the .gz written by the build, byte for byte
            assert reply.header("Content-Encoding") == "gzip" and reply.body == sibling.read_bytes(), path
        body = gzip.decompress(reply.body) if reply.header("Content-Encoding") == "gzip" else reply.body
        assert body == (served.edition.out / path).read_bytes(), path
    plotly = _get(served, assets["plotly.min.js"], gzip_ok=True)
    assert plotly.header("Content-Encoding") == "gzip" and len(plotly.body) < 2_000_000
    assert _get(served, assets["site.css"], gzip_ok=True).header("Content-Encoding") == "gzip"  # gzip on the fly


def test_data_files_crawler_files_and_folders(served: Served) -> None:
    out = served.edition.out
    csv = next((out / "data" / "package").rglob("*.csv")).relative_to(out).as_posix()
    for path, kind in (("sitemap.xml", "text/xml"), ("robots.txt", "text/plain"), ("data/compare.json",
                                                                                    "application/json"),
                       (csv, "text/csv")):
        reply = _get(served, path, gzip_ok=True)
        assert reply.status == 200 and reply.header("Content-Type") == f"{kind}; charset=utf-8", (path, reply.headers)
        assert reply.header("Cache-Control") == PAGE_CACHE, path
    folder = _get(served, "countries")
    assert folder.status == 301 and folder.header("Location") == "/countries/"
    assert _get(served, "countries/").body == (out / "countries" / "index.html").read_bytes()


def test_an_address_the_edition_does_not_hold_gets_its_404_page(served: Served) -> None:
    for path in ("no-such-page.html", "countries/xyz.html", "assets/site.0000000000.css"):
        reply = _get(served, path)
        assert reply.status == 404, path
        assert reply.header("Content-Type") == "text/html; charset=utf-8"
        assert reply.body == (served.edition.out / "404.html").read_bytes(), path
        assert b"Page not found" in reply.body
