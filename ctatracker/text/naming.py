"""Records named in plain words for people: "EV sales share, cars, India, 2024 (IEA 2025)", never a key or a hash."""

from __future__ import annotations

import json
from collections.abc import Mapping

import duckdb

TABLE_WORDS = {
    "sources": "Source", "action_areas": "Action area", "countries": "Country", "memberships": "Membership",
    "indicators": "Indicator", "observations": "Figure", "scenario_values": "Scenario figure",
    "targets": "Target", "emission_standards": "Emission standard", "commitments": "Implementation stage",
    "policies": "Policy", "activities": "Activity", "needs": "Needs and challenges",
}
"""Each table's record in a word (used for 'Kind of record' and in every record name)."""


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
