"""Gap analysis figures: pace against target, Euro level timeline and status counts (pure builders)."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.analysis.gaps import STATUS_LABELS, STATUS_ORDER
from ctatracker.charts.style import OKABE_ITO, STATUS_COLOURS, finish, text_colour

EURO_STATUS_COLOURS: dict[str, str] = {
    EuroStatus.IN_FORCE: "#0072B2", EuroStatus.SCHEDULED: "#009E73", EuroStatus.PLEDGED: "#F0E442",
    EuroStatus.NOT_SCHEDULED: "#D55E00", EuroStatus.NO_DATA: "#BBBBBB",
}
"""Euro VI status colours (Okabe-Ito; grey for no data), keyed by EuroStatus value."""

UNIT_PER_YEAR = {
    "percent": "percentage points per year", "vehicles": "vehicles per year",
    "charging_points": "charging points per year", "charging_stations": "charging stations per year",
    "mt_co2": "Mt CO₂ per year", "mt_co2e": "Mt CO₂e per year", "euro_level": "Euro levels per year",
}
CLASS_LABELS = {"light_duty": "Light duty", "heavy_duty": "Heavy duty", "two_three_wheelers": "2-3 wheelers"}
CLASS_COLOURS = {"light_duty": OKABE_ITO[0], "heavy_duty": OKABE_ITO[5], "two_three_wheelers": OKABE_ITO[3]}
STEP_STATES = {  # drawn state of a standard step: legend text and marker symbol
    "in_force": ("in force", "circle"),
    "scheduled": ("adopted, future date", "circle-open"),
    "pledged": ("pledged only", "diamond-open"),
}


def pace_chart(gap_rows: pd.DataFrame, measure: Literal["slope", "cagr"] = "slope",
               title: str | None = None) -> go.Figure:
    """Observed vs required annual change per country for one target (rows of gap_table).

    slope: least-squares trend (base to latest) vs the yearly change still needed from the latest value, in
    the target's unit per year. cagr: compound growth observed vs required from the base year, in % per year.
    Countries where the pace cannot be computed are listed with the reason (e.g. insufficient data).
    """
    unit = next((u for u in gap_rows.get("unit", pd.Series(dtype=object)).dropna()), None)
    if measure == "cagr":
        obs_col, req_col, scale, axis = "observed_cagr", "required_cagr", 100.0, "% per year (compound growth)"
    else:
        obs_col, req_col, scale = "observed_slope", "required_slope", 1.0
        axis = UNIT_PER_YEAR.get(str(unit), f"{unit or 'units'} per year")
    rows = gap_rows.sort_values("country_name")
    ok = rows[rows[obs_col].notna() & rows[req_col].notna()]
    skipped = rows.drop(ok.index)
    custom = list(zip(ok["status_label"], ok["base_year"], ok["latest_year"], ok["target_year"], strict=True))
    fig = go.Figure()
    for col, name, colour, period in (
        (obs_col, "Observed", OKABE_ITO[0], "%{customdata[1]:.0f}–%{customdata[2]:.0f}"),
        (req_col, "Required", OKABE_ITO[1], ("%{customdata[1]:.0f}" if measure == "cagr" else
                                             "%{customdata[2]:.0f}") + "–%{customdata[3]:.0f}"),
    ):
        fig.add_trace(go.Bar(
            y=ok["country_name"], x=ok[col].astype(float) * scale, name=f"{name} ({axis})", orientation="h",
            marker={"color": colour, "pattern": {"shape": "" if name == "Observed" else "/"}},
            customdata=custom, texttemplate="%{x:+.2f}", textposition="outside", cliponaxis=False,
            hovertemplate=(f"<b>%{{y}}</b><br>{name}: %{{x:+.2f}} {axis} ({period})<br>"
                           "Status: %{customdata[0]}<extra></extra>"),
        ))
    if not skipped.empty:
        reasons = [f"not computed: {s}" for s in skipped["status_label"]]
        fig.add_trace(go.Scatter(
            y=skipped["country_name"], x=[0] * len(skipped), mode="text", text=reasons, name="Not computed",
            textposition="middle right", textfont={"color": "#555555"}, showlegend=False,
            hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>",
        ))
    finish(fig, title=title, height=max(300, 46 * len(rows) + 160))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array",
                     categoryarray=list(rows["country_name"]))
    fig.update_xaxes(title={"text": axis}, side="top", zeroline=True, zerolinecolor="#555555")
    return fig


def _step_state(row: Mapping, today: dt.date) -> str:
    """in_force (adopted and its date has come), scheduled (adopted, future date) or pledged."""
    if row["status"] == "pledged":
        return "pledged"
    when = row.get("effective_date")
    start = pd.Timestamp(when).date() if when is not None and pd.notna(when) else dt.date(
        int(row["effective_year"]), 1, 1)
    return "in_force" if start <= today else "scheduled"


def euro_timeline_compact(standards: pd.DataFrame) -> go.Figure:
    """`euro_timeline` for a page column: no axis title, the deadline's label to the left of its line."""
    return euro_timeline(standards).update_xaxes(title=None).update_annotations(xanchor="right")


def euro_timeline(standards: pd.DataFrame, deadline: int = 2030, as_of: dt.date | None = None) -> go.Figure:
    """Euro-equivalent standard steps by country (rows) and year: one marker per step showing its level,
    colour per vehicle class, filled when in force, open when adopted for a future date, diamond when only
    pledged; a dashed line at the deadline. Hover gives the local name, status, date and source."""
    today = as_of or dt.date.today()
    df = standards.copy()
    df["status"] = df["status"].map(str)
    df["vehicle_class"] = df["vehicle_class"].map(str)
    df["_state"] = [_step_state(r, today) for r in df.to_dict("records")]
    countries = sorted(df["country_name"].unique()) if len(df) else []
    df["_local"] = df["local_name"].fillna("").map(lambda s: f" ({s})" if s else "")
    df["_when"] = df["effective_date"].map(lambda d: pd.Timestamp(d).date().isoformat() if pd.notna(d) else "")
    df["_source"] = df["source_publisher"].fillna("") + df["source_year"].map(
        lambda y: f" ({int(y)})" if pd.notna(y) else "")
    traces = []
    for vc in [c for c in CLASS_LABELS if c in set(df["vehicle_class"])]:
        for state, (state_text, symbol) in STEP_STATES.items():
            part = df[(df["vehicle_class"] == vc) & (df["_state"] == state)]
            if part.empty:
                continue
            level = part["euro_level"].astype(str)
            colour = CLASS_COLOURS[vc]
            traces.append({
                "type": "scatter", "x": part["effective_year"].tolist(), "y": part["country_name"].tolist(),
                "mode": "markers+text", "text": level.tolist(),
                "textfont": {"size": 11, "color": "#FFFFFF" if state == "in_force" else colour},
                "name": f"{CLASS_LABELS[vc]}: {state_text}", "legendgroup": vc, "offsetgroup": vc,
                "orientation": "h",
                "marker": {"symbol": symbol, "size": 20, "color": colour, "line": {"width": 2, "color": colour}},
                "customdata": list(zip("Euro " + level + part["_local"], part["_when"], part["_source"],
                                       strict=True)),
                "hovertemplate": (f"<b>%{{y}}</b> · {CLASS_LABELS[vc]}<br>%{{customdata[0]}}<br>"
                                  f"{state_text.capitalize()} from %{{x}} %{{customdata[1]}}<br>"
                                  "Source: %{customdata[2]}<extra></extra>"),
            })
    fig = go.Figure(data=traces)
    finish(fig, height=max(300, 52 * len(countries) + 180))
    fig.update_layout(  # the deadline as a dashed line across the plot, labelled at its top
        scattermode="group", scattergap=0.2,  # classes side by side within a country's row
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": deadline, "x1": deadline, "y0": 0, "y1": 1,
                 "line": {"dash": "dash", "color": "#000000", "width": 1.5}}],
        annotations=[{"text": f"{deadline} deadline", "xref": "x", "yref": "paper", "x": deadline, "y": 1,
                      "yanchor": "bottom", "showarrow": False}])
    fig.update_yaxes(categoryorder="array", categoryarray=countries, autorange="reversed", automargin=True)
    years = [*df["effective_year"].dropna().astype(int), deadline]
    fig.update_xaxes(title={"text": "Year the level applies to new vehicles"}, dtick=5,
                     range=[min(years) - 1.5, max(years) + 1.5])  # explicit: grouped scatter autoranges from 0
    return fig


def status_bar(rollup: pd.DataFrame, labels: Mapping[str, str] | None = None) -> go.Figure:
    """Countries per progress status, stacked, one bar per target (rows of gap_tables.rollup)."""
    names = ["<br>".join(textwrap.wrap((labels or {}).get(t, t), 28)) for t in rollup["target_id"]]
    fig = go.Figure()
    for status in STATUS_ORDER:
        counts = rollup[status.value].astype(int) if status.value in rollup else pd.Series([0] * len(rollup))
        colour = STATUS_COLOURS[status.value]
        fig.add_trace(go.Bar(
            y=names, x=counts, name=STATUS_LABELS[status], orientation="h",
            marker={"color": colour, "line": {"color": "#FFFFFF", "width": 1}},
            text=[str(c) if c else "" for c in counts], textposition="inside",
            textfont={"color": text_colour(colour)},
            hovertemplate=f"<b>%{{y}}</b><br>{STATUS_LABELS[status]}: %{{x}} countries<extra></extra>",
        ))
    finish(fig, height=max(260, 56 * len(rollup) + 170))
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title={"text": "Countries"}, side="top",
                     dtick=1 if rollup.get("countries", pd.Series([0])).max() < 12 else None)
    return fig


def euro_label(status: str) -> str:
    """Display label of a Euro status value."""
    return EURO_STATUS_LABELS[EuroStatus(status)]


def rollup_summary(rollup: pd.DataFrame) -> pd.DataFrame:
    """Regional targets one row each, national targets summed into one row (target_id 'national')."""
    counts = [s.value for s in STATUS_ORDER] + ["countries"]
    regional = rollup[rollup["target_scope"] == "regional"]
    national = rollup[rollup["target_scope"] == "national"]
    if national.empty:
        return regional.reset_index(drop=True)
    total = {c: int(national[c].sum()) for c in counts if c in national}
    row = pd.DataFrame([{"target_id": "national", "target_scope": "national", **total}])
    return pd.concat([regional, row], ignore_index=True)
