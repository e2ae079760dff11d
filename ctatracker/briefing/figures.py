"""The charts of a briefing pack, drawn for the slide they go on: the dashboard's builders and the briefing's own
(`ctatracker.charts.briefing`), sized at 72 layout pixels per inch of slide so that a 16 px font shows at 16 pt,
each with what it shows in words (its alt text and the brief's caption) and the sources of what it draws."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ctatracker.analysis.co2 import BASE_YEAR
from ctatracker.briefing import storyline as story
from ctatracker.briefing.content import BOTTOM, FULL, INNER, LEFT, SIDE, TOP, Chart, PackData
from ctatracker.briefing.figure_check import label_every_category
from ctatracker.charts import briefing as bc
from ctatracker.charts.co2 import co2_chart
from ctatracker.charts.country import ev_share_chart
from ctatracker.charts.ev30 import ev30_chart
from ctatracker.charts.style import country_colour
from ctatracker.findings.compose import EVIDENCE_INDICATORS
from ctatracker.findings.words import OF_WHAT

BODY_FONT, DENSE_FONT = 16, 14
"""Chart text in points on the slide: 16, or 14 for a chart of a row per country."""


def _ids(values: Any) -> tuple[str, ...]:
    return tuple(sorted({i.strip() for v in values if isinstance(v, str) for i in v.split(";") if i.strip()}))


def _sized(fig: Any, font: int = BODY_FONT) -> Any:
    """A figure's text at the slide's size; no title in the image (the slide's title says it)."""
    fig.update_layout(font={"size": font}, title=None)
    return label_every_category(fig)


def step_state(row: dict, today: dt.date) -> str:
    """in_force (adopted and its date has come), scheduled (adopted, for a later date) or pledged."""
    if str(row["status"]) == "pledged":
        return "pledged"
    when = row.get("effective_date")
    start = pd.Timestamp(when).date() if when is not None and pd.notna(when) else dt.date(
        int(row["effective_year"]), 1, 1)
    return "in_force" if start <= today else "scheduled"


def _steps(standards: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    rows = standards[standards["vehicle_class"].map(str).isin(["light_duty", "heavy_duty"])]
    return pd.DataFrame({"country": rows["country_name"], "vehicle_class": rows["vehicle_class"].map(str),
                         "level": rows["euro_level"], "year": rows["effective_year"],
                         "state": [step_state(r, today) for r in rows.to_dict("records")]})


def _grid(data: PackData, box: tuple[float, float, float, float], highlight: str | None) -> Chart | None:
    found = data.findings
    cells = story.grid_cells(found)
    if cells.empty:
        return None
    fig = bc.ambitions_grid(cells, story.grid_columns(found), story.GRID_LABELS, highlight=highlight)
    fig.update_layout(legend={"entrywidth": 0.25 if box[2] > 10 else 0.5, "entrywidthmode": "fraction"})
    ids = {s for f in (*found.ev30, *found.euro, *found.co2) for s in f.source_ids}
    who = f", {highlight} outlined" if highlight else ""
    return Chart("grid", _sized(fig, DENSE_FONT), box,
                 f"where each of the {cells['country'].nunique()} countries stands on the 2030 ambitions (30% EV "
                 f"sales, Euro VI for heavy- and light-duty vehicles, transport CO₂ against {BASE_YEAR}), each cell "
                 f"coloured on track, off track, indicative or no figure{who}", tuple(sorted(ids)))


def _co2(data: PackData, box: tuple[float, float, float, float], highlight: str | None = None) -> Chart | None:
    found = data.findings
    rows = story.co2_rows(found)
    if rows.empty:
        return None
    credit = " ".join(story.credit_lines(found.regional_of("co2")))
    fig = bc.co2_change_bars(rows, story.MARGIN, BASE_YEAR, story.co2_year_words(found), highlight, credit)
    ids = tuple(sorted({s for c in found.co2 for s in c.source_ids}))
    return Chart("co2", _sized(fig, DENSE_FONT), box,
                 f"change in transport CO₂ emissions by country, {story.co2_year_words(found)} against {BASE_YEAR}, "
                 f"coloured below, about (within {story.MARGIN:g}%) or above the {BASE_YEAR} level", ids)


def regional(data: PackData) -> dict[str, Chart]:
    """The regional pack's charts: 30% EV sales, Euro VI, transport CO2, support, every country."""
    out: dict[str, Chart] = {}
    if data.has_area("electric_vehicles") and not data.ev30.empty and data.ev30["latest_value"].notna().any():
        fig = ev30_chart(data.ev30)
        fig.update_layout(legend={"orientation": "h", "y": -0.24, "yanchor": "top"},
                          margin={"l": 10, "r": 20, "t": 36, "b": 10})
        out["ev30"] = Chart("ev30", _sized(fig), SIDE,
                            "EV share of new vehicle sales in each country's latest year, against the 30% ambition "
                            "by 2030, with the straight line to 2030 and the IEA scenario; countries with a yearly "
                            "figure only", _ids(data.ev30["source_ids"]))
    steps = _steps(data.standards, data.as_of)
    if data.has_area("standards") and not steps.empty:
        out["euro"] = Chart("euro", _sized(bc.euro_by_class(steps, 2030), DENSE_FONT), SIDE,
                            "vehicle emission standard steps by country and year, heavy-duty and light-duty, "
                            "against Euro VI by 2030; countries with a standard recorded",
                            _ids(data.standards["source_id"]))
    if (co2 := _co2(data, SIDE)) is not None:
        out["co2"] = co2
    support = story.support_rows(data.matching)
    if not support.empty:
        fig = bc.support_bars(support, "Support under way", "No support under way")
        fig.update_layout(margin={"l": 10, "r": 10, "t": 20, "b": 10})
        ongoing = data.activities[data.activities["status"].map(_under_way)]
        out["support"] = Chart("support", _sized(fig), (6.6, TOP, LEFT + INNER - 6.6, BOTTOM - TOP),
                               "countries with a gap in each action area (a target off track, Euro VI not scheduled "
                               "or no action recorded), with and without support under way",
                               _ids(ongoing["source_id"]))
    if (grid := _grid(data, FULL, None)) is not None:
        out["grid"] = grid
    return out


def _under_way(status: Any) -> bool:
    from ctatracker.analysis.matching import is_under_way

    return bool(is_under_way(status))


def _evidence_points(obs: pd.DataFrame) -> pd.DataFrame:
    """EV shares of a country on bases narrower than all new vehicles: a label per indicator and vehicle type."""
    if obs.empty:
        return pd.DataFrame(columns=["label", "year", "value", "source_id"])
    sel = obs[obs["indicator_code"].isin(list(EVIDENCE_INDICATORS)) & obs["value"].notna()]
    sel = sel[~((sel["indicator_code"] == "ev_sales_share") & (sel["mode"].map(str) == "all_vehicles"))]
    labels = [f"Share of {OF_WHAT.get(str(getattr(m, 'value', m)), 'vehicle')} {EVIDENCE_INDICATORS[i]}"
              .replace("of new vehicle the fleet", "of the vehicle fleet") for i, m in
              zip(sel["indicator_code"], sel["mode"], strict=True)]
    return pd.DataFrame({"label": labels, "year": sel["year"].astype(int), "value": sel["value"].astype(float),
                         "source_id": sel["source_id"]})


def country(data: PackData) -> dict[str, Chart]:
    """The one-country pack's charts: its EV shares with its targets, its Euro steps, its transport CO2 and its
    place among every country."""
    iso, p = data.focus, data.profile
    name = data.name(iso)
    out: dict[str, Chart] = {}
    if p is not None and (not p.share_series.empty or not p.derived.empty):
        fig = ev_share_chart(p.share_series, p.targets, p.scenarios, p.derived, iso, p.derived_source or "IEA data")
        for trace in fig.data:  # the legend in a few words: the notes say where the derived line comes from
            if trace.name and trace.name.startswith("All vehicles, derived"):
                trace.name = "All vehicles, derived by the tracker"
        fig.update_layout(legend={"y": -0.08, "font": {"size": 14}}, margin={"l": 10, "r": 30, "t": 10, "b": 10})
        fig.update_yaxes(title_text="Share of new sales (%)")
        ids = _ids([*p.share_series.get("source_id", []), *p.derived.get("source_id", []),
                    *p.targets.get("source_id", [])])
        out["ev"] = Chart("ev", _sized(fig), SIDE, f"{name}: EV share of new vehicle sales by vehicle type over time, "
                          "with its targets and the IEA scenario", ids)
    elif p is not None:
        points = _evidence_points(p.frames.get("observations", pd.DataFrame()))
        if not points.empty:
            t = p.targets.dropna(subset=["target_value", "target_year"])
            regional = t[t["country_iso3"].isna()]
            goal = regional.iloc[0] if not regional.empty else (t.iloc[0] if not t.empty else None)
            fig = bc.share_points(points, float(goal["target_value"]) if goal is not None else None,
                                  int(goal["target_year"]) if goal is not None else None,
                                  f"{goal['target_value']:g}% EV sales by {int(goal['target_year'])}"
                                  if goal is not None else "", country_colour(iso))
            fig.update_layout(legend={"orientation": "h", "y": -0.12, "yanchor": "top"})
            ids = _ids([*points["source_id"], *([goal["source_id"]] if goal is not None else [])])
            out["ev"] = Chart("ev", _sized(fig), SIDE, f"{name}: EV shares recorded on narrower bases than all new "
                              "vehicle sales (indicative only), against the 30% ambition by 2030", ids)
    mine = data.standards[data.standards["country_iso3"] == iso]
    steps = _steps(mine, data.as_of)
    if data.has_area("standards"):
        fig = bc.euro_steps(steps, 6, 2030, "Euro VI by 2030")
        fig.update_layout(legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
        out["euro"] = Chart("euro", _sized(fig), SIDE, f"{name}: vehicle emission standard steps for light-duty and "
                            "heavy-duty vehicles, against Euro VI by 2030", _ids(mine["source_id"]))
    c = data.findings.co2_of(iso)
    if c is not None and c.points:
        fig = co2_chart(c)
        fig.update_layout(margin={"l": 10, "r": 20, "t": 20, "b": 90})
        out["co2"] = Chart("co2", _sized(fig), SIDE, f"{name}: transport CO₂ emissions since 2010 against its "
                           f"{BASE_YEAR} level ({c.source})", c.source_ids)
    grid = _grid(data, (LEFT, TOP, 8.6, BOTTOM - TOP), name)
    if grid is not None:
        out["grid"] = grid
    return out


def charts(data: PackData) -> dict[str, Chart]:
    """The pack's charts, by kind of pack."""
    return country(data) if data.focus else regional(data)
