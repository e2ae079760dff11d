"""python -m pipelines site --out DIR [--db FILE] [--base-url URL] [--no-cards]: the public edition as plain files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ctatracker.config import settings


def cmd_site(args: argparse.Namespace) -> int:
    """Write the public edition of a database (opened read-only) into a folder, replacing the edition there in one
    step."""
    from ctatracker.edition.build import write_edition_file
    from ctatracker.edition.files import NotAnEdition
    from ctatracker.edition.seo import DEFAULT_BASE_URL, BadBaseUrl

    db_path = Path(args.db) if args.db else settings().db_path
    base = args.base_url or settings().site_base_url
    try:
        done = write_edition_file(db_path, Path(args.out), base, cards=not args.no_cards)
    except (NotAnEdition, BadBaseUrl) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in done.lines():
        print(line)
    if not base:
        print(f"Links, the sitemap and preview images point at {DEFAULT_BASE_URL}; give --base-url with the public "
              "address before publishing it.")
    print(f"Serve it with any web server, e.g. `python -m http.server 8000 --directory {done.out}`.")
    return 0


def add_site_parser(subparsers: Any) -> None:
    """Register `site` on the `python -m pipelines` sub-command parser."""
    p = subparsers.add_parser("site", help="write the public edition: static pages, charts others can embed, the "
                              "data package (served by any web server or CDN)")
    p.add_argument("--out", required=True, help="folder of the edition (replaced in one step; created if missing)")
    p.add_argument("--db", help="database file (default data/tracker.duckdb), e.g. the published snapshot")
    p.add_argument("--base-url", help="the public address the edition is served at, e.g. https://tracker.example.org/ "
                   "(canonical links, sitemap, link previews; default CTA_SITE_BASE_URL, else http://localhost:8000/)")
    p.add_argument("--no-cards", action="store_true", help="draw no preview images (changed pages get the generic one)")
    p.set_defaults(func=cmd_site)
