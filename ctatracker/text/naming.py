"""Records named in plain words for people: "EV sales share, cars, India, 2024 (IEA 2025)", never a key or a hash."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

import duckdb

TABLE_WORDS = {
    "sources": "Source", "action_areas": "Action area", "countries": "Country", "memberships": "Membership",
    "indicators": "Indicator", "observations": "Figure", "scenario_values": "Scenario figure",
    "targets": "Target", "emission_standards": "Emission standard", "commitments": "Implementation stage",
    "policies": "Policy", "activities": "Activity", "needs": "Needs and challenges",
}
"""Each table's record in a word (used for 'Kind of record' and in every record name)."""


TABLE_ABOUT = {
    "sources": "Every publication and dataset the figures come from: the bibliography, with each one's licence.",
    "action_areas": "The seven action areas of the 2024 communique on clean and sustainable land transport in Asia.",
    "countries": "The countries the tracker covers.",
    "memberships": "Which regional groupings each country belongs to, as a public source states it.",
    "indicators": "What is measured (EV sales, charging points, transport CO2 and the like), with its unit.",
    "observations": "Every figure: one country, one indicator, one vehicle type and one year, with its source.",
    "targets": "The targets: the region's (the communique's) and each country's own.",
    "emission_standards": "Vehicle emission standards: the Euro level and the year it applies to new vehicles.",
    "commitments": "How far each country has come in each action area: its implementation stage and when it was "
                   "assessed.",
    "policies": "National laws, regulations, strategies, roadmaps, standards and incentives.",
    "activities": "Technical assistance and cooperation activities: workshops, study visits, case studies, "
                  "training.",
    "needs": "Each country's needs and challenges in an action area, in its own words.",
    "scenario_values": "Projections from published scenarios (such as the IEA's): never counted as a figure.",
    "activity_participants": "The organisations taking part in each activity and their role (funding, "
                             "implementing and the like).",
    "ta_offers": "Offers of technical assistance in the catalogue, by action area.",
}
"""What each published table holds, for a reader choosing what to download."""


def table_title(table: str) -> str:
    """A published table's name as its file is named, in words: 'emission_standards' -> 'Emission standards'."""
    return {"ta_offers": "Technical assistance offers"}.get(table, words(table).capitalize())


ROLE_WORDS = {"viewer": "reader", "focal_point": "national focal point", "secretariat": "secretariat",
              "admin": "admin", "system": "system"}
"""Who did something, in words: an account's role, or the role a change was made under in the history (the seed
build and imports are the 'system'; a reader's suggestion is a reader's)."""


def role_words(role: object) -> str:
    """An account's role or a change's author role in words ('focal_point' -> 'national focal point')."""
    return ROLE_WORDS.get(str(role), words(role))


MODE_WORDS = {"cars": "cars", "two_three_wheelers": "2/3-wheelers", "buses": "buses", "vans": "vans",
              "trucks": "trucks", "two_wheelers": "two-wheelers", "three_wheelers": "three-wheelers",
              "passenger_vehicles": "passenger vehicles", "all_vehicles": "all vehicles",
              "light_duty": "light-duty vehicles", "heavy_duty": "heavy-duty vehicles"}
"""Vehicle types in the words of the 30% question ('2/3-wheelers'), for lists of modes."""


def mode_list(modes: list[str] | tuple[str, ...]) -> str:
    """'cars, 2/3-wheelers and buses'."""
    names = [MODE_WORDS.get(m, m.replace("_", " ")) for m in modes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def coverage_text(modes: list[str], missing: list[str]) -> str:
    """'cars, 2/3-wheelers and buses; vans and trucks missing'."""
    return mode_list(modes) + (f"; {mode_list(missing)} missing" if missing else "")


def words(code: object) -> str:
    """A code as words: 'all_vehicles' -> 'all vehicles', 'mt_co2' -> 'Mt CO2'."""
    special = {"mt_co2": "Mt CO2", "kt_co2": "kt CO2", "percent": "%", "not_applicable": "not applicable",
               "two_three_wheelers": "two- and three-wheelers", "in_force": "in force"}
    text = str(code)
    return special.get(text, text.replace("_", " "))


FIELD_WORDS = {
    "country_iso3": "country", "indicator_code": "indicator", "action_area_code": "action area", "source_id": "source",
    "mode": "vehicles", "as_of": "assessed on", "powertrains": "electric vehicles counted", "period": "period covered",
    "euro_level": "Euro level", "evidence_url": "evidence link", "url": "link", "since_year": "member since",
    "effective_year": "takes effect", "effective_date": "takes effect on", "local_name": "national name",
    "alp_supported": "supported by ALP", "iso3": "country code", "licence_url": "licence link",
}
"""A record's fields in words, where the column's name is not already plain ('country_iso3' -> 'country')."""

CODE_WORDS = {
    "bev_and_phev": "battery-electric and plug-in hybrid", "bev_only": "battery-electric only",
    "as_reported": "as the source counts them", "annual": "the whole year", "partial_year": "part of the year",
    "single_month": "one month", "not_applicable": "no vehicle type", "no_action": "no action",
    "proposed": "proposed / in discussion", "pledged": "pledged / announced",
}
"""Codes of the closed lists that `words` alone would not make plain ('bev_and_phev')."""

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
CODE_FIELDS = frozenset({"stage", "mode", "unit", "period", "powertrains", "confidence", "status", "kind",
                         "vehicle_class", "grouping", "strength", "comparison", "target_scope", "role", "scenario"})
"""Fields whose values are codes of a closed list (a one-word code there is put in words too: 'proposed')."""
_NAMED = {"country_iso3": "countries", "indicator_code": "indicators", "action_area_code": "areas",
          "source_id": "sources"}


def field_words(field: str) -> str:
    """A record's field in words: 'country_iso3' -> 'country', 'target_year' -> 'target year'."""
    return FIELD_WORDS.get(field, words(field))


def value_words(field: str, value: object, namer: Namer | None = None, *, empty: str = "empty") -> str:
    """A field's value in words: a country, indicator, action area or source by its name (with a `namer`), a code
    of a closed list in words ('bev_and_phev' -> 'battery-electric and plug-in hybrid'), a whole number without
    '.0', yes or no; `empty` for no value. Free text is left as it was typed."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    text = str(value)
    if namer is not None and field in _NAMED:
        return getattr(namer, _NAMED[field]).get(text, text)
    if field in CODE_FIELDS or (field not in ("id", "source_id") and _CODE.match(text)):
        return CODE_WORDS.get(text, words(text))
    return text


class Namer:
    """Names records from the database's countries, indicators, action areas, sources and policies (read once)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        def pairs(sql: str) -> dict[str, str]:
            return {str(a): str(b) for a, b in con.execute(sql).fetchall()}

        self.countries = pairs("SELECT iso3, name FROM countries")
        self.indicators = pairs("SELECT code, name FROM indicators")
        self.areas = pairs("SELECT code, name FROM action_areas")
        self.sources = pairs("SELECT id, publisher || coalesce(' ' || CAST(year AS VARCHAR), '') FROM sources")
        self.policies = pairs("SELECT id, name FROM policies")
        self.activities = pairs("SELECT id, title FROM activities")

    def record(self, table: str, key: Mapping[str, object] | str) -> str:
        """'Figure: EV sales share, cars, India, 2024 (IEA 2025)' for a table and its key (a dict or JSON)."""
        k = {c: str(v) for c, v in (json.loads(key) if isinstance(key, str) else key).items()}
        country = self.countries.get(k.get("country_iso3", ""), k.get("country_iso3"))
        source = self.sources.get(k.get("source_id", ""), k.get("source_id"))
        area = self.areas.get(k.get("action_area_code", ""), words(k.get("action_area_code", "")))
        if table in ("observations", "scenario_values"):
            parts = [self.indicators.get(k["indicator_code"], words(k["indicator_code"])), words(k["mode"]),
                     country, k["year"]] + ([words(k["scenario"])] if "scenario" in k else [])
            what = ", ".join(p for p in parts if p and p != "not applicable") + f" ({source})"
        elif table in ("commitments", "needs"):
            what = f"{country}, {area}"
        elif table == "emission_standards":
            what = f"{country}, {words(k['vehicle_class'])}, Euro {k['euro_level']}"
        elif table == "memberships":
            what = f"{country}, {words(k['grouping'])}"
        elif table == "policies":
            what = self.policies.get(k["id"], words(k["id"]))
        elif table == "activities":
            what = self.activities.get(k["id"], words(k["id"]))
        elif table == "sources":
            what = self.sources.get(k["id"], "a new source")
        elif table == "countries":
            what = self.countries.get(k["iso3"], k["iso3"])
        else:
            what = ", ".join(words(v) for v in k.values())
        return f"{TABLE_WORDS.get(table, words(table).capitalize())}: {what}"

    def batch(self, tables_and_keys: list[tuple[str, str]]) -> str:
        """A batch of changes named by its first record ('..., and 2 more')."""
        if not tables_and_keys:
            return "no change"
        first = self.record(*tables_and_keys[0])
        rest = len(tables_and_keys) - 1
        return first + (f", and {rest} more" if rest else "")


FLAG_KINDS = {"figure": "A figure", "stage": "An implementation stage",
              "standard": "A standard (a Euro emission level or a fuel-economy standard)", "policy": "A policy"}
"""What a reader may flag as wrong or out of date, in words (Suggest a correction)."""

FLAGGED = {"observations": "Figure flagged", "commitments": "Implementation stage flagged",
           "emission_standards": "Emission standard flagged", "policies": "Policy flagged",
           "countries": "New figure proposed"}
"""What a reader's suggestion is about, by the table of the record it names (the secretariat's review)."""


def held_words(table: str, record: Mapping[str, object], namer: Namer | None = None) -> str:
    """What the tracker holds in one record, in the words a reader sees it: 'Electric vehicles: pledged /
    announced (assessed 2024-05-01)', 'Light-duty vehicles: Euro 6 (BS-VI), in force from 2020', 'FAME II
    (incentive, in force, 2019)'. A figure is named by Namer.record."""
    def value(field: str) -> str:
        return value_words(field, record.get(field), namer, empty="")

    if table == "commitments":
        area = value("action_area_name") or value("action_area_code")
        return f"{area}: {value('stage')} (assessed {str(record.get('as_of'))[:10]})"
    if table == "emission_standards":
        local = f" ({value('local_name')})" if value("local_name") else ""
        return (f"{MODE_WORDS.get(str(record.get('vehicle_class')), value('vehicle_class')).capitalize()}: Euro "
                f"{value('euro_level')}{local}, {value('status')} from {value('effective_year')}")
    if table == "policies":
        year = f", {value('year')}" if value("year") else ""
        return f"{record.get('name')} ({value('kind')}, {value('status')}{year})"
    return ", ".join(value_words(k, v, namer) for k, v in record.items())

AXIS_WORDS = {"zero": "From zero", "zoom": "Zoomed to the figures", "log": "Logarithmic"}
"""A chart's value axes in words (the progress chart's choice, charts.progress.AXES)."""


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """'1 change', '5 changes', '1,204 rows': a count with its noun in the right number."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
