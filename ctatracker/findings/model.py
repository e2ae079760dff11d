"""What the tracker says about a country and a target, as objects: made once, rendered by every page, the deck,
the brief and the public edition. Plain data: no I/O, no composition here (see `compose`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ctatracker.analysis.gaps import STATUS_LABELS, ProgressStatus


class Group(StrEnum):
    """Where a country stands on a target, for answers that name countries: one of four, best first."""

    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    INDICATIVE = "indicative"
    NO_DATA = "no_data"


GROUP_LABELS: dict[Group, str] = {
    Group.ON_TRACK: "On track or achieved",
    Group.OFF_TRACK: "Off track",
    Group.INDICATIVE: "Indicative evidence only",
    Group.NO_DATA: "No figure",
}
"""One label per group, used by every surface."""

EURO_GROUP_LABELS: dict[Group, str] = {
    Group.ON_TRACK: "In force, or adopted to take effect by 2030",
    Group.OFF_TRACK: "Not scheduled by 2030",
    Group.INDICATIVE: "Pledged, not yet adopted",
    Group.NO_DATA: "No standard recorded",
}
"""The same four groups in the words of the Euro VI ambition."""

EURO_GROUP_WORDS: dict[str, str] = {
    "in_force": "in force", "scheduled": "adopted, takes effect by 2030", "pledged": "pledged, not yet adopted",
    "not_scheduled": "not scheduled by 2030", "no_data": "no standard recorded",
}
"""Euro VI statuses in the words of a sentence (the table labels are `euro.EURO_STATUS_LABELS`)."""

CO2_GROUP_LABELS: dict[Group, str] = {
    Group.ON_TRACK: "Below 2019",
    Group.OFF_TRACK: "Above 2019",
    Group.INDICATIVE: "About the 2019 level, or indicative only",
    Group.NO_DATA: "No figure to compare with 2019",
}
"""The same four groups in the words of the transport CO2 ambition (below 2019 levels)."""


def status_label(status: ProgressStatus, indicative: bool) -> str:
    """The one label of a status: 'Limited progress', 'On track (indicative)'."""
    return STATUS_LABELS[status] + (" (indicative)" if indicative else "")


@dataclass(frozen=True)
class Basis:
    """What a figure is: its value and year, what it covers, and how the tracker got it."""

    kind: str
    """'reported', 'derived' (by the tracker from sales by vehicle type), 'proxy' (one vehicle type), 'none'."""
    value: float | None
    year: int | None
    unit: str
    words: str
    """What the figure counts, in words: 'all vehicles, derived from sales by vehicle type (cars and
    2/3-wheelers; buses, vans and trucks not counted)'; '' without a figure."""
    covered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def has_figure(self) -> bool:
        return self.value is not None and self.year is not None


@dataclass(frozen=True)
class Evidence:
    """A figure of a narrower basis than the target's (part of a year, imports, registrations, one vehicle type,
    a count at a date): shown as indicative evidence, never called 'no data'."""

    text: str
    year: int
    source_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One country against one target: status, the figure it rests on, its fit to the target, its pace,
    caveats, support and sources; `plain` and `technical` are its sentences, made once in `words`."""

    country_iso3: str
    country_name: str
    target_id: str
    target_scope: str
    indicator_code: str
    action_area: str | None
    target_words: str
    status: ProgressStatus
    indicative: bool
    group: Group
    figure: str
    basis: Basis
    scope_match: bool
    scope_difference: str | None
    pace: str | None
    scenario: str | None
    caveats: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    support: tuple[str, ...]
    needs_support: bool
    stale: bool
    source_ids: tuple[str, ...]
    plain: str = ""
    technical: str = ""

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.indicative)


@dataclass(frozen=True)
class EuroFinding:
    """One country and vehicle class against Euro VI by 2030."""

    country_iso3: str
    country_name: str
    vehicle_class: str
    status: str
    status_label: str
    group: Group
    level: str
    stale: bool
    support: tuple[str, ...]
    source_ids: tuple[str, ...]
    plain: str = ""
    technical: str = ""


@dataclass(frozen=True)
class Co2Finding:
    """One country's transport CO2 against its 2019 level: where it stands (below, about, above, no figure), the
    figure, the change since 2019, the direction since the pandemic years, the pace needed when above, other
    sources' figures, the credit line its source's licence asks for; `plain` and `technical` its sentences.
    `progress`: the same assessment in the gap analysis's statuses (the CO2 target's row among every target)."""

    country_iso3: str
    country_name: str
    level: str
    status_label: str
    group: Group
    progress: ProgressStatus
    indicative: bool
    figure: str
    change: str | None
    trend: str | None
    pace: str | None
    caveats: tuple[str, ...]
    others: tuple[str, ...]
    points: tuple[tuple[int, float], ...]
    """The series (one source family), oldest first: what a chart draws."""
    base_year: int
    base_value: float | None
    latest_value: float | None
    latest_year: int | None
    source: str
    """The series' source in a few words: 'EDGAR 2024 (JRC/IEA)'."""
    credit: str
    """The credit line the series' source's licence asks for, beside a chart of it."""
    source_ids: tuple[str, ...]
    attribution: tuple[str, ...]
    plain: str = ""
    technical: str = ""

    @property
    def notes(self) -> tuple[str, ...]:
        """What a key figure says under its value: the change, the direction, the pace, caveats, other sources,
        the credit line."""
        others = ("Other sources: " + "; ".join(self.others) + ".",) if self.others else ()
        return tuple(x for x in (self.change, self.trend, self.pace, *self.caveats, *others, *self.attribution)
                     if x)


@dataclass(frozen=True)
class RegionalFinding:
    """One regional ambition: who stands where (names), the regional figure with its coverage and the weight of
    its largest contributor, and its sentences."""

    key: str
    title: str
    groups: dict[Group, tuple[str, ...]]
    figure: str | None
    coverage: str | None
    source_ids: tuple[str, ...]
    plain: str = ""
    technical: str = ""
    details: tuple[str, ...] = field(default_factory=tuple)
    labels: dict[Group, str] = field(default_factory=lambda: dict(GROUP_LABELS))
    """The label of each group for this ambition."""

    def named_groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """(label, country names) per group, best first, groups without a country left out."""
        return [(self.labels[g], self.groups.get(g, ())) for g in Group if self.groups.get(g)]


@dataclass(frozen=True)
class Findings:
    """Every finding of one data version."""

    ev30: tuple[Finding, ...]
    targets: tuple[Finding, ...]
    euro: tuple[EuroFinding, ...]
    regional: tuple[RegionalFinding, ...]
    unsupported: tuple[str, ...]
    """The largest gaps without support, as sentences, largest first."""
    co2: tuple[Co2Finding, ...] = ()
    """Transport CO2 against 2019, one per country."""

    def of(self, iso3: str) -> list[Finding]:
        """A country's findings: the 30% question first, then its other targets."""
        return [f for f in (*self.ev30, *self.targets) if f.country_iso3 == iso3]

    def ev30_of(self, iso3: str) -> Finding | None:
        return next((f for f in self.ev30 if f.country_iso3 == iso3), None)

    def euro_of(self, iso3: str) -> list[EuroFinding]:
        return [f for f in self.euro if f.country_iso3 == iso3]

    def co2_of(self, iso3: str) -> Co2Finding | None:
        return next((f for f in self.co2 if f.country_iso3 == iso3), None)

    def regional_of(self, key: str) -> RegionalFinding | None:
        return next((r for r in self.regional if r.key == key), None)
