"""Colour-blind-safe colours (Okabe-Ito) and the shared look of every figure."""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio

from ctatracker.model.enums import STAGE_LABELS  # noqa: F401  (re-exported: the charts name stages with it)

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

STATUS_COLOURS = {
    "achieved": "#0072B2",
    "achieved_late": "#56B4E9",
    "on_track": "#009E73",
    "acceleration_needed": "#F0E442",
    "limited_progress": "#E69F00",
    "deterioration": "#D55E00",
    "missed": "#7A2E0E",
    "not_assessable": "#DDDDDD",
    "insufficient_data": "#BBBBBB",
}

STAGE_ORDER = ["no_action", "proposed", "pledged", "in_policy", "in_law", "achieved"]
STAGE_COLOURS = ["#F7F7F7", "#FDE0C5", "#F4A582", "#92C5DE", "#4393C3", "#2166AC"]

LIGHT_TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)
"""plotly_white's layout without its per-trace-type defaults: the same look, far cheaper to apply."""

CHART_CONFIG = {"displaylogo": False, "displayModeBar": "hover", "modeBarButtons": [["toImage"]],
                "toImageButtonOptions": {"format": "png", "scale": 2}}
"""The toolbar only on hover and only its PNG download button: on a phone it never sits over a title or labels."""
MAP_CONFIG = {**CHART_CONFIG, "topojsonURL": "/app/static/topojson/"}
TRACKER_CREDIT = "Clean Transport Asia Tracker (Asia LEDS Partnership)"
TITLE_WIDTH, CREDIT_WIDTH = 46, 66
"""Characters a title line and a credit line hold: both fit a phone (a chart about 350 px wide)."""
CREDIT_COLOUR = "#555555"


def chart_config(file_stem: str, *, is_map: bool = False) -> dict:
    """The chart's toolbar settings, its image named after what it shows and the date of its data."""
    base = MAP_CONFIG if is_map else CHART_CONFIG
    return {**base, "toImageButtonOptions": {**base["toImageButtonOptions"], "filename": file_stem}}


def credit_line(credits: Sequence[str], as_of: dt.date | None = None, *, named: int = 2) -> str:
    """'Source: IEA (2025), Global EV Data Explorer, CC BY 4.0 · Clean Transport Asia Tracker (Asia LEDS
    Partnership), data as of 6 December 2026': the credit line each source's licence asks for (the first `named`,
    then how many more), the tracker and the date of its data."""
    said = list(dict.fromkeys(c.removeprefix("Source: ").strip() for c in credits if c and c.strip()))
    more = len(said) - named
    sources = "; ".join(said[:named]) + (f"; and {more} more, listed with the chart" if more > 0 else "")
    when = f", data as of {as_of.day} {as_of:%B %Y}" if as_of else ""
    head = (f"Source{'s' if len(said) > 1 else ''}: {sources} · " if said else "")
    return f"{head}{TRACKER_CREDIT}{when}"


def titled(fig: go.Figure, title: str | None, credit: str | None = None, note: str | None = None) -> go.Figure:
    """The title and, under it, a note (e.g. what is not drawn) and the credit line, drawn in the figure (so a
    downloaded image says what it shows, from which sources, under which licence and as of when), wrapped to fit a
    phone; the top margin grows by their height (keeping what the builder left there, e.g. labels of a top axis).
    Text is shown as text."""
    if not title and not credit and not note:
        return fig
    lines = textwrap.wrap(title or "", TITLE_WIDTH)
    under = textwrap.wrap(note or "", CREDIT_WIDTH) + textwrap.wrap(credit or "", CREDIT_WIDTH)
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 20
    height = 14 + 20 * len(lines) + (4 + 14 * len(under) if under else 0)
    fig.update_layout(margin={"t": top + height}, title={
        "text": "<br>".join(html.escape(line, quote=False) for line in lines), "x": 0, "xref": "container",
        "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12, "l": 10},
        "font": {"size": 15}, "subtitle": {"text": "<br>".join(html.escape(line, quote=False) for line in under),
                                           "font": {"size": 11, "color": CREDIT_COLOUR}}})
    if fig.layout.height:
        fig.update_layout(height=fig.layout.height + height)
    return fig


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a '#RRGGBB' colour (0 black, 1 white)."""
    channels = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two '#RRGGBB' colours (1 to 21; text needs 4.5, large text and marks 3)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever has the higher contrast on a '#RRGGBB' background (at least 4.58:1 on any)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#FFFFFF") else "#FFFFFF"


FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
"""A font every reader's computer has: a saved chart (drawn without the page's web fonts) is laid out with the same
letters as on screen, so no label or legend runs past its edge."""


def finish(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    """Apply the shared layout: white template, readable font, legend below, tight margins."""
    fig.update_layout(
        template=LIGHT_TEMPLATE, height=height, title=title, font={"size": 13, "family": FONT},
        colorway=OKABE_ITO, margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig

COUNTRY_COLOURS: dict[str, str] = {
    # the countries with the most figures (drawn together on the EV charts): eight clearly different hues
    "CHN": "#CC79A7", "IND": "#E69F00", "IDN": "#D55E00", "KOR": "#0072B2", "MYS": "#999933", "THA": "#009E73",
    "VNM": "#56B4E9", "NPL": "#882255",
    # the others, from Tol's muted scheme and the rest of Okabe-Ito
    "BGD": "#117733", "BTN": "#DDCC77", "KHM": "#88CCEE", "LAO": "#AA4499", "LKA": "#44AA99", "MDV": "#CC6677",
    "MNG": "#000000", "PAK": "#F0E442", "PHL": "#332288"}
"""One fixed colour per covered country (ISO3), the same in every chart and in the briefing deck, all colour-blind
safe (Okabe-Ito and Tol's muted scheme); the countries drawn together most often (China, India, Indonesia, Korea,
Malaysia, Thailand, Viet Nam, Nepal) in hues far apart. Countries are also named on every chart, never told by
colour alone."""


def country_colour(iso3: str, fallback_index: int = 0) -> str:
    """The country's fixed colour; a country not in the palette gets one by position."""
    return COUNTRY_COLOURS.get(iso3, OKABE_ITO[fallback_index % len(OKABE_ITO)])
