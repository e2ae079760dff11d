"""Transport CO2 against 2019, as findings: one per country (its sentences, the credit line its source's licence
asks for) and the regional answer (who is below, about or above 2019, by name; the regional total with and without
its largest emitter). Made once here from `analysis.co2`; the overview, the gap page, the country profile, the deck
and the brief render them. Pure functions: no I/O."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from ctatracker.analysis import co2
from ctatracker.analysis.co2 import BASE_YEAR, HORIZON, PANDEMIC_YEARS, TOLERANCE_PCT, Co2Assessment, Level, Point
from ctatracker.analysis.gaps import STATUS_LABELS
from ctatracker.findings import words
from ctatracker.findings.model import CO2_GROUP_LABELS, Co2Finding, Finding, Group, RegionalFinding
from ctatracker.text.attribution import attribution_line

UNIT = "mt_co2"
TITLE = "Transport CO₂ below 2019 levels"
LEVEL_LABELS = {Level.BELOW: "Below its 2019 level", Level.ABOUT: "About its 2019 level",
                Level.ABOVE: "Above its 2019 level", Level.NO_FIGURE: "No figure to compare with 2019"}
LEVEL_GROUPS = {Level.BELOW: Group.ON_TRACK, Level.ABOVE: Group.OFF_TRACK, Level.ABOUT: Group.INDICATIVE,
                Level.NO_FIGURE: Group.NO_DATA}
PANDEMIC = f"{PANDEMIC_YEARS[0]}–{PANDEMIC_YEARS[-1]}"


class Sources:
    """Each source in a few words ('EDGAR 2024 (JRC/IEA)', 'Climate Analytics 2021') and its credit line."""

    def __init__(self, sources: pd.DataFrame | None, observations: pd.DataFrame) -> None:
        rows: dict[str, dict[str, Any]] = {}
        if observations is not None and not observations.empty and "source_publisher" in observations:
            for r in observations.drop_duplicates("source_id").to_dict("records"):
                rows[str(r["source_id"])] = {"publisher": r.get("source_publisher"), "year": r.get("source_year"),
                                             "title": r.get("source_title")}
        if sources is not None and not sources.empty:
            for r in sources.to_dict("records"):
                rows[str(r["id"])] = r
        self.rows = rows

    def name(self, sid: str) -> str:
        r = self.rows.get(sid, {})
        credit = r.get("attribution")
        if isinstance(credit, str) and credit.strip():
            return credit.split(",")[0].strip()
        year = r.get("year")
        return f"{r.get('publisher') or sid}" + (f" {int(year)}" if year is not None and pd.notna(year) else "")

    def credit(self, sid: str) -> str:
        r = self.rows.get(sid, {})
        licence = next((str(v) for v in (r.get("licence"), r.get("licence_id")) if isinstance(v, str) and v), None)
        year = r.get("year")
        credit = r.get("attribution")
        return attribution_line(publisher=str(r.get("publisher") or sid), title=str(r.get("title") or ""),
                                year=int(year) if year is not None and pd.notna(year) else None, licence=licence,
                                credit=credit if isinstance(credit, str) and credit.strip() else None)


def mt(value: float) -> str:
    """'79.8 Mt', '1,080 Mt': three significant figures."""
    return f"{words.sig(value)} Mt"


def _pct(value: float) -> str:
    return f"{abs(value):.1f}%"


def trend_words(a: Co2Assessment) -> str | None:
    """'From 2022 to 2023 it rose 1.2%.', 'From 2022 to 2024 it fell 0.8% a year.'; None without a trend."""
    if a.trend_from is None or a.trend_pct is None or a.latest is None:
        return None
    span = a.latest.year - a.trend_from.year
    when = f"From {a.trend_from.year} to {a.latest.year}"
    if round(a.trend_pct, 1) == 0:
        return f"{when} it was about unchanged."
    moved = "rose" if a.trend_pct > 0 else "fell"
    return f"{when} it {moved} {_pct(a.trend_pct)}" + (" a year." if span > 1 else ".")


def pace_words(a: Co2Assessment) -> str | None:
    """'To be back at or below its 2019 level by 2030 it must fall 1.1% a year from 2023.'"""
    if a.pace_needed_pct is None or a.latest is None:
        return None
    return (f"To be back at or below its {BASE_YEAR} level by {HORIZON} it must fall {_pct(a.pace_needed_pct)} "
            f"a year from {a.latest.year}.")


def _caveats(a: Co2Assessment, src: Sources, this_year: int, stale_after: int) -> tuple[str, ...]:
    out = []
    if a.indicative and a.base is not None:
        out.append(f"Indicative only: its {BASE_YEAR} figure is from another source ({src.name(a.base.source_id)}) "
                   "than its latest.")
    if a.trend_from is not None and a.latest is not None and a.latest.year - a.trend_from.year == 1:
        out.append(f"The direction rests on two years ({a.trend_from.year} and {a.latest.year}); one unusual year "
                   "can change it.")
    if a.level is not Level.NO_FIGURE and a.trend_from is None:
        out.append(f"No direction yet: the pandemic years {PANDEMIC} are never used for a trend, and no two later "
                   "years have a figure.")
    if a.latest is not None and a.latest.year < this_year - stale_after:
        out.append(f"The figure is from {a.latest.year}, more than {stale_after} years old.")
    return tuple(out)


def plain_sentence(a: Co2Assessment, src: Sources) -> str:
    """One line for a minister's adviser."""
    label = LEVEL_LABELS[a.level]
    if a.level is Level.NO_FIGURE or a.latest is None or a.base is None or a.change_pct is None:
        latest = (f" Its latest is {mt(a.latest.value)} in {a.latest.year}, according to "
                  f"{src.name(a.latest.source_id)}." if a.latest is not None else "")
        return f"{a.country_name}: {label.lower()}. The tracker holds {a.reason}.{latest}"
    head = f"{a.country_name}: {label[0].lower()}{label[1:]}" + (", indicative only" if a.indicative else "") + "."
    where = "above" if a.change_pct > 0 else "below"
    whose = "the" if a.indicative else "its"
    given = f" given by {src.name(a.base.source_id)}" if a.indicative else ""
    text = (f"{head} Transport CO₂ was {mt(a.latest.value)} in {a.latest.year} according to "
            f"{src.name(a.latest.source_id)}, {_pct(a.change_pct)} {where} {whose} {BASE_YEAR} level of "
            f"{mt(a.base.value)}{given}")
    if a.level is Level.ABOUT:
        text += f": within {TOLERANCE_PCT:g}%, the tracker's margin for a source's precision"
    return " ".join(x for x in (text + ".", trend_words(a), pace_words(a)) if x)


def technical_sentence(a: Co2Assessment, src: Sources) -> str:
    """The method's figures, to check by hand."""
    if a.level is Level.NO_FIGURE or a.latest is None or a.base is None or a.change_pct is None:
        return f"No comparison with {BASE_YEAR}: {a.reason}."
    def v(p: Point) -> str:
        return words.sig(p.value, 4)

    def signed(x: float) -> str:
        return f"{x:+.1f}%".replace("-", "−")
    within = "within" if abs(a.change_pct) <= TOLERANCE_PCT else "beyond"
    parts = [f"Series: {src.name(a.latest.source_id)}, one source family, the newest edition for each year"
             + (f"; {BASE_YEAR} from {src.name(a.base.source_id)} (another source: indicative)" if a.indicative
                else "") + ".",
             f"Change {a.latest.year} against {BASE_YEAR}: {v(a.latest)} / {v(a.base)} − 1 = {signed(a.change_pct)}, "
             f"{within} the ±{TOLERANCE_PCT:g}% margin: {a.level.value.replace('_', ' ')}."]
    if a.trend_from is not None and a.trend_pct is not None:
        n = a.latest.year - a.trend_from.year
        ratio = f"{v(a.latest)} / {v(a.trend_from)}" if n == 1 else f"({v(a.latest)} / {v(a.trend_from)})^(1/{n})"
        parts.append(f"Direction {a.trend_from.year}–{a.latest.year} (the pandemic years {PANDEMIC} not used): "
                     f"{ratio} − 1 = {signed(a.trend_pct)}" + (" a year." if n > 1 else "."))
    if a.pace_needed_pct is not None:
        parts.append(f"Needed to be back at the {BASE_YEAR} level by {HORIZON}: ({v(a.base)} / {v(a.latest)})"
                     f"^(1/{HORIZON - a.latest.year}) − 1 = {signed(a.pace_needed_pct)} a year.")
    parts.append(f"Status among every target: {STATUS_LABELS[co2.progress_status(a)].lower()}.")
    return " ".join(parts)


def co2_finding(a: Co2Assessment, src: Sources, this_year: int, stale_after: int = 3) -> Co2Finding:
    """One country's finding from its assessment."""
    group = Group.INDICATIVE if a.indicative else LEVEL_GROUPS[a.level]
    label = LEVEL_LABELS[a.level] + (" (indicative)" if a.indicative else "")
    change = None
    if a.change_pct is not None and a.base is not None:
        change = (f"{_pct(a.change_pct)} {'above' if a.change_pct > 0 else 'below'} {BASE_YEAR} "
                  f"({mt(a.base.value)} in {BASE_YEAR}).")
    others = tuple(f"{words.value_text(p.value, UNIT)} in {p.year} ({src.name(p.source_id)})" for p in a.others)
    latest = a.latest
    return Co2Finding(
        country_iso3=a.country_iso3, country_name=a.country_name, level=a.level.value, status_label=label,
        group=group, progress=co2.progress_status(a), indicative=a.indicative,
        figure=words.figure_text(latest.value if latest else None, latest.year if latest else None, UNIT),
        change=change, trend=trend_words(a), pace=pace_words(a),
        caveats=_caveats(a, src, this_year, stale_after), others=others,
        points=tuple((p.year, p.value) for p in a.series), base_year=BASE_YEAR,
        base_value=a.base.value if a.base else None, latest_value=latest.value if latest else None,
        latest_year=latest.year if latest else None, source=src.name(latest.source_id) if latest else "",
        credit=src.credit(latest.source_id) if latest else "",
        source_ids=a.source_ids, attribution=tuple(sorted({src.credit(s) for s in a.source_ids})),
        plain=plain_sentence(a, src), technical=technical_sentence(a, src))


def regional_finding(found: list[Co2Finding], region: co2.RegionalCo2, names: dict[str, str],
                     src: Sources) -> RegionalFinding | None:
    """Who is below, about or above 2019, by name; the regional total against 2019 with the weight of its
    largest emitter and the total without it."""
    if not found:
        return None
    groups: dict[Group, tuple[str, ...]] = {g: tuple(sorted(f.country_name for f in found if f.group is g))
                                            for g in Group}
    plain = f"{TITLE}. " + words.groups_sentence({CO2_GROUP_LABELS[g]: m for g, m in groups.items()})
    figure = coverage = None
    details: list[str] = []
    technical = ""
    if region.year is not None and region.change_pct is not None and region.total and region.base_total:
        where = "above" if region.change_pct > 0 else "below"
        figure = f"{mt(region.total)} CO₂ in {region.year}, {_pct(region.change_pct)} {where} {BASE_YEAR}"
        coverage = f"{len(region.countries)} of {region.of_countries} countries"
        cited = ", ".join(src.name(s) for s in region.source_ids)
        text = (f"According to {cited}, across the {coverage} with figures for {BASE_YEAR} and {region.year} from "
                f"one source each, transport CO₂ was {mt(region.total)} in {region.year}, "
                f"{_pct(region.change_pct)} {where} their {mt(region.base_total)} of {BASE_YEAR}")
        big = names.get(region.largest or "", region.largest)
        if big and region.largest_share_pct is not None and region.without_change_pct is not None \
                and region.without_total is not None:
            other = "above" if region.without_change_pct > 0 else "below"
            text += (f". {big}, the largest emitter, makes {region.largest_share_pct:.1f}% of it; without {big} "
                     f"the total is {mt(region.without_total)}, {_pct(region.without_change_pct)} {other} "
                     f"{BASE_YEAR}")
        details.append(text + ".")
        details.extend(sorted({src.credit(s) for s in region.source_ids}))
        technical = (f"Sum of each country's {region.year} figure against the sum of its {BASE_YEAR} figure, over the "
                     f"countries whose own series holds both years (a comparison across two sources is left out); "
                     f"the largest emitter by its {region.year} figure.")
    ids = tuple(sorted({s for f in found for s in f.source_ids}))
    return RegionalFinding("co2", TITLE, groups, figure, coverage, ids, plain, technical, tuple(details),
                           dict(CO2_GROUP_LABELS))


def compose_co2(observations: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame | None,
                this_year: int, stale_after: int = 3) -> tuple[list[Co2Finding], RegionalFinding | None]:
    """Every country's CO2 finding (in the order of `countries`) and the regional one."""
    assessments = co2.co2_assessments(observations, countries, this_year)
    src = Sources(sources, observations[observations["indicator_code"] == co2.INDICATOR]
                  if not observations.empty else observations)
    found = [co2_finding(a, src, this_year, stale_after) for a in assessments]
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    return found, regional_finding(found, co2.regional_co2(assessments), names, src)


def in_place_of_generic(targets: list[Finding], found: list[Co2Finding]) -> list[Finding]:
    """The regional CO2 target's findings (made by the generic path from the gap table) rewritten from the CO2
    findings: the same status, group, figure, sentences and sources, so the two never disagree."""
    mine = {f.country_iso3: f for f in found}
    out = []
    for f in targets:
        c = mine.get(f.country_iso3)
        if c is None or f.indicator_code != co2.INDICATOR or f.target_scope != "regional":
            out.append(f)
            continue
        basis = replace(f.basis, kind="reported" if c.latest_value is not None else "none", value=c.latest_value,
                        year=c.latest_year, unit=UNIT)
        out.append(replace(f, status=c.progress, indicative=c.indicative, group=c.group, figure=c.figure,
                           basis=basis, pace=None, caveats=c.caveats, evidence=(),
                           needs_support=c.group is Group.OFF_TRACK and not f.support,
                           source_ids=tuple(sorted(set(f.source_ids) | set(c.source_ids))), plain=c.plain,
                           technical=c.technical))
    return out
