"""Static images of the charts, drawn by kaleido with the local chromium and plotly.js (no network; maps read the
local topojson): the link-preview card of each page's main chart (1200 × 630, titled), and a poster of every chart,
shown in its place at once while plotly.js loads (and to readers without JavaScript). An image whose figure has not
changed since the last edition is copied from it instead of drawn again, so a rebuild after one approval draws only
what changed."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctatracker.edition.model import CARD_SIZE, SITE_NAME, Chart

CARDS_DIR, POSTERS_DIR = "cards", "posters"
MANIFEST = "cards/manifest.json"
VERSION = "2"
"""Changes when the way images are drawn changes, so that older images are drawn again."""
POSTER_WIDTH = 1000
"""Layout width of a poster, in pixels: scaled down to the page's width (sharp on a phone's dense screen)."""
TABS = 2
"""Browser tabs drawing images side by side (at most one per core)."""
RELOAD_EVERY = 25
"""Images a tab draws before it is loaded afresh (kaleido would load it again after every image)."""
PLOTLY_JS = Path(__file__).parent / "assets" / "plotly.min.js"
"""The edition's own plotly.js (only the chart types it draws): the images are drawn by what readers run."""
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser_missing() -> str | None:
    """What to install when kaleido finds no browser (BROWSER_PATH, or Chromium or Chrome on the PATH), else None."""
    given = os.environ.get("BROWSER_PATH")
    if given and os.access(given, os.X_OK):
        return None
    if any(shutil.which(name) for name in BROWSERS):
        return None
    return ("Chromium is not installed (apt-get install -y chromium): pages use the generic preview image and charts "
            "have no poster.")


def card_figure(chart: Chart) -> dict[str, Any]:
    """The chart's figure sized for a link preview, titled with the chart's title when it has none of its own."""
    fig = json.loads(chart.figure)
    layout = fig.setdefault("layout", {})
    layout.update(width=CARD_SIZE[0], height=CARD_SIZE[1])
    if not (layout.get("title") or {}).get("text"):
        layout["title"] = {"text": chart.title, "x": 0.02, "xanchor": "left", "font": {"size": 22}}
        margin = layout.setdefault("margin", {})
        margin["t"] = max(int(margin.get("t") or 0), 64)
    return fig


def poster_figure(chart: Chart) -> dict[str, Any]:
    """The chart's figure as the page draws it, at the poster's width."""
    fig = json.loads(chart.figure)
    fig.setdefault("layout", {}).update(width=POSTER_WIDTH, height=chart.height)
    return fig


@dataclass(frozen=True)
class Wanted:
    """One image to have: where it goes in the edition, what it is drawn from."""

    path: str
    chart: Chart
    figure: dict[str, Any]
    size: tuple[int, int]

    @property
    def mark(self) -> str:
        """What the image is drawn from, as a hash: the same mark, the same image."""
        text = json.dumps(self.figure, sort_keys=True)
        return hashlib.sha256(f"{VERSION}\n{self.size}\n{text}".encode()).hexdigest()


@dataclass
class Images:
    """The images of one edition (chart key -> path in the edition) and what was drawn or copied."""

    cards: dict[str, str] = field(default_factory=dict)
    posters: dict[str, str] = field(default_factory=dict)
    exported: int = 0
    reused: int = 0
    note: str = ""


def _previous(previous: Path | None) -> dict[str, str]:
    try:
        return json.loads((previous / MANIFEST).read_text(encoding="utf-8")) if previous else {}
    except (OSError, ValueError):
        return {}


def _kaleido(tabs: int):
    """A kaleido browser with `tabs` tabs, running the edition's plotly.js, whose tabs are loaded afresh every
    RELOAD_EVERY images rather than after each one (loading plotly.js again took most of an image's time: 0.21 s
    of a small chart's 0.26 s). With a kaleido that returns its tabs otherwise, each image reloads as before."""
    import kaleido

    drawn: dict[int, int] = {}  # images each tab has drawn since it was last loaded

    class Kaleido(kaleido.Kaleido):
        async def _return_kaleido_tab(self, tab) -> None:
            drawn[id(tab)] = (drawn.get(id(tab), 0) + 1) % RELOAD_EVERY
            if drawn[id(tab)]:
                await self.tabs_ready.put(tab)
            else:
                await super()._return_kaleido_tab(tab)

    kind = Kaleido if hasattr(kaleido.Kaleido, "_return_kaleido_tab") else kaleido.Kaleido
    return kind(n=tabs, mathjax=False, plotlyjs=PLOTLY_JS.as_uri())


async def _draw(todo: list[Wanted], root: Path, topojson: Path) -> dict[str, Exception]:
    failed: dict[str, Exception] = {}
    tabs = max(1, min(TABS, os.cpu_count() or 1, len(todo)))
    async with _kaleido(tabs) as k:  # one browser, a tab per core: drawn side by side

        async def one(w: Wanted) -> None:
            try:
                data = await k.calc_fig(w.figure, opts={"format": "png", "width": w.size[0], "height": w.size[1],
                                                        "scale": 1},
                                        topojson=topojson.as_uri() + "/" if w.chart.map else None)
                (root / w.path).write_bytes(data)
            except Exception as exc:  # one chart that cannot be drawn keeps no image (the page still draws it)
                failed[w.path] = exc

        await asyncio.gather(*(one(w) for w in todo))
    return failed


def draw(todo: list[Wanted], root: Path, topojson: Path) -> dict[str, Exception]:
    """Draw PNGs with one kaleido browser, quietly; the paths that failed, with why."""
    quiet = logging.getLogger("choreographer")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return asyncio.run(_draw(todo, root, topojson))
    finally:
        quiet.setLevel(level)


def wanted(charts: list[Chart]) -> list[Wanted]:
    """A poster of every chart, and a card of every chart that is its page's preview."""
    out = [Wanted(f"{POSTERS_DIR}/{c.key}.png", c, poster_figure(c), (POSTER_WIDTH, c.height)) for c in charts]
    return out + [Wanted(f"{CARDS_DIR}/{c.key}.png", c, card_figure(c), CARD_SIZE) for c in charts if c.card]


def make_images(charts: list[Chart], out: Path, previous: Path | None, topojson: Path,
                enabled: bool = True) -> Images:
    """Write the cards and posters of `charts` into `out`: copied from the previous edition when their figure is
    unchanged, else drawn. Without a browser (or with `enabled` False) pages keep the generic card and charts no
    poster, and the result says so."""
    result = Images()
    before = _previous(previous)
    manifest: dict[str, str] = {}
    todo: list[Wanted] = []
    for folder in (CARDS_DIR, POSTERS_DIR):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for w in wanted(charts):
        old = previous / w.path if previous else None
        if before.get(w.path) == w.mark and old is not None and old.is_file():
            shutil.copy2(old, out / w.path)
            result.reused += 1
            manifest[w.path] = w.mark
        elif enabled:
            todo.append(w)
    missing = browser_missing() if todo else None
    if not enabled:
        result.note = "Images of changed charts were not drawn (switched off): their pages use the generic preview."
    elif missing:
        result.note = missing
    elif todo:
        failed = draw(todo, out, topojson)
        for w in todo:
            if w.path not in failed:
                manifest[w.path] = w.mark
                result.exported += 1
        if failed:
            result.note = (f"{len(failed)} image(s) could not be drawn ({', '.join(sorted(failed))}): those pages use "
                           f"the generic preview, those charts no poster. First reason: {next(iter(failed.values()))}")
    for path in manifest:
        key = Path(path).stem
        (result.cards if path.startswith(CARDS_DIR) else result.posters)[key] = path
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return result


def generic_card(target: Path) -> None:
    """Draw the generic preview image (the site's name and what it answers) into `target`."""
    fig = {"data": [], "layout": {
        "width": CARD_SIZE[0], "height": CARD_SIZE[1], "paper_bgcolor": "#0B3D62", "plot_bgcolor": "#0B3D62",
        "xaxis": {"visible": False}, "yaxis": {"visible": False}, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "annotations": [
            {"text": f"<b>{SITE_NAME}</b>", "x": 0.06, "y": 0.62, "xref": "paper", "yref": "paper",
             "xanchor": "left", "showarrow": False, "font": {"size": 54, "color": "#FFFFFF"}},
            {"text": "Where Asian countries stand on 30% EV sales, Euro VI and transport CO₂ by 2030,<br>"
                     "country by country, with every figure's source.", "x": 0.06, "y": 0.40, "xref": "paper",
             "yref": "paper", "xanchor": "left", "align": "left", "showarrow": False,
             "font": {"size": 26, "color": "#FFFFFF"}}]}}
    chart = Chart("generic", SITE_NAME, "", json.dumps(fig), CARD_SIZE[1], "index.html")
    failed = draw([Wanted(target.name, chart, fig, CARD_SIZE)], target.parent, target.parent)
    if failed:
        raise RuntimeError(str(next(iter(failed.values()))))
