"""The region's pages: the answer (the overview's findings and map), the gap analysis, Euro VI and transport CO₂.
Every sentence about a country or the region is a finding's (`ctatracker.findings`); these functions only choose,
order and lay them out."""

from __future__ import annotations

from collections.abc import Iterable

from ctatracker.analysis.euro import EuroStatus
from ctatracker.charts.gaps import CLASS_LABELS, EURO_STATUS_COLOURS
from ctatracker.charts.overview import CO2_COLOURS
from ctatracker.charts.style import STATUS_COLOURS
from ctatracker.edition import charts
from ctatracker.edition.model import Cell, Page, Table
from ctatracker.edition.read import Published
from ctatracker.findings.model import CO2_GROUP_LABELS, Co2Finding, EuroFinding, Finding, Group

DETAIL_PAGES = {"ev30": "gaps.html#ev30", "euro_hdv": "euro-vi.html", "euro_ldv": "euro-vi.html",
                "co2": "co2.html"}
"""Where each regional answer is shown with the figures behind it."""
COMMUNIQUE = ("the 2024 communique of the Leadership Group for Clean Transport in Asia: 30% EV sales and Euro VI "
              "for all vehicle types by 2030, and transport CO₂ below 2019 levels")


def _ids(items: Iterable) -> set[str]:
    return {s for f in items for s in f.source_ids}


def status_cell(f: Finding) -> Cell:
    """A finding's status label with its colour (the charts')."""
    return Cell(f.status_label, STATUS_COLOURS.get(f.status.value))


def euro_cell(f: EuroFinding) -> Cell:
    """A Euro VI finding's status label with its colour."""
    return Cell(f.status_label, EURO_STATUS_COLOURS.get(EuroStatus(f.status)))


def co2_cell(f: Co2Finding) -> Cell:
    """A CO₂ finding's label with its group's colour."""
    return Cell(f.status_label, CO2_COLOURS.get(CO2_GROUP_LABELS[f.group]))


def by_group(items: Iterable, value=lambda f: 0.0) -> list:
    """Findings best group first, then by `value` (largest first), then by name."""
    return sorted(items, key=lambda f: (list(Group).index(f.group), -value(f), f.country_name))


def overview_page(pub: Published) -> Page:
    """The answer: each 2030 ambition with who stands where by name, the largest gaps without support, the
    headline figures, the map and the scorecard (a list on a phone)."""
    found = pub.found
    regional = [(r, DETAIL_PAGES.get(r.key)) for r in found.regional]
    stages = [(p.name, f"countries/{p.iso3.lower()}.html", p.stages.to_dict("records")) for p in pub.profiles]
    return Page(
        "index.html", "Where the region stands on clean transport",
        f"Where each of {len(pub.countries)} Asian countries stands against {COMMUNIQUE}: named country by "
        "country, with every figure's source and year.", "overview.html",
        {"regional": regional, "unsupported": found.unsupported, "headline": pub.headline, "stages": stages,
         "areas": list(pub.areas["name"])},
        charts.overview_charts(pub), _ids(found.regional) | _ids(found.ev30) | _ids(found.euro) | headline_ids(pub),
        card="overview-map", nav="overview")


def headline_ids(pub: Published) -> set[str]:
    """The sources of the headline figures: memberships, emission standards, charging points, activities."""
    frames = [p.frames["memberships"] for p in pub.profiles] + [pub.standards, pub.charging, pub.activities]
    return {str(s) for f in frames if "source_id" in f for s in f["source_id"].dropna()}


def ev30_table(found: list[Finding]) -> Table:
    """The 30% question, one row per country, as its finding says it."""
    rows = tuple((Cell(f.country_name, href=f"countries/{f.country_iso3.lower()}.html"), status_cell(f),
                  f.figure if f.basis.has_figure else "; ".join(e.text for e in f.evidence) or "no figure",
                  f.basis.words or ("indicative evidence only" if f.evidence else None), f.pace, f.scenario,
                  "; ".join(f.support) or "none recorded") for f in found)
    return Table("Who is on track for 30% EV sales by 2030: status, figure and what it counts, country by country",
                 ("Country", "Status", "Figure", "What the figure counts", "Pace", "IEA scenario",
                  "Support under way"), rows, "ev30-table")


def target_sections(found: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Every other target: each regional target with its countries, then the national targets, one per country."""
    sections: dict[str, list[Finding]] = {}
    words: dict[str, str] = {}
    for f in found:
        key = f.target_id if f.target_scope == "regional" else "national"
        sections.setdefault(key, []).append(f)
        words.setdefault(key, f.target_words[0].upper() + f.target_words[1:] if key != "national"
                         else "National targets, each country against its own")
    order = sorted(sections, key=lambda k: (k == "national", words[k]))
    return [(words[k], by_group(sections[k]) if k != "national" else sorted(sections[k], key=lambda f: (
        f.country_name, f.target_words))) for k in order]


def gaps_page(pub: Published) -> Page:
    """The gap analysis: the 30% question with its chart and table, every other target as its findings say it,
    the largest gaps without support and the countries per status."""
    found = pub.found
    ordered = by_group(found.ev30, lambda f: f.basis.value if f.basis.value is not None else -1)
    return Page(
        "gaps.html", "Gap analysis: how far each country is from each target",
        "Who is on track for 30% EV sales by 2030, on what basis, and where every country stands on every regional "
        "and national target, with the figures behind each status.", "gaps.html",
        {"ev30": found.regional_of("ev30"), "ev30_findings": ordered, "ev30_table": ev30_table(ordered),
         "sections": target_sections(list(found.targets)), "unsupported": found.unsupported},
        charts.gap_charts(pub), _ids(found.ev30) | _ids(found.targets), card="gaps-ev30", nav="gaps")


def euro_page(pub: Published) -> Page:
    """Euro VI by 2030: who has it in force, scheduled, pledged or not scheduled, by vehicle class."""
    found = pub.found
    ordered = by_group(found.euro)
    table = Table("Euro VI by 2030, country by country and vehicle class",
                  ("Country", "Vehicle class", "Status", "Standard now", "Support under way"),
                  tuple((Cell(f.country_name, href=f"countries/{f.country_iso3.lower()}.html"),
                         CLASS_LABELS.get(f.vehicle_class, f.vehicle_class),
                         euro_cell(f), f.level, "; ".join(f.support) or "none recorded") for f in ordered),
                  "euro-table")
    regional = [r for r in (found.regional_of("euro_hdv"), found.regional_of("euro_ldv")) if r is not None]
    return Page(
        "euro-vi.html", "Euro VI vehicle emission standards by 2030",
        "Which countries have a Euro VI-equivalent standard in force, adopted, pledged or not scheduled by 2030, for "
        "light-duty and heavy-duty vehicles, with each standard's source.", "euro.html",
        {"regional": regional, "findings": ordered, "table": table}, charts.euro_charts(pub),
        _ids(found.euro) | {str(s) for s in pub.standards["source_id"].dropna()}, card="euro-timeline", nav="euro")


def co2_page(pub: Published) -> Page:
    """Transport CO₂ against 2019: who is below, about or above, the regional total, each country's figures."""
    found = pub.found
    ordered = by_group(found.co2)
    table = Table("Transport CO₂ against the 2019 level, country by country",
                  ("Country", "Against 2019", "Latest figure", "Change since 2019", "Direction after the pandemic "
                   "years", "Needed by 2030", "Source", "Other sources"),
                  tuple((Cell(f.country_name, href=f"countries/{f.country_iso3.lower()}.html"), co2_cell(f),
                         f.figure, f.change, f.trend, f.pace, f.source or None, "; ".join(f.others) or None)
                        for f in ordered), "co2-table")
    credits = list(dict.fromkeys(c for f in ordered for c in f.attribution))
    return Page(
        "co2.html", "Transport CO₂ against the 2019 level",
        "Whether each country's transport CO₂ is below, about or above its 2019 level, its direction since the "
        "pandemic years, the pace needed by 2030, and the regional total.", "co2.html",
        {"region": found.regional_of("co2"), "findings": ordered, "table": table, "credits": credits},
        charts.co2_charts(pub), _ids(found.co2), card="co2-map", nav="co2")
