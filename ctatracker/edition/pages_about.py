"""The methodology (docs/methodology.md as HTML, with the bibliography) and the data package with its download
page (the open-data package written by `io.open_data`, as files and as one zip)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ctatracker.config import settings
from ctatracker.edition.model import Cell, Page, Table
from ctatracker.edition.read import Published
from ctatracker.io.datapackage import EXPORT_TABLES, table_counts, withheld
from ctatracker.io.open_data import citation, export, zip_bytes, zip_name
from ctatracker.model.schema import TABLES
from ctatracker.store.queries import Cursor

PACKAGE_DIR = "data/package"
"""Where the open-data package's files go in the edition."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _outside(href: str) -> bool:
    return href.startswith(("http://", "https://"))


def _inline(children: list[Token]) -> list[Token]:
    """Links to outside hosts marked external; links to files the edition does not hold kept as their words."""
    out: list[Token] = []
    dropped = 0
    for t in children:
        if t.type == "link_open":
            href = str(t.attrGet("href") or "")
            if _outside(href):
                t.attrSet("rel", "external noopener")
            elif not href.startswith("#"):
                dropped += 1
                continue
        elif t.type == "link_close" and dropped:
            dropped -= 1
            continue
        out.append(t)
    return out


def markdown_html(text: str, shift: int = 1) -> str:
    """Markdown as HTML: raw HTML in it escaped, headings one level down (the page has its own h1) with ids to link
    to, tables kept."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    seen: dict[str, int] = {}
    for i, t in enumerate(tokens):
        if t.type in ("heading_open", "heading_close"):
            t.tag = f"h{min(6, int(t.tag[1]) + shift)}"
            if t.type == "heading_open":
                slug = _slug(tokens[i + 1].content)
                seen[slug] = seen.get(slug, 0) + 1
                t.attrSet("id", slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
        if t.type == "th_open":
            t.attrSet("scope", "col")
        if t.type == "inline" and t.children:
            t.children = _inline(t.children)
    return md.renderer.render(tokens, md.options, {})


def _year(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(int(value))


def bibliography(sources: pd.DataFrame) -> Table:
    """Every source: publisher, year, title (linked), licence, how many records cite it."""
    rows = tuple((r["publisher"], _year(r["year"]), Cell(r["title"], href=r["url"] if isinstance(r["url"], str)
                                                          and r["url"] else None),
                  r["licence"] if isinstance(r["licence"], str) and r["licence"] else "not stated",
                  str(int(r["cited_by"]))) for r in sources.to_dict("records"))
    return Table(f"The {len(sources)} sources the tracker cites", ("Publisher", "Year", "Title", "Licence",
                                                                   "Cited by (records)"), rows, "sources")


def methodology_page(pub: Published) -> Page:
    """docs/methodology.md as HTML, then the bibliography."""
    path = settings().docs_dir / "methodology.md"
    body = markdown_html(path.read_text(encoding="utf-8")) if path.exists() else None
    return Page("methodology.html", "Methodology and sources",
                "How the tracker assesses progress against the 2030 ambitions (the statuses, the 30% question, Euro "
                "VI, transport CO₂, matching support to gaps) and every source it cites, with its licence.",
                "methodology.html", {"body": body, "bibliography": bibliography(pub.sources)}, [],
                {str(s) for s in pub.sources["id"]}, nav="methodology")


def write_package(cur: Cursor, root: Path, as_of: Any) -> dict[str, Any]:
    """Write the open-data package under `root`/data/package and its zip beside it; what the download page lists."""
    folder = root / PACKAGE_DIR
    counts = export(cur, folder)
    name = zip_name(as_of)
    (root / "data" / name).write_bytes(zip_bytes(cur))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return {"counts": counts, "zip": f"data/{name}", "zip_bytes": (root / "data" / name).stat().st_size,
            "package": package, "withheld": withheld(cur)}


def data_page(pub: Published, written: dict[str, Any], cur: Cursor) -> Page:
    """Download all data: what each table holds, its files, the rows left out for their licence, how to cite."""
    counts = table_counts(cur)
    rows = tuple((name.replace("_", " ").capitalize(), (TABLES[name].__doc__ or "").strip().splitlines()[0],
                  f"{counts.get(name, 0):,}", Cell("CSV", href=f"{PACKAGE_DIR}/csv/{name}.csv"),
                  Cell("Parquet", href=f"{PACKAGE_DIR}/parquet/{name}.parquet")) for name in EXPORT_TABLES)
    table = Table("The tables of the package", ("Table", "What it holds", "Rows", "CSV", "Parquet"), rows, "tables")
    licences = [lic.get("title") or lic.get("name") for lic in written["package"].get("licenses", [])]
    return Page("data.html", "Download all data",
                "Every table the tracker publishes as CSV and Parquet with a Frictionless data package: figures "
                "with their sources and years, stages, targets, policies, standards, activities and sources.",
                "data.html", {"table": table, "zip": written["zip"], "zip_mb": written["zip_bytes"] / 1e6,
                              "package_dir": PACKAGE_DIR, "withheld": written["withheld"], "licences": licences,
                              "citation": citation(written["package"])}, [],
                {str(s) for s in pub.sources["id"]}, nav="data")
