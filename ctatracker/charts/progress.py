"""Progress charts: observed series per country, targets of the same scope, dashed linear projections.

Vehicle scopes are never mixed: a series must hold one indicator in one mode, and a target is drawn as a
target only when its mode equals the series' mode (otherwise, on request, as a labelled reference line).
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ctatracker.charts.style import COUNTRY_COLOURS, OKABE_ITO, finish

LINE_COLOURS = [c for c in OKABE_ITO if c != "#F0E442"] + ["#F0E442"]
"""Okabe-Ito with the low-contrast yellow used last."""

PROJECTION_FILL = "rgba(86, 180, 233, 0.10)"
REFERENCE_COLOUR = "#777777"
TARGET_FILL, TARGET_OUTLINE = "#FFFFFF", "#222222"
MARKER_EDGE = {"color": "rgba(0, 0, 0, 0.55)", "width": 1}
"""A thin dark edge on data markers, so that a light country colour (yellow) stays visible on white."""
"""Targets are white with a dark outline (star regional, diamond national): never a country's own fill."""
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]


DERIVED_SCOPE = "all_vehicles_derived"
"""The scope of the tracker's all-vehicle EV sales share, derived from the sales of each vehicle type."""
HEADROOM = 1.15
"""The value axis ends this much above the highest figure or target drawn."""
REACH = 2.0
"""A target is drawn on the value axis when it is at most this many times the highest figure (or the lowest target,
if higher); a higher one (100% by 2050 over figures under 50% and a 30% target) would squeeze every line to the
bottom: it is named above the chart instead."""


def mode_label(mode: Any) -> str:
    """'two_three_wheelers' -> 'two/three wheelers'; 'all_vehicles' -> 'all vehicles'."""
    text = str(getattr(mode, "value", mode))
    if text == "not_applicable":
        return "no vehicle scope"
    if text == DERIVED_SCOPE:
        return "all vehicles, derived by the tracker"
    return text.replace("two_three", "two/three").replace("_", " ")


def _one(series: pd.DataFrame, column: str) -> Any:
    values = series[column].dropna().map(str).unique()
    if len(values) > 1:
        raise ValueError(f"a progress chart shows one {column}; got {', '.join(sorted(values))} "
                         "(vehicle scopes and indicators are never mixed on one chart)")
    return values[0] if len(values) else None


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"


def conflicting_sources(series: pd.DataFrame) -> set[str]:
    """Countries with more than one source for the same year (drawn as one line per source)."""
    if series.empty:
        return set()
    per_year = series.groupby(["country_iso3", "year"])["source_id"].nunique()
    return set(per_year[per_year > 1].index.get_level_values(0))


def _colours(series: pd.DataFrame) -> dict[str, str]:
    codes = sorted(series["country_iso3"].unique(), key=lambda c: str(series.loc[
        series["country_iso3"] == c, "country_name"].iloc[0]))
    return {code: COUNTRY_COLOURS.get(code, LINE_COLOURS[i % len(LINE_COLOURS)]) for i, code in enumerate(codes)}


def _source_labels(frame: pd.DataFrame) -> pd.Series:
    """'Publisher (year)' of every row ('(undated)' without a year), the label shown in the hover."""
    publisher = (frame["source_publisher"] if "source_publisher" in frame else pd.Series(None, index=frame.index))
    publisher = publisher.fillna("unknown publisher").astype(str)
    years = frame["source_year"] if "source_year" in frame else pd.Series(None, index=frame.index)
    year = years.map(lambda y: f" ({int(y)})" if pd.notna(y) else " (undated)")
    return publisher + year


def _history_traces(fig: go.Figure, series: pd.DataFrame, colours: dict[str, str], unit: str) -> None:
    """One line per country (per source where sources disagree); traces added in one call, as plain dicts."""
    conflicts = conflicting_sources(series)
    series = series.reset_index(drop=True)
    series = series.assign(_source=_source_labels(series),
                           _note=series["note"].fillna("").map(lambda n: f"<br>Note: {n}" if n else ""))
    traces = []
    for iso, grp in series.groupby("country_iso3", sort=False):
        name = str(grp["country_name"].iloc[0])
        groups = list(grp.groupby("source_id", sort=True)) if iso in conflicts else [(None, grp)]
        for i, (_src, part) in enumerate(groups):
            part = part.sort_values("year")
            label = name if _src is None else f"{name} · {part['_source'].iloc[0]}, sources differ"
            traces.append({
                "type": "scatter", "x": part["year"].tolist(), "y": part["value"].tolist(),
                "mode": "lines+markers", "name": label, "legendgroup": iso,
                "line": {"color": colours[iso], "width": 2.5},
                "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 7, "line": MARKER_EDGE},
                "customdata": list(zip(part["_source"], part["_note"], strict=True)),
                "hovertemplate": (f"<b>{name}</b><br>%{{x}}: %{{y:,.3~g}} {unit}<br>Source: %{{customdata[0]}}"
                                  "%{customdata[1]}<extra></extra>"),
            })
    fig.add_traces(traces)


def _capped(row: Any, unit: str) -> tuple[float, float, str]:
    """End point of a projection; a share is stopped where the straight line leaves 0-100 %."""
    x1, y1 = float(row.target_year), float(row.projected_value)
    if unit != "%" or 0 <= y1 <= 100 or not row.observed_slope:
        return x1, y1, ""
    edge = 100.0 if y1 > 100 else 0.0
    x_edge = row.latest_year + (edge - row.latest_value) / row.observed_slope
    note = (f"<br>The line reaches {edge:g}% around {x_edge:.0f}; continued to {int(row.target_year)} it "
            f"would give {y1:.3g}%, which a share cannot be")
    return x_edge, edge, note


def _projection_traces(fig: go.Figure, projections: pd.DataFrame, colours: dict[str, str], unit: str) -> int | None:
    """Dashed segments latest value -> projected value at the target year; returns the first projected year."""
    if projections is None or projections.empty:
        return None
    usable = projections.dropna(subset=["projected_value", "latest_value", "latest_year", "target_year"])
    usable = usable[usable["country_iso3"].isin(colours) & (usable["target_year"] > usable["latest_year"])]
    usable = usable.drop_duplicates(["country_iso3", "target_year"])
    traces = []
    for row in usable.itertuples(index=False):
        slope = f"{row.observed_slope:+.3g} {unit}/yr" if pd.notna(row.observed_slope) else "n/a"
        x1, y1, note = _capped(row, unit)
        traces.append({
            "type": "scatter", "x": [int(row.latest_year), x1], "y": [float(row.latest_value), y1],
            "mode": "lines+markers", "name": f"{row.country_name}: projection to {int(row.target_year)}",
            "legendgroup": row.country_iso3, "showlegend": False,
            "line": {"color": colours[row.country_iso3], "dash": "dash", "width": 2},
            "marker": {"symbol": ["circle", "circle-open"], "size": [1, 9]},
            "hovertemplate": (f"<b>{row.country_name}</b> projection<br>%{{x:.0f}}: %{{y:,.3~g}} {unit}<br>"
                              f"Linear, observed slope {slope} (gap analysis){note}<extra></extra>"),
        })
    fig.add_traces(traces)
    if usable.empty:
        return None
    return int(usable["latest_year"].min())


def _target_traces(fig: go.Figure, targets: pd.DataFrame | None, mode: str, colours: dict[str, str],
                   show_reference: bool, reach: float | None = None) -> list[str]:
    """Same-mode targets: a star (regional) or diamond (national) at the target year, or a dotted level
    line when no year is stated; other-mode regional targets only as a labelled reference line on request.
    An optional `label` column names the marker (e.g. a regional target resolved for one country). Targets above
    `reach` are not drawn: their names are returned ('Viet Nam national target: 100 by 2040')."""
    if targets is None or targets.empty:
        return []
    labelled: list[tuple[int, float]] = []  # (year, value) of the markers written beside: no two close together
    beyond: list[str] = []
    top = float(targets["target_value"].max()) or 1.0
    for row in targets.dropna(subset=["target_value"]).to_dict("records"):
        same = str(getattr(row["mode"], "value", row["mode"])) == mode
        regional = pd.isna(row["country_iso3"])
        if not same:
            if show_reference and regional:
                fig.add_hline(y=row["target_value"], line={"color": REFERENCE_COLOUR, "dash": "dot", "width": 1.5},
                              annotation_text=f"regional ambition, {mode_label(row['mode'])} — different scope",
                              annotation_position="top left", annotation_font_color=REFERENCE_COLOUR)
            continue
        if not regional and row["country_iso3"] not in colours:
            continue
        who = row.get("label") if isinstance(row.get("label"), str) else (
            "Regional target (communique)" if regional else f"{row['country_name']} national target")
        src = (f"{row['source_publisher']} ({int(row['source_year'])})" if pd.notna(row.get("source_year"))
               else row.get("source_publisher"))
        value = f"{row['target_value']:g}"
        if reach is not None and row["target_value"] > reach:
            when = f" by {int(row['target_year'])}" if pd.notna(row.get("target_year")) else ""
            beyond.append(f"{who}: {value}{when}")
            continue
        if pd.isna(row.get("target_year")):
            fig.add_hline(y=row["target_value"], line={"color": TARGET_OUTLINE, "dash": "dot", "width": 1.5},
                          annotation_text=f"{who}: {value}", annotation_position="top left",
                          annotation_font_color=TARGET_OUTLINE)
            continue
        year = int(row["target_year"])
        # beside the marker only when no other label is near (on a phone they would overlap); always in the legend
        near = any(abs(year - y) < 16 and abs(row["target_value"] - v) < 0.1 * top for y, v in labelled)
        labelled += [] if near else [(year, row["target_value"])]
        fig.add_trace(go.Scatter(
            x=[year], y=[row["target_value"]], mode="markers" if near else "markers+text",
            name=f"{who}: {value} by {year}", legendgroup=f"target_{row['id']}",
            marker={"symbol": "star" if regional else "diamond-wide", "size": 16, "color": TARGET_FILL,
                    "line": {"color": TARGET_OUTLINE, "width": 2}},
            text=[f"{value} by {year}"], textposition="middle left", textfont={"color": TARGET_OUTLINE},
            cliponaxis=False,
            hovertemplate=(f"<b>{who}</b> ({mode_label(row['mode'])})<br>{row['wording']}<br>"
                           f"Source: {src}<extra></extra>"),
        ))
    return beyond


AXES = ("zero", "zoom", "log")
"""Value axes a reader may choose: from zero (the default), zoomed to the figures and targets drawn, logarithmic."""
ZOOM_MARGIN = 0.08
"""A zoomed axis reaches this share of the figures' spread beyond the lowest and the highest."""


def _value_axis(fig: go.Figure, series: pd.DataFrame, targets: pd.DataFrame | None, mode: str,
                axis: str = "zero") -> float:
    """Fit the value axis to the figures drawn and the targets within reach of them (see REACH): from zero, zoomed
    to them, or logarithmic (figures of zero or below cannot be drawn on it); returns the reach of the axis."""
    drawn = pd.to_numeric(series["value"], errors="coerce").dropna()
    highest = float(drawn.max())
    values: list[float] = []
    if targets is not None and not targets.empty:
        same = targets[targets["mode"].map(lambda m: str(getattr(m, "value", m))) == mode]
        values = list(pd.to_numeric(same["target_value"], errors="coerce").dropna())
    nearest = max(highest, min(values)) if values else highest  # the lowest target is always in view
    reach = REACH * nearest if nearest > 0 else float("inf")
    levels = [highest, *(v for v in values if v <= reach)]
    if axis == "log":
        positive = [v for v in (*drawn, *levels) if v > 0]
        low, high = (min(positive), max(positive)) if positive else (1.0, 10.0)
        fig.update_yaxes(type="log", range=[math.log10(low) - 0.1, math.log10(high * HEADROOM)])
    elif axis == "zoom":
        low, high = min(float(drawn.min()), *levels), max(levels)
        margin = ZOOM_MARGIN * (high - low) or ZOOM_MARGIN * abs(high) or 1.0
        fig.update_yaxes(range=[low - margin, high + margin])
    else:
        fig.update_yaxes(range=[0, HEADROOM * max(levels)] if max(levels) > 0 else None, rangemode="tozero")
    return reach


def progress_chart(series: pd.DataFrame, targets: pd.DataFrame | None = None,
                   projections: pd.DataFrame | None = None, *, show_reference: bool = False,
                   title: str | None = None, height: int = 460, y_title: str | None = None,
                   axis: str = "zero") -> go.Figure:
    """Observed values (query `observations` rows of one indicator and one mode), one line per country
    (per source where sources give different values for the same year), targets of the same mode as
    markers, and dashed projections (gap-table rows: latest_year/value, target_year, projected_value).
    `y_title` replaces the value axis title ('<indicator> (<unit>), <scope>'); `axis` is one of AXES."""
    if axis not in AXES:
        raise ValueError(f"axis must be one of {', '.join(AXES)}, not {axis!r}")
    fig = go.Figure()
    if series.empty:
        return finish(fig, title, height)
    mode = _one(series, "mode")
    _one(series, "indicator_code")
    unit = str(series["unit"].iloc[0]) if "unit" in series else ""
    unit = "%" if unit == "percent" else unit.replace("_", " ")
    colours = _colours(series)
    _history_traces(fig, series, colours, unit)
    if projections is not None and not projections.empty:
        projections = projections[projections["mode"].map(lambda m: str(getattr(m, "value", m))) == mode]
    start = _projection_traces(fig, projections, colours, unit)
    reach = _value_axis(fig, series, targets, mode, axis)
    beyond = _target_traces(fig, targets, mode, colours, show_reference, reach)
    if start is not None:
        end = max(int(projections["target_year"].max()), start + 1)
        fig.add_vrect(x0=start, x1=end + 0.5, fillcolor=PROJECTION_FILL, line_width=0, layer="below")
        fig.add_trace(go.Scatter(  # the band and the dashes explained in the legend, never over the lines
            x=[None], y=[None], mode="lines", name="Dashed, on the shaded band: straight line at the observed pace",
            line={"color": "#444444", "dash": "dash", "width": 2}, hoverinfo="skip"))
    indicator = str(series["indicator_name"].iloc[0]) if "indicator_name" in series else ""
    scope = "" if mode == "not_applicable" else f", {mode_label(mode)}"
    fig.update_yaxes(title_text=y_title or f"{indicator} ({unit}){scope}")
    years = pd.to_numeric(series["year"], errors="coerce").dropna()
    short = not years.empty and years.max() - years.min() < 6 and start is None
    fig.update_xaxes(title_text=None, tickformat="d", dtick=1 if short else None)  # never 2023, 2024, 2024
    finish(fig, title, height)
    if beyond:  # named just above the plot, so that the axis can fit the figures (wrapped to fit a phone)
        lines = textwrap.wrap("Above the scale: " + "; ".join(beyond), 60)
        fig.add_annotation(text="<br>".join(html.escape(line, quote=False) for line in lines), xref="paper",
                           yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False, align="left",
                           font={"size": 11, "color": "#444444"})
        fig.update_layout(margin={"t": (fig.layout.margin.t or 20) + 14 * len(lines) + 4})
    return fig
