"""Key messages of a briefing taken from the findings: the same sentences the site shows, with the numbers they
state recorded as `Figure`s (value, what it is, sources, year) so the speaker notes can trace each one."""

from __future__ import annotations

import re

from ctatracker.briefing.sentences import Figure, KeyMessage
from ctatracker.findings.model import Finding, Findings, RegionalFinding
from ctatracker.findings.words import sig

EV_AREA = "electric_vehicles"
CO2_AREA = "standards"
"""The action area of the transport CO2 ambition (action area 5 of the communique)."""
CO2_INDICATOR = "transport_co2"


def _figures(f: Finding) -> tuple[Figure, ...]:
    """The figure a finding rests on, as a traced number (none without a figure: its evidence's numbers are
    recorded with the sentence's, see `stated_figures`)."""
    if not f.basis.has_figure or f.basis.value is None:
        return ()
    value = float(f.basis.value)
    text = f"{value:.1f}" if f.basis.unit == "percent" else sig(value)
    return (Figure("latest_value", value, text, f"{f.country_name}: {f.basis.words}", f.source_ids, f.basis.year),)


def finding_message(f: Finding, topic: str = "finding") -> KeyMessage:
    """A finding's plain sentence, its pace after it, as a key message of its country."""
    text = " ".join(x for x in (f.plain, f.pace) if x)
    return KeyMessage(topic, text, _figures(f) + stated_figures(text, f.target_words, f.source_ids), f.country_iso3,
                      f.action_area)


NUMBER = re.compile(r"(?<![A-Za-z\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


def stated_figures(text: str, label: str, source_ids: tuple[str, ...]) -> tuple[Figure, ...]:
    """Every number a finding's sentence states, recorded with the finding's sources (for the speaker notes)."""
    out = []
    for i, m in enumerate(NUMBER.finditer(text)):
        value = float(m.group().replace(",", ""))
        year = int(value) if value.is_integer() and 1900 <= value <= 2100 else None
        out.append(Figure(f"n{i}", value, m.group(), label, source_ids, year))
    return tuple(out)


def regional_message(r: RegionalFinding, area: str | None) -> KeyMessage:
    """A regional answer: who stands where, by name, and its regional figure with coverage."""
    text = " ".join((r.plain, *r.details))
    return KeyMessage(f"regional_{r.key}", text, stated_figures(text, r.title, r.source_ids), None, area)


def ev_regional_messages(found: Findings) -> list[KeyMessage]:
    """The 30% ambition for the region, as the overview says it."""
    r = found.regional_of("ev30")
    return [] if r is None else [regional_message(r, EV_AREA)]


def euro_regional_messages(found: Findings) -> list[KeyMessage]:
    """Euro VI by 2030 for the region, heavy then light duty, as the overview says it."""
    return [regional_message(r, "standards") for key in ("euro_hdv", "euro_ldv")
            if (r := found.regional_of(key)) is not None]


def unsupported_message(found: Findings) -> KeyMessage | None:
    """The largest gaps without support, as the overview lists them."""
    if not found.unsupported:
        return None
    text = "Largest gaps without support: " + " ".join(found.unsupported)
    ids = tuple(sorted({s for f in found.ev30 if f.needs_support for s in f.source_ids}))
    return KeyMessage("unsupported", text, stated_figures(text, "largest gaps without support", ids))


def country_ev_messages(found: Findings, iso3: str) -> list[KeyMessage]:
    """A country's 30% finding, as its profile says it."""
    f = found.ev30_of(iso3)
    return [] if f is None else [finding_message(f, "ev_country")]


def co2_regional_messages(found: Findings) -> list[KeyMessage]:
    """Transport CO2 below 2019 for the region, as the overview says it."""
    r = found.regional_of("co2")
    return [] if r is None else [regional_message(r, CO2_AREA)]


def country_co2_messages(found: Findings, iso3: str) -> list[KeyMessage]:
    """A country's transport CO2 against 2019, as its profile says it."""
    c = found.co2_of(iso3)
    return [] if c is None else [KeyMessage("co2_country", c.plain, stated_figures(c.plain, "transport CO₂",
                                                                                   c.source_ids), iso3, CO2_AREA)]
