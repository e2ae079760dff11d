"""What a one-country pack says, from that country's findings: its key figure on each 2030 ambition, its gaps with
the support under way and on offer, where it stands among every country, and its asks. Pure functions: the slides
and the brief render what these return."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ctatracker.analysis.co2 import BASE_YEAR
from ctatracker.analysis.matching import is_under_way
from ctatracker.briefing.storyline import SHORT, Ask
from ctatracker.findings.model import Finding, Findings, Group
from ctatracker.findings.profile import KeyFigure, euro_figures, ev30_figure
from ctatracker.findings.words import names

CLASS_WORDS = {"light_duty": "light-duty vehicles", "heavy_duty": "heavy-duty vehicles"}


@dataclass(frozen=True)
class Card:
    """A key figure on one ambition: the ambition, the figure, its status and the group it puts the country in."""

    ambition: str
    value: str
    status: str
    group: Group


def cards(found: Findings, iso3: str, euro_rows: pd.DataFrame) -> list[Card]:
    """The country's key figure on each ambition, as its profile gives it (30% EV sales, Euro VI light- and
    heavy-duty, transport CO2 against 2019)."""
    def title(key: str, fallback: str) -> str:
        r = found.regional_of(key)
        return r.title if r is not None else fallback

    out = []
    ev = found.ev30_of(iso3)
    if ev is not None:
        k = ev30_figure(ev)
        out.append(Card(title("ev30", k.label), k.value, k.status, ev.group))
    groups = {e.vehicle_class: e.group for e in found.euro_of(iso3)}
    mine = euro_rows[euro_rows["country_iso3"] == iso3]
    for cls, k in zip(("light_duty", "heavy_duty"), euro_figures(mine), strict=True):
        out.append(Card(title("euro_ldv" if cls == "light_duty" else "euro_hdv", k.label), k.value, k.status,
                        groups.get(cls, Group.NO_DATA)))
    c = found.co2_of(iso3)
    if c is not None:
        k = KeyFigure("Transport CO₂ emissions, against the 2019 level", c.figure, c.status_label, c.notes)
        out.append(Card(title("co2", k.label), k.value, k.status, c.group))
    return out


def summary_lines(found: Findings, iso3: str, euro_rows: pd.DataFrame) -> list[str]:
    """One line per ambition for the brief's summary: the ambition, the status and the figure."""
    return [f"{c.ambition}: {c.status[0].lower()}{c.status[1:]}, {c.value}." for c in cards(found, iso3, euro_rows)]


def _short(target: str, status: str, figure: str) -> str:
    """'Transport CO₂ below 2019 levels: above its 2019 level (340 Mt CO₂ in 2023).'"""
    return f"{target[0].upper()}{target[1:]}: {status[0].lower()}{status[1:]} ({figure})."


def off_track(found: Findings, iso3: str) -> list[str]:
    """What the country is off track on, in a line each from its findings (the target, the status, the figure;
    Euro VI in its own sentence): the 30% ambition, Euro VI by class, transport CO2, then its own targets."""
    def title(key: str, fallback: str) -> str:
        r = found.regional_of(key)
        return r.title if r is not None else fallback

    ev = found.ev30_of(iso3)
    out = [_short(title("ev30", ev.target_words), ev.status_label, ev.figure)] \
        if ev is not None and ev.group is Group.OFF_TRACK else []
    out += [e.plain for e in found.euro_of(iso3) if e.group is Group.OFF_TRACK]
    c = found.co2_of(iso3)
    out += [_short(title("co2", "transport CO₂ below 2019"), c.status_label, c.figure)] \
        if c is not None and c.group is Group.OFF_TRACK else []
    out += [_short(f.target_words, f.status_label, f.figure) for f in _others(found, iso3)
            if f.group is Group.OFF_TRACK]
    return out


def _others(found: Findings, iso3: str) -> list[Finding]:
    """The country's findings on targets other than the three ambitions (its own targets, mostly)."""
    return [f for f in found.targets if f.country_iso3 == iso3 and f.target_scope == "national"]


def support_under_way(activities: pd.DataFrame, iso3: str) -> list[str]:
    """Titles of the country's own activities under way (implementation, pipeline or no status stated)."""
    mine = activities[(activities["country_iso3"] == iso3) & activities["status"].map(is_under_way)]
    return [str(t) for t in mine["title"]]


def offers(matching: pd.DataFrame, iso3: str) -> list[tuple[str, list[str]]]:
    """(action area, technical-assistance offers of the catalogue) for each area where the country has a gap
    without support under way."""
    rows = matching[(matching["country_iso3"] == iso3) & matching["needs_support"] & ~matching["supported"]]
    return [(str(r["action_area_name"]), [str(o) for o in r["offers"]]) for r in rows.to_dict("records")
            if len(r["offers"])]


def place(found: Findings, iso3: str, n_countries: int) -> list[tuple[str, str, int]]:
    """(ambition, the label of the country's group, how many countries share it) for each regional answer."""
    out = []
    for key, short in SHORT.items():
        r = found.regional_of(key)
        if r is None:
            continue
        name = next((f.country_name for f in found.ev30 if f.country_iso3 == iso3), iso3)
        group = next((g for g, members in r.groups.items() if name in members), Group.NO_DATA)
        out.append((short, r.labels[group], len(r.groups.get(group, ()))))
    return out


def asks(found: Findings, iso3: str, name: str, matching: pd.DataFrame) -> list[Ask]:
    """The country's asks, from its findings: EV sales figures or pace, Euro VI, transport CO2, support for its
    gaps; then the next step."""
    out: list[Ask] = []
    ev = found.ev30_of(iso3)
    if ev is not None and ev.group in (Group.INDICATIVE, Group.NO_DATA):
        out.append(Ask("Report EV sales by vehicle type each year:", "no figure can be assessed against 30% yet."))
    elif ev is not None and ev.group is Group.OFF_TRACK:
        out.append(Ask("Speed up EV sales:", ev.pace or f"{ev.figure} against 30% by 2030."))
    euro = found.euro_of(iso3)
    behind = [CLASS_WORDS[e.vehicle_class].removesuffix(" vehicles") for e in euro if e.group is Group.OFF_TRACK]
    if behind:
        out.append(Ask("Adopt Euro VI with a date by 2030:", f"{names(behind)} vehicles."))
    if any(e.group is Group.INDICATIVE for e in euro):
        out.append(Ask("Adopt the pledged Euro VI standard", "with a date by 2030."))
    if euro and all(e.group is Group.NO_DATA for e in euro):
        out.append(Ask("Record the emission standard in force", "in the tracker."))
    c = found.co2_of(iso3)
    if c is not None and c.group is Group.OFF_TRACK:
        out.append(Ask(f"Bring transport CO₂ below {BASE_YEAR}:", c.pace or c.change or c.figure))
    elif c is not None and c.group is Group.ON_TRACK:
        out.append(Ask(f"Keep transport CO₂ below {BASE_YEAR}:", c.change or c.figure))
    for area, offered in offers(matching, iso3)[:2]:
        out.append(Ask("Ask for support:", f"{area[0].lower()}{area[1:]} ({'; '.join(offered)})."))
    out.append(Ask("Next step:", f"update {name}'s figures in the tracker."))
    return out
