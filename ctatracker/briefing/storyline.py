"""What a briefing pack says about the region, in the order it says it: the answer on the three 2030 ambitions
(30% EV sales, Euro VI, transport CO2 below 2019) from the findings' regional answers, where every country stands,
the change in transport CO2, where support is needed, and the asks. Pure functions on the findings and the matching
of gaps with support: the slides and the brief render what these return, and compose no claim of their own."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ctatracker.analysis.co2 import BASE_YEAR, TOLERANCE_PCT, pct_change
from ctatracker.findings.model import Findings, Group, RegionalFinding
from ctatracker.findings.words import names

AMBITIONS: tuple[tuple[str, str], ...] = (
    ("ev30", "30% EV sales"), ("euro_hdv", "Euro VI, heavy-duty"), ("euro_ldv", "Euro VI, light-duty"),
    ("co2", "Transport CO₂ below 2019"))
"""The regional answers a pack leads with (keys of `Findings.regional`) and their short names."""
SHORT = dict(AMBITIONS)
SUPPORT_TOPICS = ("unsupported", "activities")
"""The regional key messages on support: the largest gaps without support, the activities recorded."""
GRID_LABELS: dict[Group, str] = {Group.ON_TRACK: "On track", Group.OFF_TRACK: "Off track",
                                 Group.INDICATIVE: "Indicative, pledged or about 2019", Group.NO_DATA: "No figure"}
"""The legend of the grid of every country: one colour per group, whatever the ambition."""
COUNT_HEADERS = ("Off track", "Indicative only", "No figure")
MARGIN = TOLERANCE_PCT
"""Within this many percent of 2019, transport CO2 counts as about its 2019 level (the findings' margin)."""


def answers(found: Findings) -> list[RegionalFinding]:
    """The regional answers on the three ambitions that the findings hold, in the pack's order."""
    return [r for key, _ in AMBITIONS if (r := found.regional_of(key)) is not None]


def counts(r: RegionalFinding) -> dict[Group, int]:
    """Countries in each group of a regional answer."""
    return {g: len(r.groups.get(g, ())) for g in Group}


def answer_table(found: Findings) -> tuple[list[str], list[list[str]]]:
    """The answer in a small table: one row per ambition, who is on track by name, how many countries are in each
    other group."""
    header = ["2030 ambition", "On track", *COUNT_HEADERS]
    rows = []
    for r in answers(found):
        n = counts(r)
        rows.append([SHORT[r.key], names(list(r.groups.get(Group.ON_TRACK, ()))),
                     str(n[Group.OFF_TRACK]), str(n[Group.INDICATIVE]), str(n[Group.NO_DATA])])
    return header, rows


def group_meanings(found: Findings) -> list[str]:
    """What each group means for each ambition, in the findings' labels (for the notes)."""
    return [f"{SHORT[r.key]}: " + "; ".join(f"{label.lower()}: {names(list(members))}"
                                             for label, members in r.named_groups())
            for r in answers(found)]


_WITHOUT = re.compile(r"without (?P<who>[A-Z][^,;]*?) the (?:share|total) is (?P<value>[^;]+?)(?:\.(?:\s|$)|;|$)")


def without_largest(r: RegionalFinding | None) -> str | None:
    """'Without China: 6.7%', in the regional answer's own words; None when it gives no such figure."""
    for text in (r.details if r is not None else ()):
        m = _WITHOUT.search(text)
        if m:
            return f"Without {m.group('who')}: {m.group('value')}"
    return None


def credit_lines(r: RegionalFinding | None) -> list[str]:
    """The credit lines a regional answer carries (its sources' licences ask for them beside a chart)."""
    return [d for d in (r.details if r is not None else ()) if d.startswith("Source:")]


def summary_lines(found: Findings) -> list[str]:
    """One line per ambition for a summary: who is on track by name, how many are in each other group, and the
    regional figure where the answer has one."""
    out = []
    for r in answers(found):
        n = counts(r)
        on = names(list(r.groups.get(Group.ON_TRACK, ()))) if n[Group.ON_TRACK] else "no country"
        rest = [f"{n[g]} {w}" for g, w in ((Group.OFF_TRACK, "off track"), (Group.INDICATIVE, "indicative only"),
                                           (Group.NO_DATA, "without a figure")) if n[g]]
        line = f"{SHORT[r.key]}: {on} on track" + (f"; {', '.join(rest)}." if rest else ".")
        if r.figure:
            where = r.coverage.split(";")[0] if r.coverage else "coverage not given"
            line += f" Regional figure: {r.figure} ({where})."
        out.append(line)
    return out


def co2_change(latest: float | None, base: float | None) -> float | None:
    """The change against 2019 in percent, as the CO2 finding computes it; None without both figures."""
    return pct_change(latest, base) if latest is not None and base else None


def signed(value: float) -> str:
    """'+14.1%', '−7.5%' (a true minus sign)."""
    return f"{value:+.1f}%".replace("-", "−")


def grid_cells(found: Findings) -> pd.DataFrame:
    """Every country against every ambition: its group and its figure in a few words (from its findings)."""
    rows = []
    for f in found.ev30:
        text = f.figure if f.basis.has_figure else ("indicative" if f.group is Group.INDICATIVE else "no figure")
        rows.append({"iso3": f.country_iso3, "country": f.country_name, "ambition": SHORT["ev30"],
                     "group": f.group, "text": text})
    for e in found.euro:
        key = "euro_hdv" if e.vehicle_class == "heavy_duty" else "euro_ldv"
        level = f"{e.level.replace(' since ', ' (')})" if e.level.startswith("Euro") else "no standard"
        rows.append({"iso3": e.country_iso3, "country": e.country_name, "ambition": SHORT[key], "group": e.group,
                     "text": level})
    for c in found.co2:
        change = co2_change(c.latest_value, c.base_value)
        text = f"{signed(change)} ({c.latest_year})" if change is not None else "no figure"
        rows.append({"iso3": c.country_iso3, "country": c.country_name, "ambition": SHORT["co2"], "group": c.group,
                     "text": text})
    frame = pd.DataFrame(rows, columns=["iso3", "country", "ambition", "group", "text"])
    order = {f.country_name: i for i, f in enumerate(sorted(found.ev30, key=lambda f: f.country_name))}
    return frame.assign(_o=frame["country"].map(order)).sort_values("_o", kind="mergesort").drop(columns="_o")


def grid_columns(found: Findings) -> list[str]:
    """The grid's columns: the ambitions the findings answer."""
    return [SHORT[r.key] for r in answers(found)]


def co2_rows(found: Findings) -> pd.DataFrame:
    """Each country's change in transport CO2 against 2019, its group and its label ('+14.1%')."""
    rows = []
    for c in found.co2:
        change = co2_change(c.latest_value, c.base_value)
        if change is not None:
            rows.append({"iso3": c.country_iso3, "country": c.country_name, "change_pct": change, "group": c.group,
                         "label": signed(change)})
    return pd.DataFrame(rows, columns=["iso3", "country", "change_pct", "group", "label"])


def co2_year_words(found: Findings) -> str:
    """'2023' or '2022–2023': the latest years the CO2 figures are for."""
    years = sorted({c.latest_year for c in found.co2 if c.latest_year is not None})
    return "latest year" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def support_rows(matching: pd.DataFrame, countries: list[str] | None = None) -> pd.DataFrame:
    """Countries with a gap per action area (a target off track, a Euro VI class not scheduled, or no action
    recorded), with and without support under way; areas without a gap left out."""
    m = matching[matching["needs_support"]]
    if countries:
        m = m[m["country_iso3"].isin(countries)]
    rows = []
    for (_order, area), part in m.groupby(["display_order", "action_area_name"], sort=True):
        rows.append({"area": str(area), "with_support": int(part["supported"].sum()),
                     "without_support": int((~part["supported"]).sum())})
    return pd.DataFrame(rows, columns=["area", "with_support", "without_support"])


def unsupported_countries(found: Findings) -> list[str]:
    """The countries named by the largest gaps without support, in order."""
    return list(dict.fromkeys(s.split(":")[0] for s in found.unsupported))


@dataclass(frozen=True)
class Ask:
    """One ask of the event: a few words in bold, then what it is."""

    lead: str
    text: str


def regional_asks(found: Findings, n_countries: int) -> list[Ask]:
    """The asks for the event, from the regional answers: support where gaps have none, Euro VI where it is not
    scheduled, transport CO2 back below 2019, EV sales figures where there are none; then next steps."""
    out: list[Ask] = []
    gaps = unsupported_countries(found)
    if gaps:
        out.append(Ask("Support the largest gaps:", f"{names(gaps)} have none under way."))
    euro = [r for key in ("euro_hdv", "euro_ldv") if (r := found.regional_of(key)) is not None]
    behind = sorted({n for r in euro for n in r.groups.get(Group.OFF_TRACK, ())})
    if behind:
        out.append(Ask("Schedule Euro VI by 2030:", f"{names(behind)} have not."))
    co2 = found.regional_of("co2")
    if co2 is not None and co2.groups.get(Group.OFF_TRACK):
        out.append(Ask(f"Bring transport CO₂ below {BASE_YEAR}:",
                       f"{len(co2.groups[Group.OFF_TRACK])} countries are above it."))
    ev = found.regional_of("ev30")
    if ev is not None:
        missing = len(ev.groups.get(Group.INDICATIVE, ())) + len(ev.groups.get(Group.NO_DATA, ()))
        if missing:
            out.append(Ask("Report EV sales by vehicle type:",
                           f"{missing} of {n_countries} countries have no yearly figure."))
    out.append(Ask("Next step:", "focal points update their figures in the tracker."))
    return out
