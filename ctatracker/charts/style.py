"""Colour-blind-safe colours (Okabe-Ito) and the shared look of every figure."""

from __future__ import annotations

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


def finish(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    """Apply the shared layout: white template, readable font, legend below, tight margins."""
    fig.update_layout(
        template=LIGHT_TEMPLATE, height=height, title=title, font={"size": 13},
        colorway=OKABE_ITO, margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig

TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
"""Paul Tol's colour-blind-safe 'muted' scheme, the second half of the country palette."""

COUNTRY_COLOURS: dict[str, str] = dict(zip(
    ["BGD", "BTN", "KHM", "CHN", "IND", "IDN", "LAO", "MYS", "MDV", "MNG", "NPL", "PAK", "PHL", "KOR", "LKA",
     "THA", "VNM"],
    [*OKABE_ITO[:6], "#000000", *TOL_MUTED, "#F0E442"][:17], strict=True))
"""One fixed colour per covered country (ISO3), the same in every chart and in the briefing deck: Okabe-Ito
then Tol's muted scheme, both colour-blind-safe; countries are also named on every chart, never told by colour
alone."""


def country_colour(iso3: str, fallback_index: int = 0) -> str:
    """The country's fixed colour; a country not in the palette gets one by position."""
    return COUNTRY_COLOURS.get(iso3, OKABE_ITO[fallback_index % len(OKABE_ITO)])
