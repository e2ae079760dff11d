"""What the edition is made of: pages, the charts they draw, the sources they cite, and what a build wrote. Plain
data: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

SITE_NAME = "Clean Transport Asia Tracker"
CARD_SIZE = (1200, 630)
"""Link-preview images (Open Graph, Twitter), in pixels."""


@dataclass(frozen=True)
class Chart:
    """One interactive chart: its figure (Plotly's JSON), what it shows in words (its alternative text), the page
    it belongs to, and whether it has an embeddable page and a link-preview image."""

    key: str
    """Unique in the edition, used in file names: 'overview-map', 'country-ind-co2'."""
    title: str
    alt: str
    figure: str
    """The figure as Plotly's JSON (data, layout)."""
    height: int
    page: str
    """The path of the page that shows it ('index.html', 'countries/ind.html')."""
    source_ids: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """Lines under the chart (what is drawn, what is not), in the order shown."""
    card: bool = False
    """True: exported as the PNG preview of its page."""
    map: bool = False
    """True: a map, drawn with the local topojson."""
    data: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    """The figures it draws as a table to download (`chart_data`), columns in words; None: no table."""

    @property
    def embed_path(self) -> str:
        """Where its embeddable page goes: 'embed/gaps-ev30.html'."""
        return f"embed/{self.key}.html"


@dataclass(frozen=True)
class Source:
    """A cited source as a reader sees it: its credit line (with its licence) and where to read it."""

    credit: str
    url: str | None
    licence: str | None


@dataclass
class Page:
    """One HTML page: where it goes, its title and description, the template that lays it out and what it is
    given, its charts and the sources of what it shows."""

    path: str
    title: str
    description: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    source_ids: set[str] = field(default_factory=set)
    card: str | None = None
    """The key of the chart whose PNG is the page's link preview (the generic card when None)."""
    nav: str | None = None
    """The navigation entry this page belongs to."""
    in_sitemap: bool = True

    @property
    def depth(self) -> int:
        """How many folders down the page is."""
        return self.path.count("/")

    @property
    def root(self) -> str:
        """The relative path from this page back to the edition's root: '', '../'."""
        return "../" * self.depth


@dataclass(frozen=True)
class Written:
    """What a build wrote: where, its pages and files, their bytes, the preview images exported or reused, and
    how long it took."""

    out: Path
    pages: tuple[str, ...]
    files: int
    bytes: int
    cards_exported: int
    cards_reused: int
    cards_note: str
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)
    """Each loaded file's plain name ('plotly.min.js') -> its content-hashed path ('assets/plotly.min.<hash>.js')."""

    def lines(self) -> list[str]:
        """The summary a command prints."""
        html = [p for p in self.pages if p.endswith(".html")]
        embeds = [p for p in html if p.startswith("embed/")]
        countries = [p for p in html if p.startswith("countries/") and not p.endswith("index.html")]
        return [f"Wrote the public edition to {self.out} in {self.seconds:.1f} s: {len(html)} pages "
                f"({len(countries)} countries, {len(embeds)} embeddable charts), {self.files} files, "
                f"{self.bytes / 1e6:.1f} MB.",
                f"Chart images (posters and link previews): {self.cards_exported} drawn, {self.cards_reused} reused "
                "from the last edition. "
                f"{self.cards_note}".strip(),
                "Timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())]


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, a status colour shown as a swatch beside it, or a link."""

    text: str
    colour: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as a page shows it: a caption, column headers, rows (the first cell heads its row); an empty cell
    (None) reads '–'."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell | str | None, ...], ...]
    key: str = ""
    """An id for the table on its page (a link target)."""
