"""The public edition's parts that need no database: addresses, JSON in pages, the methodology's Markdown, the
atomic swap, the background refresh after changes, and the contrast of the stylesheet's colours."""

from __future__ import annotations

import json
import os
import re
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ctatracker.edition import files, seo
from ctatracker.edition.pages_about import markdown_html
from ctatracker.edition.refresh import Refresher
from ctatracker.edition.render import json_for_script

ASSETS = Path(__file__).resolve().parents[2] / "ctatracker" / "edition" / "assets"


def test_the_base_url_is_an_absolute_http_address_ending_in_a_slash() -> None:
    assert seo.base_url(None) == seo.DEFAULT_BASE_URL
    assert seo.base_url("https://tracker.example.org/cop") == "https://tracker.example.org/cop/"
    assert seo.path_of("https://tracker.example.org/cop/") == "/cop/"
    for bad in ("tracker.example.org", "/site/", "ftp://x.org/", "https://x.org/?a=1", "https://"):
        with pytest.raises(seo.BadBaseUrl, match="absolute http"):
            seo.base_url(bad)


def test_sitemap_and_robots() -> None:
    import datetime as dt

    tree = ET.fromstring(seo.sitemap(["https://x.org/", "https://x.org/a&b.html"], dt.date(2025, 3, 5)))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [e.text for e in tree.findall("s:url/s:loc", ns)] == ["https://x.org/", "https://x.org/a&b.html"]
    assert {e.text for e in tree.findall("s:url/s:lastmod", ns)} == {"2025-03-05"}
    assert "Sitemap: https://x.org/sitemap.xml" in seo.robots("https://x.org/")


def test_json_in_a_script_element_cannot_close_it() -> None:
    text = str(json_for_script({"title": "</script><script>alert(1)</script> & <!--"}))
    assert "</" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script> & <!--"}


def test_markdown_escapes_html_shifts_headings_and_keeps_only_links_the_edition_can_follow() -> None:
    html = markdown_html("# Title\n\n## 1. Part\n\n<script>x()</script>\n\nSee [licences](licences.md), "
                         "[the source](https://example.org/a) and [part 1](#1-part).\n\n"
                         "| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="title">Title</h2>' in html and '<h3 id="1-part">1. Part</h3>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "licences.md" not in html and "See licences," in html
    assert '<a href="https://example.org/a" rel="external noopener">the source</a>' in html
    assert '<a href="#1-part">part 1</a>' in html and '<th scope="col">a</th>' in html


def _edition(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / files.MARKER).write_text("x")
    (path / "index.html").write_text(text)
    return path


def test_the_swap_puts_the_new_edition_in_place_whole_and_removes_the_old(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = files.temporary(out)
    (first / "index.html").write_text("one")
    files.swap_in(first, out)
    assert (out / "index.html").read_text() == "one" and not first.exists()
    second = files.temporary(out)
    (second / "index.html").write_text("two")
    files.swap_in(second, out)
    assert (out / "index.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it


def test_a_folder_that_is_not_an_edition_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(files.NotAnEdition, match="holds other files"):
        files.check_replaceable(tmp_path / "mine")
    (tmp_path / "file").write_text("x")
    with pytest.raises(files.NotAnEdition, match="is a file"):
        files.check_replaceable(tmp_path / "file")
    (tmp_path / "empty").mkdir()
    files.check_replaceable(tmp_path / "empty")
    files.check_replaceable(_edition(tmp_path / "old", "x"))


def test_leftovers_of_a_killed_build_are_removed_and_a_running_ones_kept(tmp_path: Path) -> None:
    out = tmp_path / "site"
    dead = tmp_path / ".site.999999999.1.tmp"
    dead.mkdir()
    import subprocess
    import sys

    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = tmp_path / f".site.{running.pid}.2.tmp"
        alive.mkdir()
        assert files.remove_leftovers(out) == 1
        assert alive.exists() and not dead.exists()
    finally:
        running.kill()
        running.wait()


def test_large_text_files_get_a_gzip_sibling(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "big.js").write_text("x" * (files.GZIP_MIN_BYTES + 1))
    (tmp_path / "small.js").write_text("x")
    (tmp_path / "image.png").write_bytes(b"x" * (files.GZIP_MIN_BYTES + 1))
    assert files.gzip_siblings(tmp_path) == 1
    assert gzip.decompress((tmp_path / "big.js.gz").read_bytes()) == (tmp_path / "big.js").read_bytes()


def test_changes_during_a_build_lead_to_exactly_one_more_build() -> None:
    started, release = threading.Event(), threading.Event()
    calls = []

    def build() -> None:
        calls.append(1)
        started.set()
        release.wait(10)

    r = Refresher(build)
    r.request()
    assert started.wait(10)
    for _ in range(5):
        r.request()  # while the first build runs
    release.set()
    assert r.wait(20)
    assert len(calls) == 2 and r.builds == 2


def test_a_failed_build_is_reported_and_the_next_change_tries_again() -> None:
    outcomes = iter([RuntimeError("disk full"), None])

    def build() -> None:
        exc = next(outcomes)
        if exc:
            raise exc

    r = Refresher(build)
    r.request()
    assert r.wait(10) and isinstance(r.last_error, RuntimeError)
    r.request()
    assert r.wait(10) and r.last_error is None and r.builds == 1


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_text_colour_of_the_stylesheet_reads_at_4_5_to_1_or_more() -> None:
    css = (ASSETS / "site.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("ink", "paper"), ("muted", "paper"), ("link", "paper"), ("ink", "soft"), ("muted", "soft"),
             ("link", "soft"), ("band-ink", "band")]
    for text, background in pairs:
        assert contrast(colours[text], colours[background]) >= 4.5, (text, background)
    assert contrast("#777777", "#ffffff") < 4.5  # the check can fail


def test_the_vendored_plotly_bundle_is_the_installed_version_and_keeps_its_licence() -> None:
    import plotly

    bundle = (ASSETS / "plotly.min.js").read_bytes()
    installed = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    version = re.search(rb"plotly\.js v([\d.]+)", bundle[:200]).group(1)
    assert re.search(rb"plotly\.js v([\d.]+)", installed[:200]).group(1) == version, "run `make plotly-bundle`"
    assert len(bundle) < len(installed) / 2  # the partial bundle, not the full one
    licence = (ASSETS / "plotly.LICENSE.txt").read_text()
    assert f"plotly.js v{version.decode()}" in licence and "MIT" in licence
    assert "Permission is hereby granted" in licence
    assert os.path.getsize(ASSETS / "card.png") > 1000


def test_a_change_is_said_in_words_field_by_field() -> None:
    from ctatracker.edition.pages_status import change_words

    lines = [{"field": "value", "old value": "4.1", "new value": "4.3"},
             {"field": "note", "old value": None, "new value": "revised"},
             {"field": "url", "old value": "https://a.example", "new value": None},
             {"field": "the whole record", "old value": "present", "new value": "removed"}]
    assert change_words(lines) == ["Value: from 4.1 to 4.3.", "Note: set to revised.",
                                   "Url: https://a.example removed.", "The record was removed."]


def test_images_are_drawn_with_the_editions_plotly_js_and_tabs_kept_between_images() -> None:
    import kaleido

    from ctatracker.edition import cards

    drawer = cards._kaleido(1)
    assert type(drawer) is not kaleido.Kaleido  # the installed kaleido returns its tabs as cards expects
    assert cards.PLOTLY_JS == ASSETS / "plotly.min.js" and 1 < cards.RELOAD_EVERY <= 50
