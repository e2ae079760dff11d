"""Row models: the single source of truth for every table. The DuckDB DDL is generated from them."""

from __future__ import annotations

import datetime as dt

import pycountry
from pydantic import Field, model_validator

from ctatracker.model import licences
from ctatracker.model.accounts import ACCOUNT_ROLES, AuditEntry, Email, Need, Submission, User
from ctatracker.model.base import MAX_YEAR, MIN_YEAR, Iso3, PastYear, Row, Slug, Text, WebLink, Year
from ctatracker.model.enums import (
    ActionAreaCode,
    ActivityKind,
    ActivityStatus,
    Comparison,
    Confidence,
    EventKind,
    Grouping,
    MembershipStatus,
    Mode,
    ParticipantRole,
    Period,
    PolicyKind,
    PolicyStatus,
    PowertrainScope,
    Stage,
    StandardStatus,
    Subregion,
    TargetStrength,
    Unit,
    VehicleClass,
)
from ctatracker.model.public_suggestion import PublicSuggestion

__all__ = [
    "ACCOUNT_ROLES", "FACT_MODELS", "MAX_YEAR", "MIN_YEAR", "TABLES", "ActionArea", "Activity",
    "ActivityParticipant", "AuditEntry", "Commitment", "Country", "Email", "EmissionStandard", "Event",
    "Indicator",
    "Iso3", "Membership", "Need", "Observation", "PastYear", "Policy", "PublicSuggestion", "Row",
    "ScenarioValue", "Slug", "Source", "Submission",
    "TaOffer", "Target", "Text", "User", "WebLink", "Year",
]

class Source(Row):
    """A publication or dataset that figures are taken from: the bibliography."""

    __table__ = "sources"
    __primary_key__ = ("id",)

    id: Slug = Field(description="Short stable identifier cited by fact rows, e.g. 'iea-gevo-2024'.")
    title: Text = Field(description="Title of the page, report or dataset.")
    publisher: Text = Field(description="Organisation or outlet that published it.")
    year: Year | None = Field(None, description="Year of publication; empty when the page is undated.")
    url: WebLink | None = Field(None, description="Where to read it (http or https); empty if not online.")
    accessed: dt.date | None = Field(None, description="Date the URL was last read.")
    licence: str | None = Field(None, max_length=200, description="Licence of the data, e.g. 'CC BY 4.0'.")
    note: str | None = Field(None, max_length=4000, description="Caveats about this source.")
    family: Slug | None = Field(None, description="Dataset family the source is an edition of (e.g. 'iea-gev' "
                                "for every edition of IEA's Global EV Data Explorer): a family's editions form "
                                "one series, the newest edition's value shown for a year; empty: its own family.")
    licence_id: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$", max_length=60, description=(
        "SPDX identifier of the licence, e.g. 'CC-BY-NC-ND-4.0'; empty: none named (facts in the tracker's words)."))
    licence_title: str | None = Field(None, max_length=300, description="Full name of the licence.")
    licence_url: WebLink | None = Field(None, description="Where the licence's terms are published.")
    licence_redistribution: bool | None = Field(None, description="The licence lets others share copies; empty: "
                                                "not known (counts as no).")
    licence_derivatives: bool | None = Field(None, description="The licence lets others share changed or combined "
                                             "versions; empty: not known (counts as no).")
    licence_commercial: bool | None = Field(None, description="The licence allows commercial use; empty: not known.")
    attribution: str | None = Field(None, max_length=300, description="The credit line the licence asks for, e.g. "
                                    "'EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2'; empty: publisher (year), title.")

    @model_validator(mode="before")
    @classmethod
    def _licence_terms(cls, values: object) -> object:
        """A licence the tracker knows, named by its usual name or identifier, brings its terms."""
        return licences.fill_terms(values) if isinstance(values, dict) else values


class ActionArea(Row):
    """An action area of the 2024 communique on clean and sustainable land transport in Asia."""

    __table__ = "action_areas"
    __primary_key__ = ("code",)

    code: ActionAreaCode = Field(description="Stable code of the action area.")
    number: int = Field(ge=1, le=7, description="Number of the area in the communique (7 = resilience).")
    name: Text = Field(description="Short display name.")
    communique_wording: Text = Field(description="What the communique commits to in this area.")
    display_order: int = Field(ge=1, le=99, description="Order in tables and charts.")


class Country(Row):
    """A country the tracker covers. Membership of groupings is in `memberships`."""

    __table__ = "countries"
    __primary_key__ = ("iso3",)
    __country_column__ = "iso3"

    iso3: Iso3 = Field(description="ISO 3166-1 alpha-3 code.")
    name: Text = Field(description="Short English name used in the tracker.")
    subregion: Subregion = Field(description="Asian subregion.")
    focal_institution: str | None = Field(None, max_length=300, description="National focal institution.")
    note: str | None = Field(None, max_length=4000, description="Free note.")


class Membership(Row):
    """A country's membership of a regional grouping, as stated by a source."""

    __table__ = "memberships"
    __primary_key__ = ("country_iso3", "grouping")
    __references__ = {"country_iso3": ("countries", "iso3"), "source_id": ("sources", "id")}
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Member country.")
    grouping: Grouping = Field(description="Grouping the country belongs to.")
    status: MembershipStatus = Field(description="Member, observer or former member.")
    since_year: Year | None = Field(None, description="Year membership began, if stated.")
    source_id: Slug = Field(description="Source that states the membership.")


class Indicator(Row):
    """A measured quantity that countries report, with its unit and direction."""

    __table__ = "indicators"
    __primary_key__ = ("code",)
    __references__ = {"action_area_code": ("action_areas", "code")}

    code: Slug = Field(description="Stable code, e.g. 'ev_sales_share'.")
    name: Text = Field(description="Display name.")
    unit: Unit = Field(description="Unit of every value of this indicator.")
    action_area_code: ActionAreaCode = Field(description="Action area the indicator tracks.")
    higher_is_better: bool = Field(description="Direction of progress: true when a higher value is better.")
    definition: Text = Field(description="What exactly is counted, and its scope.")


class Observation(Row):
    """One sourced value of an indicator for a country, vehicle mode and year."""

    __table__ = "observations"
    __primary_key__ = ("country_iso3", "indicator_code", "mode", "year", "source_id")
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "indicator_code": ("indicators", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Country the value is for.")
    indicator_code: Slug = Field(description="Indicator measured.")
    mode: Mode = Field(description="Vehicle scope of the value.")
    year: PastYear = Field(description="Year the value refers to (calendar or the fiscal year ending in it).")
    value: float = Field(allow_inf_nan=False, description="The value, in the indicator's unit.")
    source_id: Slug = Field(description="Source of the value.")
    confidence: Confidence = Field(description="How far the value can be trusted (high, medium, low).")
    period: Period = Field(Period.ANNUAL, description="annual (a calendar or fiscal year, or a stock at the "
                           "year's end), partial_year or single_month. Only annual values are trend points.")
    powertrains: PowertrainScope = Field(PowertrainScope.BEV_AND_PHEV, description="Electric powertrains "
                                         "counted: bev_and_phev, or bev_only (then not comparable with EV "
                                         "targets, which count both).")
    note: str | None = Field(None, max_length=4000, description="Scope caveats, e.g. partial year.")


class ScenarioValue(Row):
    """A projected value from a published scenario (e.g. IEA STEPS): never an observation, never 'latest'."""

    __table__ = "scenario_values"
    __primary_key__ = ("country_iso3", "indicator_code", "mode", "year", "scenario", "source_id")
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "indicator_code": ("indicators", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Country the projection is for.")
    indicator_code: Slug = Field(description="Indicator projected.")
    mode: Mode = Field(description="Vehicle scope of the value.")
    year: Year = Field(description="Year the projection refers to.")
    scenario: Text = Field(max_length=80, description="Scenario name as the source gives it, e.g. 'STEPS'.")
    value: float = Field(allow_inf_nan=False, description="The projected value, in the indicator's unit.")
    source_id: Slug = Field(description="Source (edition) that publishes the scenario.")


class Target(Row):
    """A quantitative target: regional (communique) when country_iso3 is empty, else national."""

    __table__ = "targets"
    __primary_key__ = ("id",)
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "indicator_code": ("indicators", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    id: Slug = Field(description="Stable identifier of the target.")
    country_iso3: Iso3 | None = Field(None, description="Country; empty for a regional target.")
    indicator_code: Slug = Field(description="Indicator the target is expressed in.")
    mode: Mode = Field(description="Vehicle scope of the target.")
    comparison: Comparison = Field(description="at_least or at_most the target value.")
    target_value: float | None = Field(None, allow_inf_nan=False, description="Value to reach; empty when "
                                       "the target is the value of the baseline year (e.g. 'below 2019').")
    target_year: Year | None = Field(None, description="Year by which to reach it; empty if none is stated.")
    baseline_year: Year | None = Field(None, description="Reference year stated by the target, if any.")
    baseline_value: float | None = Field(None, allow_inf_nan=False, description="Value in the baseline year, "
                                         "if stated by the target's source.")
    wording: Text = Field(description="The target in the source's words.")
    strength: TargetStrength = Field(description="How firm the target is: law, policy, pledge, aspirational.")
    conditional: bool = Field(False, description="True when the target depends on outside support.")
    source_id: Slug = Field(description="Source that states the target.")
    confidence: Confidence = Field(description="How far the target can be trusted.")
    vehicle_types: str | None = Field(None, max_length=200, description="For a target on all vehicles: the "
                                      "vehicle types it counts, as mode codes joined by '; ' (e.g. 'cars; buses; "
                                      "vans; trucks'); empty: those the communique names (cars, 2/3-wheelers, "
                                      "buses, vans and trucks).")
    scope_note: str | None = Field(None, max_length=1000, description="What the target covers where it is "
                                   "narrower than, or differs from, its vehicle scope (e.g. 'new urban buses, "
                                   "electric or green energy'): figures of the wider scope then count as "
                                   "indicative only.")

    @model_validator(mode="after")
    def _has_a_goal(self) -> Target:
        if self.vehicle_types is not None:
            known = {m.value for m in Mode}
            unknown = [p.strip() for p in self.vehicle_types.split(";") if p.strip() not in known]
            if unknown:
                raise ValueError(f"vehicle_types: unknown vehicle type(s) {', '.join(unknown)}")
        if self.target_value is None and self.baseline_year is None:
            raise ValueError("a target needs a target_value, or a baseline_year it is measured against")
        if self.target_year and self.baseline_year and self.baseline_year >= self.target_year:
            raise ValueError("baseline_year must be before target_year")
        return self


class EmissionStandard(Row):
    """A vehicle emission standard step, as its Euro-equivalent level and the year it takes effect."""

    __table__ = "emission_standards"
    __primary_key__ = ("country_iso3", "vehicle_class", "euro_level")
    __references__ = {"country_iso3": ("countries", "iso3"), "source_id": ("sources", "id")}
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Country.")
    vehicle_class: VehicleClass = Field(description="light_duty, heavy_duty or two_three_wheelers.")
    euro_level: int = Field(ge=1, le=7, description="Euro-equivalent level (1-6; 7 for beyond Euro 6).")
    local_name: str | None = Field(None, max_length=200, description="National name, e.g. 'BS-VI', 'China 6b'.")
    effective_year: Year = Field(description="Year the level applies to new vehicles.")
    effective_date: dt.date | None = Field(None, description="Exact date it applies, when known.")
    status: StandardStatus = Field(description="in_force, scheduled (adopted, future date) or pledged.")
    scope_note: str | None = Field(None, max_length=4000, description="Which vehicles and fuels it covers.")
    source_id: Slug = Field(description="Source.")
    confidence: Confidence = Field(description="How far the entry can be trusted.")


class Commitment(Row):
    """How far a country has come in one action area: its implementation stage."""

    __table__ = "commitments"
    __primary_key__ = ("country_iso3", "action_area_code")
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "action_area_code": ("action_areas", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Country.")
    action_area_code: ActionAreaCode = Field(description="Action area.")
    stage: Stage = Field(description="no_action, proposed, pledged, in_policy, in_law or achieved.")
    summary: Text = Field(description="One or two sentences on what stands behind the stage.")
    evidence_url: WebLink | None = Field(None, description="Link to the evidence (http or https).")
    as_of: dt.date = Field(description="Date the stage was assessed.")
    source_id: Slug = Field(description="Source of the evidence.")


class Policy(Row):
    """A national law, regulation, strategy, roadmap, standard or incentive."""

    __table__ = "policies"
    __primary_key__ = ("id",)
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "action_area_code": ("action_areas", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    id: Slug = Field(description="Stable identifier.")
    country_iso3: Iso3 = Field(description="Country.")
    action_area_code: ActionAreaCode = Field(description="Main action area.")
    name: Text = Field(description="Official or common name.")
    kind: PolicyKind = Field(description="law, regulation, strategy, roadmap, standard, incentive, ...")
    status: PolicyStatus = Field(description="in_force, adopted, draft, proposed or superseded.")
    year: Year | None = Field(None, description="Year adopted or issued.")
    date: dt.date | None = Field(None, description="Exact date, when known.")
    summary: str | None = Field(None, max_length=4000, description="What it does.")
    url: WebLink | None = Field(None, description="Link to the text or a report of it.")
    source_id: Slug = Field(description="Source.")
    confidence: Confidence = Field(description="How far the entry can be trusted.")


class Activity(Row):
    """Technical assistance or a cooperation activity (workshop, study visit, case study, training)."""

    __table__ = "activities"
    __primary_key__ = ("id",)
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "action_area_code": ("action_areas", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    id: Slug = Field(description="Stable identifier.")
    title: Text = Field(description="Title.")
    description: str | None = Field(None, max_length=4000, description="What was done.")
    kind: ActivityKind = Field(description="technical_assistance, workshop, study_visit, ...")
    status: ActivityStatus | None = Field(
        None, description="IATI-style status: pipeline, implementation, completed, ...; empty when not stated.")
    country_iso3: Iso3 | None = Field(None, description="Country; empty for a regional activity.")
    action_area_code: ActionAreaCode | None = Field(None, description="Main action area; empty if cross-cutting.")
    alp_supported: bool = Field(description="True when delivered or backed by the Asia LEDS Partnership.")
    implementers: str | None = Field(None, max_length=500, description="Implementing organisations.")
    funders: str | None = Field(None, max_length=500, description="Funding organisations.")
    start_year: Year | None = Field(None, description="Year it started.")
    end_year: Year | None = Field(None, description="Year it ended or is planned to end.")
    start_date: dt.date | None = Field(None, description="Exact actual start date, when known (IATI date type 2).")
    end_date: dt.date | None = Field(None, description="Exact actual end date, when known (IATI date type 4).")
    planned_start_date: dt.date | None = Field(None, description="Planned start date, when stated (IATI type 1).")
    planned_end_date: dt.date | None = Field(None, description="Planned end date, when stated (IATI type 3).")
    budget: float | None = Field(None, ge=0, allow_inf_nan=False, description="Total budget as stated by the "
                                 "source, in `currency`; empty when not stated.")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the budget's "
                                 "currency, e.g. 'USD'; required when a budget is given.")
    outputs: str | None = Field(None, max_length=4000, description="Outputs and results.")
    url: WebLink | None = Field(None, description="Link to a report of it.")
    source_id: Slug = Field(description="Source.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Activity:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValueError("end_year is before start_year")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        if self.planned_start_date and self.planned_end_date and self.planned_end_date < self.planned_start_date:
            raise ValueError("planned_end_date is before planned_start_date")
        if self.budget is not None and not self.currency:
            raise ValueError("a budget needs its currency (ISO 4217 code, e.g. USD)")
        if self.currency and pycountry.currencies.get(alpha_3=self.currency) is None:
            raise ValueError(f"'{self.currency}' is not an ISO 4217 currency code")
        return self


class ActivityParticipant(Row):
    """An organisation taking part in an activity, in one IATI-style role (funding, implementing, ...)."""

    __table__ = "activity_participants"
    __primary_key__ = ("activity_id", "organisation", "role")
    __references__ = {"activity_id": ("activities", "id")}

    activity_id: Slug = Field(description="Activity the organisation takes part in.")
    organisation: Text = Field(description="Organisation, named as in the activity's source.")
    role: ParticipantRole = Field(description="funding, accountable, extending, implementing or beneficiary.")


class TaOffer(Row):
    """An offer of technical assistance in the catalogue, by action area."""

    __table__ = "ta_offers"
    __primary_key__ = ("id",)
    __references__ = {"action_area_code": ("action_areas", "code"), "source_id": ("sources", "id")}

    id: Slug = Field(description="Stable identifier.")
    action_area_code: ActionAreaCode = Field(description="Action area the assistance supports.")
    title: Text = Field(description="What is offered, in the source's words.")
    description: str | None = Field(None, max_length=4000, description="More detail, when the source gives it.")
    source_id: Slug = Field(description="Source that lists the offer.")


class Event(Row):
    """A meeting a briefing pack can be prepared for (EST Forum, COP, other), as a public source announces it."""

    __table__ = "events"
    __primary_key__ = ("id",)
    __references__ = {"source_id": ("sources", "id")}

    id: Slug = Field(description="Stable identifier, e.g. 'cop31'.")
    name: Text = Field(max_length=200, description="Name of the event, e.g. 'COP31'.")
    kind: EventKind = Field(description="est_forum, cop or other.")
    city: str | None = Field(None, max_length=100, description="City where it takes place; empty if not announced.")
    country: str | None = Field(None, max_length=100, description="Country where it takes place, in words.")
    year: Year = Field(description="Year it takes place (known before its dates are).")
    start_date: dt.date | None = Field(None, description="First day; empty while the dates are not announced.")
    end_date: dt.date | None = Field(None, description="Last day; empty for a one-day event or unknown dates.")
    source_id: Slug | None = Field(None, description="Source announcing it; empty for an event the secretariat "
                                   "added from its own programme.")

    @model_validator(mode="after")
    def _dates_fit(self) -> Event:
        if self.end_date and not self.start_date:
            raise ValueError("an end date needs a start date")
        if self.start_date and self.start_date.year != self.year:
            raise ValueError(f"the start date {self.start_date} is not in the year {self.year}")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("the end date is before the start date")
        return self


FACT_MODELS: tuple[type[Row], ...] = (
    Source, ActionArea, Country, Membership, Indicator, Observation, Target,
    EmissionStandard, Commitment, Policy, Activity, ActivityParticipant, TaOffer, Event,
)
"""Tables built from data/seed, in load order (referenced tables first)."""

TABLES: dict[str, type[Row]] = {
    m.__table__: m for m in (*FACT_MODELS, ScenarioValue, Need, AuditEntry, User, Submission, PublicSuggestion)}
"""Every table in the database, by name."""
