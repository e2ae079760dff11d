"""Regional overview figures: the commitment scorecard and the coverage map (pure: DataFrame in, Figure out)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from ctatracker.charts.style import STAGE_COLOURS, STAGE_LABELS, STAGE_ORDER, finish
from ctatracker.findings.model import CO2_GROUP_LABELS, Group

NO_DATA = "No data"
NO_DATA_COLOUR = "#BBBBBB"
NO_DATA_HOW = "No assessment recorded; a commitments entry (stage, summary, source) would fill it."
MAP_HEIGHT = 460
"""Tall enough for the map at full width on a wide screen, without a band of empty space around it on a phone."""
NUMERIC_SCALE = "Viridis"
"""Continuous colour scale of numeric map measures: colour-blind safe, and no grey (grey means no data)."""

_SHORT = {"no_action": "None", "proposed": "Prop.", "pledged": "Pledge", "in_policy": "Policy",
          "in_law": "Law", "achieved": "Done"}


def _wrap(text: object, width: int = 60) -> str:
    """Text for a hover label: line breaks every `width` characters, '' for a missing value."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return ""
    return "<br>".join(textwrap.wrap(str(text), width)) or ""


def _source(row: Mapping) -> str:
    publisher, year, title = row.get("source_publisher"), row.get("source_year"), row.get("source_title")
    if not isinstance(publisher, str):
        return "not given"
    when = f" ({int(year)})" if year is not None and pd.notna(year) else " (undated)"
    return _wrap(f"{publisher}{when}, {title}")


def _discrete_scale(colours: Sequence[str]) -> list[list]:
    """A stepped colour scale giving integer z = 0..n-1 one flat colour each (zmin -0.5, zmax n-0.5)."""
    n = len(colours)
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _short_names(names: Sequence[str]) -> list[str]:
    """Column labels that fit a phone: the part before ' and ', wrapped; full names if that is ambiguous."""
    short = [_wrap(n.split(" and ")[0], 10) for n in names]
    return short if len(set(short)) == len(short) else [_wrap(n, 14) for n in names]


def scorecard(commitments: pd.DataFrame, countries: pd.DataFrame, areas: pd.DataFrame) -> go.Figure:
    """Countries (rows) x action areas (columns), each cell coloured by implementation stage.

    commitments: rows of queries.commitments; countries: iso3, name; areas: code, name (in display order).
    A cell without a commitment row is grey and labelled 'no data', never given a stage.
    """
    names = list(countries["name"])
    area_names = list(areas["name"])
    by_cell = {(r["country_iso3"], r["action_area_code"]): r for r in commitments.to_dict("records")}
    z, text, custom = [], [], []
    for iso, country in zip(countries["iso3"], names, strict=True):
        z_row, t_row, c_row = [], [], []
        for code, area in zip(areas["code"], area_names, strict=True):
            row = by_cell.get((iso, code))
            if row is None:
                z_row.append(0)
                t_row.append("no data")
                c_row.append([country, area, NO_DATA, _wrap(NO_DATA_HOW), "–", "–"])
                continue
            stage = str(row["stage"])
            as_of = pd.Timestamp(row["as_of"]).date().isoformat() if pd.notna(row.get("as_of")) else "–"
            z_row.append(STAGE_ORDER.index(stage) + 1)
            t_row.append(_SHORT[stage])
            c_row.append([country, area, STAGE_LABELS[stage], _wrap(row.get("summary")), as_of, _source(row)])
        z.append(z_row)
        text.append(t_row)
        custom.append(c_row)
    labels = [NO_DATA] + [STAGE_LABELS[s] for s in STAGE_ORDER]
    columns = _short_names(area_names)
    heatmap = {
        "type": "heatmap", "z": z, "x": columns, "y": names, "text": text,
        "texttemplate": "%{text}", "textfont": {"size": 10}, "customdata": custom, "xgap": 2, "ygap": 2,
        "name": "Implementation stage", "colorscale": _discrete_scale([NO_DATA_COLOUR, *STAGE_COLOURS]),
        "zmin": -0.5, "zmax": len(labels) - 0.5, "showscale": False,
        "hovertemplate": ("<b>%{customdata[0]}</b> · %{customdata[1]}<br>Stage: <b>%{customdata[2]}</b><br>"
                          "%{customdata[3]}<br>As of: %{customdata[4]}<br>Source: %{customdata[5]}<extra></extra>"),
    }
    keys = [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": label, "hoverinfo": "skip",
             "marker": {"symbol": "square", "size": 14, "color": colour, "line": {"color": "#888888", "width": 1}}}
            for label, colour in zip(labels, [NO_DATA_COLOUR, *STAGE_COLOURS], strict=True)]  # legend keys only
    fig = go.Figure(data=[heatmap, *keys])
    finish(fig, height=max(320, 34 * len(names) + 200))
    # Margins sized from the labels rather than by Plotly's automargin, which draws the figure twice. The top
    # margin fits the column labels level (wide screens) or turned upright (a phone, where Plotly rotates them).
    lines = [c.split("<br>") for c in columns] or [[""]]
    top = max(14 * max(len(parts) for parts in lines), 7 * max(len(p) for parts in lines for p in parts))
    fig.update_layout(legend={"y": -0.02, "title": {"text": "Stage"}},
                      margin={"l": 16 + 7 * max((len(n) for n in names), default=8), "t": 12 + top, "b": 80})
    fig.update_yaxes(autorange="reversed", automargin=False, categoryorder="array", categoryarray=names)
    fig.update_xaxes(side="top", automargin=False, tickfont={"size": 11})
    return fig


def _category_trace(frame: pd.DataFrame, name: str, colour: str, label: str) -> go.Choropleth:
    return go.Choropleth(
        locations=frame["iso3"], locationmode="ISO-3", z=[1] * len(frame), name=name, legendgroup=name,
        colorscale=[[0, colour], [1, colour]], showscale=False, showlegend=True, hovertext=frame["name"],
        customdata=list(zip(frame["_shown"], frame["_detail"], strict=True)),
        marker={"line": {"color": "#555555", "width": 0.6}},
        hovertemplate=f"<b>%{{hovertext}}</b><br>{label}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>",
    )


def coverage_map(frame: pd.DataFrame, value_column: str, label: str, *, order: Sequence[str] | None = None,
                 colours: Mapping[str, str] | None = None, unit: str = "") -> go.Figure:
    """Choropleth of Asia: one colour per category (text column) or a colour scale (numeric column).

    frame: iso3, name (full country name, shown in the hover), value_column, optional detail (year, source).
    A missing value is drawn grey as 'No data', never as zero. Categories follow `order` and `colours` when
    given. Render with st.plotly_chart(..., config=MAP_CONFIG) so the map topology is served locally.
    """
    df = frame.copy()
    df["_detail"] = df["detail"].map(_wrap) if "detail" in df else ""
    values = df[value_column]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    missing = df[values.isna()].assign(_shown=NO_DATA)
    fig = go.Figure()
    if numeric:
        have = df[values.notna()]
        if not have.empty:
            fig.add_trace(go.Choropleth(
                locations=have["iso3"], locationmode="ISO-3", z=have[value_column].astype(float), name=label,
                colorscale=NUMERIC_SCALE, hovertext=have["name"], customdata=list(have["_detail"]),
                marker={"line": {"color": "#555555", "width": 0.6}}, zmin=0,
                colorbar={"title": {"text": f"{label} ({unit})" if unit else label, "side": "top"},
                          "orientation": "h", "x": 0, "xanchor": "left", "y": -0.02, "yanchor": "top",
                          "thickness": 12, "len": 0.55},
                hovertemplate=(f"<b>%{{hovertext}}</b><br>{label}: %{{z:.1f}}{unit}<br>%{{customdata}}"
                               "<extra></extra>"),
            ))
    else:
        shown = df[values.notna()].assign(_shown=values.dropna().astype(str))
        palette = dict(colours or {})
        cats = [c for c in (order or sorted(shown["_shown"].unique())) if c in set(shown["_shown"])]
        cats += sorted(set(shown["_shown"]) - set(cats))
        fallback = iter(["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"])
        for cat in cats:
            colour = palette.get(cat) or next(fallback, "#000000")
            fig.add_trace(_category_trace(shown[shown["_shown"] == cat], cat, colour, label))
    if not missing.empty:
        fig.add_trace(_category_trace(missing, NO_DATA, NO_DATA_COLOUR, label))
    finish(fig, height=MAP_HEIGHT)
    fig.update_geos(scope="asia", resolution=50, fitbounds="locations", showcountries=True,
                    countrycolor="#999999", showcoastlines=False, showland=True, landcolor="#F2F2F2",
                    showframe=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    # no legend title (the chart's title says what the colours show; beside the keys, it pushed them off a phone's
    # screen); beside a colour scale, only the grey 'No data' key, to its right
    legend = {"y": -0.02, "x": 1, "xanchor": "right"} if numeric else {"y": -0.02, "x": 0}
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 10}, legend={**legend, "title": {"text": ""}})
    return fig


# ---------------------------------------------------------------- map measures (pure frame builders)

GROUPING_LABELS = {"lg_cta": "LG-CTA", "alp_clean_mobility_cop": "ALP Clean Mobility CoP",
                   "ndc_tia_peer_network": "NDC-TIA peer network"}


def _with_countries(countries: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every country (iso3, name) with its value and detail; countries without a value keep a missing one."""
    base = countries[["iso3", "name"]]
    if values.empty:
        return base.assign(value=pd.Series([None] * len(base), dtype=object, index=base.index), detail="")
    keep = [c for c in ("iso3", "value", "detail", "year") if c in values]
    return base.merge(values[keep], on="iso3", how="left")


def stage_frame(countries: pd.DataFrame, commitments: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """Implementation stage label of each country in one action area (rows of queries.commitments)."""
    rows = commitments[commitments["action_area_code"].map(str) == area_code]
    values = pd.DataFrame({
        "iso3": rows["country_iso3"], "value": rows["stage"].map(lambda s: STAGE_LABELS[str(s)]),
        "detail": [f"As of {pd.Timestamp(r['as_of']).date()} · {_source(r)}" for r in rows.to_dict("records")],
    })
    return _with_countries(countries, values)


def latest_frame(countries: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Latest value and year per country of one indicator and mode (the most confident source that year)."""
    from ctatracker.analysis.gap_tables import select_series

    if observations.empty:
        return _with_countries(countries, pd.DataFrame())
    latest = select_series(observations).sort_values("year").drop_duplicates("country_iso3", keep="last")
    values = pd.DataFrame({
        "iso3": latest["country_iso3"], "value": latest["value"].astype(float), "year": latest["year"],
        "detail": [f"{int(r['year'])} · {_source(r)}" for r in latest.to_dict("records")],
    })
    out = _with_countries(countries, values)
    out["value"] = pd.to_numeric(out["value"])
    return out


def years_shown(frame: pd.DataFrame) -> str:
    """Which years a map of each country's latest figure shows: 'figures for 2024', 'each country's latest figure,
    2019 to 2024' (frame: a `latest_frame`), or 'no figure'."""
    years = pd.to_numeric(frame.get("year", pd.Series(dtype=float)), errors="coerce").dropna().astype(int)
    if years.empty:
        return "no figure"
    low, high = int(years.min()), int(years.max())
    return f"figures for {high}" if low == high else f"each country's latest figure, {low} to {high}"


def groupings_frame(countries: pd.DataFrame) -> pd.DataFrame:
    """The groupings each country is recorded in (queries.countries), or 'None recorded'."""
    def label(text: object) -> str:
        if not isinstance(text, str) or not text:
            return "None recorded"
        return " + ".join(GROUPING_LABELS.get(g.strip(), g.strip()) for g in text.split(","))

    return countries[["iso3", "name"]].assign(value=countries["groupings"].map(label),
                                              detail="Membership as stated by a public source")


def euro_frame(countries: pd.DataFrame, euro_rows: pd.DataFrame, vehicle_class: str) -> pd.DataFrame:
    """Euro VI status label of each country for one vehicle class (rows of euro.euro_table)."""
    from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus

    rows = euro_rows[euro_rows["vehicle_class"] == vehicle_class]
    values = pd.DataFrame({"iso3": rows["country_iso3"],
                           "value": rows["status"].map(
                               lambda s: None if s == EuroStatus.NO_DATA else EURO_STATUS_LABELS[EuroStatus(s)]),
                           "detail": rows["explanation"]})
    return _with_countries(countries, values)


CO2_COLOURS: dict[str, str] = {CO2_GROUP_LABELS[g]: c for g, c in (
    (Group.ON_TRACK, "#0072B2"), (Group.INDICATIVE, "#F0E442"), (Group.OFF_TRACK, "#D55E00"),
    (Group.NO_DATA, NO_DATA_COLOUR))}
"""The transport CO2 ambition's groups on the map (below, about, above 2019, no figure), in that order."""


def co2_frame(countries: pd.DataFrame, co2_findings: Sequence) -> pd.DataFrame:
    """Where each country stands on transport CO2 against 2019 (the group label of its CO2 finding), its plain
    sentence as the detail; a country without a finding keeps a missing value (drawn as no data)."""
    values = pd.DataFrame({"iso3": [f.country_iso3 for f in co2_findings],
                           "value": [CO2_GROUP_LABELS[f.group] for f in co2_findings],
                           "detail": [f.plain for f in co2_findings]})
    return _with_countries(countries, values)
