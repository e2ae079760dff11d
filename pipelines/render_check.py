"""A pack as a reader sees it: the deck and the brief rendered by LibreOffice to PDF, pages as PNG, and the checks
the tests make (pages, text inside its page).

`python -m pipelines.render_check --out DIR` builds a regional pack and a one-country pack for Sri Lanka and
writes a PNG of every slide and page into DIR (`make deck-png`), for a person to look at.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

INSTALL_HINT = "apt-get install -y libreoffice-impress libreoffice-writer poppler-utils"


def tools_missing() -> list[str]:
    """The programs rendering needs that are not installed."""
    return [t for t in ("soffice", "pdftotext", "pdftoppm") if shutil.which(t) is None]


def to_pdf(document: Path, out_dir: Path) -> Path:
    """The document converted to PDF by LibreOffice (headless, a private profile so it never meets a running one)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(document)], check=True, capture_output=True, timeout=180)
    pdf = out_dir / f"{document.stem}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {document.name}")
    return pdf


def to_png(pdf: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """One PNG per page of the PDF: <stem>-01.png, ..."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / pdf.stem)], check=True,
                   capture_output=True, timeout=180)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


@dataclass(frozen=True)
class Word:
    """A word on a page, with its box in points."""

    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """A page's size in points and its words."""

    number: int
    width: float
    height: float
    words: list[Word]

    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def outside(self, margin: float = 0.5) -> list[Word]:
        """Words whose box lies (partly) outside the page."""
        return [w for w in self.words if w.x0 < -margin or w.y0 < -margin or w.x1 > self.width + margin
                or w.y1 > self.height + margin]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def pages(pdf: Path) -> list[Page]:
    """Every page of the PDF with its words' boxes (`pdftotext -bbox`)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True,
                          timeout=120).stdout
    out = []
    for n, (width, height, body) in enumerate(_PAGE.findall(html), start=1):
        words = [Word(n, unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in _WORD.findall(body)]
        out.append(Page(n, float(width), float(height), words))
    return out


def render_packs(out: Path, db: Path | None = None) -> list[Path]:
    """Build a regional pack and a one-country pack for Sri Lanka, render them and write their pages as PNG."""
    from ctatracker.briefing.pack import build_pack
    from ctatracker.config import settings
    from ctatracker.store.database import connect

    out.mkdir(parents=True, exist_ok=True)
    con = connect(db or settings().db_path, read_only=True)
    written: list[Path] = []
    try:
        for stem, countries in (("regional", None), ("sri-lanka", ["LKA"])):
            result = build_pack(con, countries=countries, action_areas=None, out_pptx=out / f"{stem}.pptx",
                                out_docx=out / f"{stem}-brief.docx")
            for doc in (result.pptx, result.docx):
                pdf = to_pdf(doc, out)
                written += to_png(pdf, out / "png")
    finally:
        con.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.render_check", description=__doc__)
    parser.add_argument("--out", default="build/deck-png", help="folder for the packs, PDFs and PNGs")
    parser.add_argument("--db", help="database file (default data/tracker.duckdb)")
    args = parser.parse_args(argv)
    missing = tools_missing()
    if missing:
        print(f"Rendering needs {', '.join(missing)}: {INSTALL_HINT}", file=sys.stderr)
        return 1
    written = render_packs(Path(args.out), Path(args.db) if args.db else None)
    print(f"Wrote {len(written)} pictures to {Path(args.out) / 'png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
