"""The overview's headline figures: each with its value, a short note under it and how it was made."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from ctatracker.analysis import derived
from ctatracker.analysis.gap_tables import select_series
from ctatracker.store import queries


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline figure: `value` is the text shown ("no data" when there is none)."""

    label: str
    value: str
    notes: tuple[str, ...]
    detail: str


def _countries(k: int) -> str:
    return f"{k} country" if k == 1 else f"{k} countries"


def _signed(value: float) -> str:
    """A difference with its sign, the minus typeset as a minus."""
    return f"{value:+.1f}".replace("-", "\u2212")


def _countries_figure(countries: pd.DataFrame) -> HeadlineFigure:
    n, members = len(countries), int(countries["lg_cta_member"].fillna(False).astype(bool).sum())
    return HeadlineFigure(
        "Countries covered", str(n),
        ("Asian countries of the regional clean-transport programmes",
         f"LG-CTA membership recorded for {members} of {n}: the member list is not public."),
        f"Countries the tracker reports on: {', '.join(countries['name'])}. The LG-CTA member list is not public: "
        "it is data the ALP secretariat maintains. The tracker records a membership only where a public source "
        f"states it ({members} of {n} countries recorded as LG-CTA members); each country profile lists the "
        "groupings a public source confirms.")


def _euro_figure(euro: pd.DataFrame, vehicle_class: str, label: str, n: int) -> HeadlineFigure:
    count = euro[euro["vehicle_class"] == vehicle_class]["status"].value_counts()
    return HeadlineFigure(
        f"Euro VI in force, {label}", f"{count.get('in_force', 0)} of {n}",
        (f"+{count.get('scheduled', 0)} adopted, {count.get('pledged', 0)} pledged for 2030 or earlier",),
        f"Countries with a Euro 6-equivalent {label} standard in force today; under it, countries that have "
        f"adopted one taking effect by 2030 and those that have only pledged one. No data for "
        f"{_countries(count.get('no_data', 0))}.")


def _charging_figure(charging: pd.DataFrame, n: int) -> HeadlineFigure:
    """Public charging points summed only over countries whose latest figures share a year and a source
    family; the other countries' figures (other years or scopes) are listed, never added."""
    if charging.empty:
        return HeadlineFigure("Public charging points", "no data",
                              ("A sourced public charging point figure for any country would fill it.",),
                              "No country has a public charging point figure yet.")
    df = charging.assign(family=charging["source_family"].fillna(charging["source_id"])
                         if "source_family" in charging else "one source")
    groups = df.groupby(["year", "family"]).size().reset_index(name="k")
    best = groups.sort_values(["k", "year"], ascending=False).iloc[0]
    sel = df[(df["year"] == best["year"]) & (df["family"] == best["family"])]
    rest = df.drop(sel.index)
    year = int(best["year"])
    publisher = str(sel["source_publisher"].iloc[0]) if "source_publisher" in sel else "one source"
    listed = ", ".join(sel["name"])
    others = "; ".join(f"{r.name} {r.value:,.0f} ({int(r.year)})" for r in rest.itertuples())
    return HeadlineFigure(
        f"Public charging points, {year}", f"{sel['value'].sum():,.0f}",
        (f"{len(sel)} of {n} countries, one source ({publisher}): {listed}. Not a regional total.",),
        f"Sum of the {year} figures of {listed}, all from {publisher}. Figures of other years or sources are "
        "not added to it" + (f": {others}." if others else ".") + f" No figure for the other "
        f"{_countries(n - len(df))}.")


def headline_figures(countries: pd.DataFrame, euro: pd.DataFrame, charging: pd.DataFrame,
                     under_way: pd.DataFrame) -> list[HeadlineFigure]:
    """Countries covered, Euro VI in force (heavy and light duty), charging, activities. Who stands where on each
    2030 ambition, and the regional EV share, are findings (`ctatracker.findings`), rendered beside these.

    `charging` holds each country's latest public charging figure (name, year, value, source_family,
    source_publisher; countries with none left out); `under_way` the activities in implementation.
    """
    n = len(countries)
    return [
        _countries_figure(countries),
        _euro_figure(euro, "heavy_duty", "heavy-duty", n),
        _euro_figure(euro, "light_duty", "light-duty", n),
        _charging_figure(charging, n),
        HeadlineFigure("Activities under way", str(len(under_way)), ("cooperation and technical assistance",),
                       "Cooperation and technical assistance activities with status 'implementation'."),
    ]


def overview_headline(cur: duckdb.DuckDBPyConnection) -> list[HeadlineFigure]:
    """The overview's headline figures, read from the database (the dashboard caches them with its queries)."""
    countries = queries.countries(cur)
    charging = select_series(queries.observations(cur, indicator_code="public_charging_points",
                                                  mode="not_applicable"))
    charging = charging.sort_values("year").drop_duplicates("country_iso3", keep="last")
    charging = charging.assign(name=charging["country_name"])
    return headline_figures(countries, derived.euro_table(cur), charging,
                            queries.activities(cur, statuses=["implementation"]))


def regional_ev_ambition(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The regional EV sales share target of all vehicles (the communique's), with its source; empty if none."""
    targets = queries.targets(cur, indicator_code="ev_sales_share")
    return targets[targets["country_iso3"].isna() & (targets["mode"] == "all_vehicles")].head(1)
