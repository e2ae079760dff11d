"""The 30% slides of the briefing deck: the key message with the 30% chart beside it, then the question country
by country from the 30% table (`ctatracker.analysis.ev_share.EV30_COLUMNS`): status, basis (all vehicles reported or
derived from mode data, or a named proxy), latest value and year, straight line to the target year and the IEA
scenario value with its label."""

from __future__ import annotations

import pandas as pd

from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.key_messages import number
from ctatracker.briefing.layout import GREY, Deck, _text, chart_slide
from ctatracker.charts.style import STATUS_COLOURS

BASIS_WORDS = {"reported": "All vehicles, reported", "derived": "All vehicles, derived from mode data"}


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted({i.strip() for v in frame["source_ids"].dropna() for i in str(v).split(";") if i.strip()})


def basis_text(row: dict) -> str:
    """'All vehicles, derived from mode data' or 'Proxy: cars only' (the 30% table's own words for a proxy)."""
    kind = str(row.get("basis_kind"))
    return BASIS_WORDS.get(kind) or (str(row["basis"]) if isinstance(row.get("basis"), str) else "no data")


def ev30_message_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic.startswith(("ev_", "regional_share"))]
    t = d.ev30
    year = int(t["target_year"].dropna().iloc[0]) if t["target_year"].notna().any() else None
    value = number(t["target_value"].dropna().iloc[0]) if t["target_value"].notna().any() else "30"
    notes = ["Chart: each country's latest EV share of sales on its basis (filled: all vehicles, reported or derived "
             "from mode data; open: a named proxy mode), the straight line to the target year, the IEA scenario "
             "value where one exists (diamond) and the ambition (dashed). Countries without data are named on the "
             "axis, never drawn as zero.", ""]
    notes += [f"{r['country_name']}: {r['status_label']}; {basis_text(r)}; "
              + (f"{number(r['latest_value'])}% in {int(r['latest_year'])}" if pd.notna(r["latest_value"])
                 else "no data") + f"; sources {d.refs.ref(str(r['source_ids']).split(';'))}"
              for r in t.to_dict("records")]
    lead = ("Basis of each country: all vehicles where reported or derived from sales by vehicle type, otherwise "
            "a named proxy (cars only, for example).")
    chart_slide(deck, f"EV sales against the {value}% ambition" + (f" by {year}" if year else ""), "ev30", msgs,
                notes, _ids(t), lead)


def ev30_table_slide(deck: Deck) -> None:
    d = deck.data
    t = d.ev30
    with_data = t[t["latest_value"].notna()]
    without = t[t["latest_value"].isna()]
    pace = [m for m in d.regional if m.topic == "pace"]
    notes = ["Straight line: the country's recent trend carried on to the target year (gap analysis). IEA scenario: "
             "the scenario's value for the target year on the same basis, a projection shown beside the status, "
             "never in it.", "", *d.figure_notes(pace)]
    notes += [f"{r['country_name']}: {r['explanation']}" for r in t.to_dict("records")
              if isinstance(r.get("explanation"), str)]
    slide = deck.slide("The 30% question, country by country", _ids(with_data), notes)
    rows, fills = [], {}
    for i, r in enumerate(with_data.to_dict("records")):
        line = f"{number(r['projected_value'])}%" if pd.notna(r["projected_value"]) else "–"
        scen = (f"{number(r['scenario_value'])}% ({str(r['scenario_label']).split(',')[0]})"
                if pd.notna(r["scenario_value"]) else "none published")
        rows.append([r["country_name"], r["status_label"], basis_text(r),
                     f"{number(r['latest_value'])}% ({int(r['latest_year'])})", line, scen])
        fills[(i, 1)] = STATUS_COLOURS[str(r["status"])]
    year = int(t["target_year"].dropna().iloc[0]) if t["target_year"].notna().any() else "target year"
    if rows:
        deck.table(slide, ["Country", "Status", "Basis", "Latest", f"Straight line to {year}",
                           f"IEA scenario, {year}"], rows, (LEFT, TOP, INNER), [1.7, 1.75, 3.3, 1.35, 1.6, 2.63],
                   size=11, fills=fills)
    y = TOP + 0.36 * (len(rows) + 1) + 0.2
    _text(slide, (LEFT, min(y, BOTTOM - 0.9), INNER, 0.9), [
        (f"No data: {', '.join(without['country_name'])}." if not without.empty else "", {"size": 13}),
        ("Scenario values are projections, shown beside the status and never in it. Each country's basis, "
         "trend and scenario are explained in the speaker notes.", {"size": 11, "colour": GREY})])
