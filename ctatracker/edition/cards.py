"""Link-preview images: the PNG of each page's main chart, drawn by kaleido with the local chromium and plotly.js
(no network; maps read the local topojson). An image whose figure has not changed since the last edition is copied
from it instead of drawn again, so a rebuild after one approval draws only what changed."""

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

CARDS_DIR = "cards"
MANIFEST = "manifest.json"
VERSION = "1"
"""Changes when the way cards are drawn changes, so that older images are drawn again."""
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser_missing() -> str | None:
    """What to install when kaleido finds no browser (BROWSER_PATH, or Chromium or Chrome on the PATH), else None."""
    given = os.environ.get("BROWSER_PATH")
    if given and os.access(given, os.X_OK):
        return None
    if any(shutil.which(name) for name in BROWSERS):
        return None
    return "Chromium is not installed (apt-get install -y chromium): every page uses the generic preview image."


def fingerprint(chart: Chart) -> str:
    """What a card is drawn from: the figure, its title and the drawing version."""
    return hashlib.sha256(f"{VERSION}\n{chart.title}\n{chart.figure}".encode()).hexdigest()


def card_figure(chart: Chart) -> dict[str, Any]:
    """The chart's figure sized for a preview, titled with the chart's title when it has none of its own."""
    fig = json.loads(chart.figure)
    layout = fig.setdefault("layout", {})
    layout.update(width=CARD_SIZE[0], height=CARD_SIZE[1])
    if not (layout.get("title") or {}).get("text"):
        layout["title"] = {"text": chart.title, "x": 0.02, "xanchor": "left", "font": {"size": 22}}
        margin = layout.setdefault("margin", {})
        margin["t"] = max(int(margin.get("t") or 0), 64)
    return fig


@dataclass
class Cards:
    """The preview images of one edition: chart key -> path in the edition, and what was drawn or copied."""

    paths: dict[str, str] = field(default_factory=dict)
    exported: int = 0
    reused: int = 0
    note: str = ""


def _previous(previous: Path | None) -> dict[str, str]:
    try:
        return json.loads((previous / CARDS_DIR / MANIFEST).read_text(encoding="utf-8")) if previous else {}
    except (OSError, ValueError):
        return {}


Drawing = tuple[str, dict[str, Any], bool, Path]
"""(key, figure, is a map, file to write)."""


async def _draw(todo: list[Drawing], topojson: Path) -> dict[str, Exception]:
    import kaleido

    failed: dict[str, Exception] = {}
    async with kaleido.Kaleido(n=1, mathjax=False) as k:
        for key, fig, is_map, target in todo:
            try:
                data = await k.calc_fig(fig, opts={"format": "png", "width": CARD_SIZE[0], "height": CARD_SIZE[1],
                                                   "scale": 1}, topojson=topojson.as_uri() + "/" if is_map else None)
                target.write_bytes(data)
            except Exception as exc:  # one chart that cannot be drawn keeps the generic card
                failed[key] = exc
    return failed


def draw(todo: list[Drawing], topojson: Path) -> dict[str, Exception]:
    """Draw PNGs with one kaleido browser, quietly; the keys that failed, with why."""
    quiet = logging.getLogger("choreographer")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return asyncio.run(_draw(todo, topojson))
    finally:
        quiet.setLevel(level)


def make_cards(charts: list[Chart], out: Path, previous: Path | None, topojson: Path, enabled: bool = True) -> Cards:
    """Write the preview image of every chart marked as a card into `out`/cards: copied from the previous edition
    when its figure is unchanged, else drawn. Without a browser (or with `enabled` False) pages keep the generic
    card, and the result says so."""
    result = Cards()
    wanted = [c for c in charts if c.card]
    folder = out / CARDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    before = _previous(previous)
    manifest: dict[str, str] = {}
    todo: list[tuple[Chart, Path]] = []
    for chart in wanted:
        name, mark = f"{chart.key}.png", fingerprint(chart)
        old = previous / CARDS_DIR / name if previous else None
        if before.get(chart.key) == mark and old is not None and old.is_file():
            shutil.copy2(old, folder / name)
            result.reused += 1
        elif enabled:
            todo.append((chart, folder / name))
            continue
        else:
            continue
        manifest[chart.key] = mark
        result.paths[chart.key] = f"{CARDS_DIR}/{name}"
    missing = browser_missing() if todo else None
    if not enabled:
        result.note = "Preview images of changed charts were not drawn (switched off): those pages use the generic one."
    elif missing:
        result.note = missing
    elif todo:
        failed = draw([(c.key, card_figure(c), c.map, target) for c, target in todo], topojson)
        for chart, target in todo:
            if chart.key in failed:
                continue
            manifest[chart.key] = fingerprint(chart)
            result.paths[chart.key] = f"{CARDS_DIR}/{target.name}"
            result.exported += 1
        if failed:
            result.note = (f"{len(failed)} preview image(s) could not be drawn ({', '.join(sorted(failed))}): those "
                           f"pages use the generic one. First reason: {next(iter(failed.values()))}")
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
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
    failed = draw([("generic", fig, False, target)], target.parent)
    if failed:
        raise RuntimeError(str(failed["generic"]))
