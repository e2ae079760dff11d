"""The 30% slides of the briefing deck: the key message with the 30% chart beside it, then the question country
by country as the findings say it (`ctatracker.findings`): status, what the figure counts, the figure, its pace and
the IEA scenario only where it counts the same vehicle types."""

from __future__ import annotations

import pandas as pd

from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.key_messages import number
from ctatracker.briefing.layout import GREY, Deck, _text, chart_slide
from ctatracker.charts.style import STATUS_COLOURS


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted({i.strip() for v in frame["source_ids"].dropna() for i in str(v).split(";") if i.strip()})


def _found_ids(found: list) -> list[str]:
    return sorted({s for f in found for s in f.source_ids})


def ev30_message_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic in ("regional_ev30",)]
    t = d.ev30
    year = int(t["target_year"].dropna().iloc[0]) if t["target_year"].notna().any() else None
    value = number(t["target_value"].dropna().iloc[0]) if t["target_value"].notna().any() else "30"
    notes = ["Chart: each country's latest EV share of sales on its basis (filled: all vehicles, reported or derived "
             "from sales by vehicle type; open: a named proxy vehicle type, indicative), the straight line to the "
             "target year, the IEA scenario value where one exists (diamond) and the ambition (dashed). Countries "
             "without a yearly figure are named on the axis, never drawn as zero.", ""]
    notes += [f"{f.plain} Sources {d.refs.ref(list(f.source_ids))}" for f in d.findings.ev30]
    lead = ("Basis of each country: all vehicles where reported or derived from sales by vehicle type, otherwise "
            "a named proxy (cars only, for example), marked indicative.")
    chart_slide(deck, f"EV sales against the {value}% ambition" + (f" by {year}" if year else ""), "ev30", msgs,
                notes, _ids(t), lead)


def ev30_table_slide(deck: Deck) -> None:
    d = deck.data
    t = d.ev30
    found = list(d.findings.ev30)
    with_data = [f for f in found if f.basis.has_figure]
    without = [f for f in found if not f.basis.has_figure]
    notes = ["Pace: the country's recent trend carried on to the target year (gap analysis). IEA scenario: the "
             "scenario's value for the target year, shown only where it counts the same vehicle types as the figure; "
             "a projection beside the status, never in it.", ""]
    notes += [f"{f.country_name}: {f.technical}" for f in found if f.technical]
    slide = deck.slide("The 30% question, country by country", _found_ids(with_data), notes)
    rows, fills = [], {}
    for i, f in enumerate(with_data):
        rows.append([f.country_name, f.status_label, f.basis.words, f.figure, f.pace or "–",
                     f.scenario or "none on the same vehicle types"])
        fills[(i, 1)] = STATUS_COLOURS[f.status.value]
    year = int(t["target_year"].dropna().iloc[0]) if t["target_year"].notna().any() else "target year"
    if rows:
        deck.table(slide, ["Country", "Status", "What the figure counts", "Latest", "Pace",
                           f"IEA scenario, {year}"], rows, (LEFT, TOP, INNER), [1.6, 1.6, 3.4, 1.3, 2.2, 2.23],
                   size=11, fills=fills)
    y = TOP + 0.36 * (len(rows) + 1) + 0.2
    evidence = "; ".join(f"{f.country_name}: {f.evidence[0].text}" for f in without if f.evidence)
    none = ", ".join(f.country_name for f in without if not f.evidence)
    _text(slide, (LEFT, min(y, BOTTOM - 0.9), INNER, 0.9), [
        ((f"Indicative evidence only: {evidence}. " if evidence else "") + (f"No figure: {none}." if none else ""),
         {"size": 13}),
        ("Scenario values are projections, shown beside the status and never in it. Each country's basis, "
         "trend and scenario are explained in the speaker notes.", {"size": 11, "colour": GREY})])
