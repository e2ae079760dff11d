"""The edition's charts, each drawn by an existing builder of `ctatracker.charts` from the same frames and findings
the dashboard draws them from, and kept as Plotly's JSON with its alternative text, sources and notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from ctatracker.charts import overview
from ctatracker.charts.co2 import co2_chart
from ctatracker.charts.country import drawn_targets, ev_share_chart
from ctatracker.charts.ev30 import ev30_chart
from ctatracker.charts.gaps import euro_timeline, euro_timeline_compact, rollup_summary, status_bar
from ctatracker.charts.progress import progress_chart
from ctatracker.charts.style import STAGE_COLOURS, STAGE_LABELS
from ctatracker.edition import chart_data
from ctatracker.edition.model import Chart
from ctatracker.edition.read import Published
from ctatracker.findings.profile import Profile

MAP_AREA = "electric_vehicles"
"""The action area the overview's map is coloured by (the dashboard's default)."""
TABLE_BELOW = "The same figures are given as text on this page."


def _ids(*frames: pd.DataFrame | None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    ids = set(extra)
    for f in frames:
        if f is None or f.empty:
            continue
        if "source_id" in f:
            ids |= {str(v) for v in f["source_id"].dropna()}
        if "source_ids" in f:
            ids |= {p.strip() for v in f["source_ids"].dropna() for p in str(v).split(";") if p.strip()}
    return tuple(sorted(ids))


def chart(key: str, fig: go.Figure, title: str, alt: str, page: str, source_ids: Iterable[str] = (),
          notes: Iterable[str] = (), *, card: bool = False, is_map: bool = False,
          data: pd.DataFrame | None = None) -> Chart:
    """A figure as the edition keeps it: Plotly's JSON, its height, what it shows in words, its figures as a table
    (`data`, see `chart_data`)."""
    height = int(fig.layout.height or 450)
    return Chart(key, title, f"{alt} {TABLE_BELOW}", fig.to_json(), height, page, tuple(sorted(set(source_ids))),
                 tuple(notes), card, is_map, data)


def _not_drawn(frame: pd.DataFrame) -> tuple[str, ...]:
    missing = frame.loc[frame["value"].isna(), "name"]
    return (f"No data (grey): {', '.join(missing)}.",) if not missing.empty else ()


def overview_charts(pub: Published) -> list[Chart]:
    """The overview's map (stage of each country in the electric-vehicle action area) and its scorecard."""
    frame = overview.stage_frame(pub.countries, pub.commitments, MAP_AREA)
    area = pub.areas.set_index("code").loc[MAP_AREA, "name"] if MAP_AREA in set(pub.areas["code"]) else MAP_AREA
    order = list(STAGE_LABELS.values())
    fig = overview.coverage_map(frame, "value", "Implementation stage", order=order,
                                colours=dict(zip(order, STAGE_COLOURS, strict=True)))
    mine = pub.commitments[pub.commitments["action_area_code"] == MAP_AREA]
    return [
        chart("overview-map", fig, f"Implementation stage by country: {area}",
              f"Map of Asia: each country coloured by the implementation stage of its {area.lower()} action area.",
              "index.html", _ids(mine), _not_drawn(frame), card=True, is_map=True,
              data=chart_data.stages(pub.commitments, pub.countries, MAP_AREA)),
        chart("overview-scorecard", overview.scorecard(pub.commitments, pub.countries, pub.areas),
              "Implementation stage by country and action area",
              "Grid: one row per country, one column per action area, each cell coloured by its implementation "
              "stage; grey cells have no stage assessed.", "index.html", _ids(pub.commitments),
              data=chart_data.stages(pub.commitments, pub.countries)),
    ]


def gap_charts(pub: Published) -> list[Chart]:
    """The 30% chart (each country's latest EV share against the ambition) and the countries per status."""
    out = []
    ev30 = pub.ev30
    if not ev30.empty:
        target = float(ev30["target_value"].dropna().iloc[0]) if ev30["target_value"].notna().any() else 30.0
        year = int(ev30["target_year"].dropna().iloc[0]) if ev30["target_year"].notna().any() else None
        missing = [f.country_name for f in pub.found.ev30 if not f.basis.has_figure]
        out.append(chart(
            "gaps-ev30", ev30_chart(ev30, target=target, target_year=year),
            f"EV share of new vehicle sales against {target:g}% by {year or 2030}",
            "Dot chart: each country's latest EV share of new vehicle sales, coloured by its status, against the "
            "dashed line of the ambition; open circles mark one vehicle type used as a proxy.", "gaps.html",
            _ids(ev30), (f"Not drawn, no yearly figure: {', '.join(missing)}.",) if missing else (), card=True,
            data=chart_data.ev30(ev30)))
    summary = rollup_summary(pub.rollup)
    words = {f.target_id: f.target_words for f in (*pub.found.ev30, *pub.found.targets)}
    labels = {t: words.get(t, t)[0].upper() + words.get(t, t)[1:] for t in summary["target_id"]}
    labels["national"] = "National targets, each country against its own"
    found_ids = [s for f in (*pub.found.ev30, *pub.found.targets) for s in f.source_ids]
    out.append(chart("gaps-status", status_bar(summary, labels), "Countries per status, target by target",
                     "Stacked bars: for each regional target, and for the national targets together, how many "
                     "countries have each status.", "gaps.html", found_ids,
                     ("Regional targets count every covered country; the last bar sums country-target pairs over "
                      "all national targets.",), data=chart_data.status_counts(summary, labels)))
    return out


def euro_charts(pub: Published) -> list[Chart]:
    """Every country's emission-standard steps by year, against Euro VI by 2030."""
    if pub.standards.empty:
        return []
    return [chart("euro-timeline", euro_timeline(pub.standards, as_of=pub.today),
                  "Emission standards by country and year, against Euro VI by 2030",
                  "Timeline: one row per country and vehicle class, one marker per standard at the year it applies, "
                  "numbered with its Euro-equivalent level; filled when in force, open when adopted for a later "
                  "date, an open diamond when only pledged.", "euro-vi.html", _ids(pub.standards),
                  ("Filled: in force · open circle: adopted for a future date · open diamond: pledged only. The "
                   "number is the Euro-equivalent level.",), card=True, data=chart_data.standards(pub.standards))]


def co2_charts(pub: Published) -> list[Chart]:
    """The map of where each country's transport CO₂ stands against 2019."""
    if not pub.found.co2:
        return []
    frame = overview.co2_frame(pub.countries, pub.found.co2)
    fig = overview.coverage_map(frame, "value", "Transport CO₂ against 2019", order=list(overview.CO2_COLOURS),
                                colours=overview.CO2_COLOURS)
    return [chart("co2-map", fig, "Transport CO₂ against the 2019 level, by country",
                  "Map of Asia: each country coloured by where its latest transport CO₂ stands against its 2019 "
                  "level (below, about, above, or no figure).", "co2.html",
                  [s for f in pub.found.co2 for s in f.source_ids], _not_drawn(frame), card=True, is_map=True,
                  data=chart_data.co2_groups(list(pub.found.co2)))]


def country_charts(pub: Published, p: Profile, page: str) -> list[Chart]:
    """A country's charts, each when it has data: EV share by vehicle type, Euro levels, public charging points,
    transport CO₂ against 2019 (the first drawn is the page's preview)."""
    key = f"country-{p.iso3.lower()}"
    out = []
    if not p.share_series.empty or not p.derived.empty:
        drawn, later = drawn_targets(p.targets)
        notes = ["Each line is one measure from one source family (newest edition for each year, yearly figures "
                 "only). The dotted line is derived by the tracker; dashed lines are IEA's scenario, a projection."]
        if not later.empty:
            notes.append("Later targets, not drawn: " + "; ".join(str(w).rstrip(".") for w in later["wording"]) + ".")
        out.append(chart(f"{key}-ev-share", ev_share_chart(
            p.share_series, p.targets, p.scenarios, p.derived, p.iso3, derived_source=p.derived_source or "IEA data"),
            f"{p.name}: EV share of new vehicle sales, by vehicle type",
            f"Line chart: {p.name}'s EV share of new vehicle sales by year, one line per vehicle type, with its "
            "targets as markers.", page, _ids(p.share_series, p.derived, p.targets, p.scenarios), notes,
            data=chart_data.ev_share(p.share_series, p.derived, p.scenarios, drawn)))
    if not p.standards.empty:
        out.append(chart(f"{key}-euro", euro_timeline_compact(p.standards),
                         f"{p.name}: emission standards, Euro level by the year it applies to new vehicles",
                         f"Timeline: {p.name}'s emission standards by vehicle class, one marker per step at the year "
                         "it applies, numbered with its Euro-equivalent level.", page, _ids(p.standards),
                         data=chart_data.standards(p.standards)))
    if not p.charging_series.empty:
        out.append(chart(f"{key}-charging", progress_chart(p.charging_series),
                         f"{p.name}: public EV charging points", f"Line chart: {p.name}'s public EV charging points "
                         "by year.", page, _ids(p.charging_series), data=chart_data.charging(p.charging_series)))
    found = pub.found.co2_of(p.iso3)
    if found is not None and found.points:
        out.append(chart(f"{key}-co2", co2_chart(found), f"{p.name}: transport CO₂ against its 2019 level",
                         f"Line chart: {p.name}'s transport CO₂ by year since 2010 against a dashed line at its 2019 "
                         "level; the pandemic years 2020–2021 shaded.", page, found.source_ids,
                         ("One source family, the newest edition for each year. Dashed: the 2019 level. Shaded: the "
                          "pandemic years 2020–2021, never used alone for a trend.",),
                         data=chart_data.co2_series(found)))
    if out:
        out[0] = replace(out[0], card=True)
    return out
