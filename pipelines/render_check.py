"""A pack as a reader sees it: the deck and the brief rendered by LibreOffice to PDF, pages as PNG, and the checks
the tests make (pages, text inside its page, and on the deck itself: words per slide, the smallest text, text
shrunk to fit, the alt text of every chart).

`python -m pipelines.render_check --out DIR` builds a regional pack and a one-country pack for Sri Lanka, writes a
PNG of every slide and page into DIR (`make deck-png`), for a person to look at, and prints what it measured.
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
from typing import Any

INSTALL_HINT = "apt-get install -y libreoffice-impress libreoffice-writer poppler-utils fonts-crosextra-carlito"


def _carlito() -> bool:
    """Whether the Carlito font (Calibri's metric twin, which LibreOffice uses for the packs' Calibri) is there."""
    if shutil.which("fc-list") is None:
        return False
    fonts = subprocess.run(["fc-list", ":family=Carlito"], capture_output=True, text=True, timeout=60).stdout
    return bool(fonts.strip())


def tools_missing() -> list[str]:
    """The programs and the font rendering needs that are not installed."""
    missing = [t for t in ("soffice", "pdftotext", "pdftoppm") if shutil.which(t) is None]
    return missing + ([] if _carlito() else ["the Carlito font"])


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


APPENDIX = ("Appendix", "Sources")
"""Titles of appendix slides start with one of these; the slides before the first are the main slides."""


@dataclass(frozen=True)
class SlideMeasure:
    """What a slide holds, as measured in the .pptx: its words (title, notes and footer left out), its smallest
    text in text boxes and in tables (points), whether any text is set to shrink to fit, its pictures' alt texts."""

    number: int
    title: str
    main: bool
    words: int
    body_pt: float | None
    table_pt: float | None
    shrinks: bool
    alt_texts: tuple[str, ...]
    text: str


def _sizes(frame: Any) -> list[float]:
    return [r.font.size.pt for p in frame.paragraphs for r in p.runs if r.text.strip() and r.font.size is not None]


def _unsized(frame: Any) -> bool:
    return any(r.text.strip() and r.font.size is None for p in frame.paragraphs for r in p.runs)


def measure_deck(pptx: Path) -> list[SlideMeasure]:
    """Every slide of a deck measured (see `SlideMeasure`); a run without its own size counts as 0 pt."""
    from pptx import Presentation

    from ctatracker.briefing.layout import FOOTER, word_count

    out, main = [], True
    for n, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        main = main and not title.startswith(APPENDIX)
        texts, body, table, alts = [], [], [], []
        for shape in slide.shapes:
            if shape == slide.shapes.title or shape.name == FOOTER:
                continue
            if shape.has_text_frame and shape.text_frame.text.strip():
                texts.append(shape.text_frame.text)
                body += _sizes(shape.text_frame) + ([0.0] if _unsized(shape.text_frame) else [])
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        texts.append(cell.text)
                        table += _sizes(cell.text_frame) + ([0.0] if _unsized(cell.text_frame) else [])
            if shape.shape_type == 13:  # a picture
                alts.append(shape._element.nvPicPr.cNvPr.get("descr") or "")
        xml = slide._element.xml
        text = "\n".join(texts)
        out.append(SlideMeasure(n, title, main, word_count(text), min(body, default=None), min(table, default=None),
                                "normAutofit" in xml or "spAutoFit" in xml, tuple(alts), text))
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
    out = Path(args.out)
    written = render_packs(out, Path(args.db) if args.db else None)
    for deck in sorted(out.glob("*.pptx")):
        measured = measure_deck(deck)
        main = [m for m in measured if m.main]
        brief = pages(out / f"{deck.stem}-brief.pdf")
        tables = [m.table_pt for m in measured if m.table_pt is not None]
        print(f"{deck.stem}: {len(measured)} slides, {len(main)} main; words per main slide at most "
              f"{max(m.words for m in main)}; smallest text {min(m.body_pt or 99 for m in measured):g} pt, in "
              f"tables {f'{min(tables):g} pt' if tables else 'none'}; brief {len(brief)} pages")
        for m in main:
            print(f"  {m.number:>2}. {m.title} ({m.words} words)")
    print(f"Wrote {len(written)} pictures to {out / 'png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
