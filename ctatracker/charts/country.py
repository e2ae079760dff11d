"""A country's EV sales share by vehicle type: reported lines, the tracker's derived all-vehicle line, IEA's
scenario (dashed) and the targets (white markers with a dark outline). Pure builder: DataFrames in, Figure out.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ctatracker.charts.progress import MARKER_EDGE, TARGET_FILL, TARGET_OUTLINE
from ctatracker.charts.style import country_colour, finish

MODE_COLOURS = {
    "cars": "#0072B2", "two_three_wheelers": "#E69F00", "two_wheelers": "#CC79A7", "three_wheelers": "#D55E00",
    "buses": "#009E73", "vans": "#56B4E9", "trucks": "#882255", "passenger_vehicles": "#44AA99",
    "light_duty": "#332288", "heavy_duty": "#999933",
}
"""One colour per vehicle type on a country's own chart (the all-vehicle lines take the country's colour)."""
MODE_NAMES = {
    "all_vehicles": "All vehicles", "cars": "Cars", "two_three_wheelers": "Two/three-wheelers",
    "two_wheelers": "Two-wheelers", "three_wheelers": "Three-wheelers", "buses": "Buses", "vans": "Vans",
    "trucks": "Trucks", "passenger_vehicles": "Passenger vehicles", "light_duty": "Light duty",
    "heavy_duty": "Heavy duty",
}
SPARE_COLOUR = "#444444"
"""Used for a vehicle type whose colour is the country's own (that colour is kept for the all-vehicle lines)."""
SHORT_MODES = {"all_vehicles": "all vehicles", "two_three_wheelers": "2/3-wheelers"}
LAST_TARGET_YEAR = 2035
"""Targets later than this are listed under the chart, not drawn (they would squeeze the years with data)."""


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def _cite(row: dict) -> str:
    year = row.get("source_year")
    return f"{row.get('source_publisher') or 'unknown publisher'} ({int(year) if pd.notna(year) else 'undated'})"


def _line(x: list, y: list, name: str, colour: str, hover: list[str], dash: str = "solid",
          symbol: str = "circle", group: str = "") -> dict:
    return {"type": "scatter", "x": x, "y": y, "mode": "lines+markers", "name": name, "legendgroup": group or name,
            "line": {"color": colour, "width": 2.5, "dash": dash},
            "marker": {"symbol": symbol, "size": 7, **({} if symbol.endswith("open") else {"line": MARKER_EDGE})},
            "customdata": hover, "hovertemplate": "<b>" + name + "</b><br>%{x}: %{y:.3~g}%<br>%{customdata}"
            "<extra></extra>"}


def mode_colour(mode: str, iso3: str) -> str:
    """The colour of a vehicle type on a country's chart: the country's own colour for all vehicles, else the
    type's fixed colour (a dark grey where that is the country's colour)."""
    own = country_colour(iso3)
    if mode == "all_vehicles":
        return own
    colour = MODE_COLOURS.get(mode, SPARE_COLOUR)
    return SPARE_COLOUR if colour.upper() == own.upper() else colour


def _reported(series: pd.DataFrame, iso3: str) -> list[dict]:
    traces = []
    for mode, part in series.groupby(series["mode"].map(_text), sort=False):
        part = part.sort_values("year")
        colour = mode_colour(mode, iso3)
        name = MODE_NAMES.get(mode, mode) + (", reported" if mode == "all_vehicles" else "")
        hover = [f"Source: {_cite(r)}" for r in part.to_dict("records")]
        traces.append(_line(part["year"].tolist(), part["value"].tolist(), name, colour, hover, group=mode))
    return traces


def _derived(derived: pd.DataFrame, iso3: str, source: str) -> list[dict]:
    if derived.empty:
        return []
    part = derived.sort_values("year")
    name = f"All vehicles, derived by the tracker from {source}"
    hover = [f"Covers {c}" for c in part["coverage"]]
    return [_line(part["year"].tolist(), part["value"].tolist(), name, country_colour(iso3), hover, dash="dot",
                  symbol="circle-open", group="derived")]


def _scenarios(scenarios: pd.DataFrame, iso3: str) -> list[dict]:
    traces = []
    if scenarios.empty:
        return traces
    for (scenario, mode, edition), part in scenarios.groupby(
            [scenarios["scenario"].map(_text), scenarios["mode"].map(_text), scenarios["source_year"]], sort=False):
        part = part.sort_values("year")
        label = f"IEA {scenario.upper()} scenario ({int(edition)} edition)"
        hover = [f"{MODE_NAMES.get(mode, mode)}: a projection, not an observation · Source: {_cite(r)}"
                 for r in part.to_dict("records")]
        trace = _line(part["year"].tolist(), part["value"].tolist(), label, mode_colour(mode, iso3), hover,
                      dash="dash", symbol="x-thin-open", group=label)
        trace["line"]["width"] = 1.8
        trace["showlegend"] = not any(t["name"] == label for t in traces)
        traces.append(trace)
    return traces


def _target_label(row: dict) -> str:
    who = "Regional" if pd.isna(row.get("country_iso3")) else "National"
    return f"{who} target, {MODE_NAMES.get(_text(row['mode']), _text(row['mode'])).lower()}: " \
           f"{row['target_value']:g}% by {int(row['target_year'])}"


def _targets(targets: pd.DataFrame) -> list[dict]:
    """One marker per target (hover names it); one legend entry per kind; one label per point, naming the
    vehicle types of every target there."""
    traces: list[dict] = []
    rows = targets.assign(_regional=targets["country_iso3"].isna()).sort_values("_regional", ascending=False)
    for (year, value), group in rows.groupby(["target_year", "target_value"], sort=False):
        modes = dict.fromkeys(SHORT_MODES.get(_text(m), MODE_NAMES.get(_text(m), _text(m)).lower())
                              for m in group["mode"])
        for i, row in enumerate(group.to_dict("records")):
            kind = "Regional target (communique)" if row["_regional"] else "National target"
            traces.append({
                "type": "scatter", "x": [int(year)], "y": [value], "mode": "markers+text", "name": kind,
                "legendgroup": kind, "showlegend": not any(t["name"] == kind for t in traces),
                "marker": {"symbol": "star" if row["_regional"] else "diamond-wide", "size": 15,
                           "color": TARGET_FILL, "line": {"color": TARGET_OUTLINE, "width": 2}},
                "text": [f"{value:g}% {', '.join(modes)}" if i == 0 else ""], "textposition": "middle left",
                "cliponaxis": False, "textfont": {"color": TARGET_OUTLINE, "size": 11},
                "hovertemplate": f"<b>{_target_label(row)}</b><br>Source: {_cite(row)}<extra></extra>",
            })
    return traces


def drawn_targets(targets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(targets drawn: a value and a year up to LAST_TARGET_YEAR, targets only listed under the chart)."""
    usable = targets.dropna(subset=["target_value", "target_year"])
    drawn = usable[usable["target_year"] <= LAST_TARGET_YEAR]
    return drawn, targets.drop(drawn.index)


def ev_share_chart(series: pd.DataFrame, targets: pd.DataFrame, scenarios: pd.DataFrame, derived: pd.DataFrame,
                   iso3: str, derived_source: str = "IEA data", height: int = 460) -> go.Figure:
    """EV share of new vehicle sales by vehicle type over time for one country: one line per vehicle type (one
    source family each), the derived all-vehicle line apart from reported figures, IEA scenario lines dashed,
    targets as white markers with a dark outline (star: regional; diamond: national)."""
    drawn, _later = drawn_targets(targets)
    fig = go.Figure()
    fig.add_traces([*_reported(series, iso3), *_derived(derived, iso3, derived_source),
                    *_scenarios(scenarios, iso3), *_targets(drawn)])
    finish(fig, height=height)
    fig.update_yaxes(title_text="EV share of new vehicle sales (%)", rangemode="tozero", ticksuffix="%")
    fig.update_xaxes(title_text=None, tickformat="d")
    fig.update_layout(legend={"y": -0.12}, margin={"l": 10, "r": 30, "t": 20, "b": 10})
    return fig
