"""The overview's headline figures: each with its value, a short note under it and how it was made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ctatracker import analysis, queries
from ctatracker.charts.overview import latest_frame


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


def _against(value: float, ambition: Mapping[str, Any] | None) -> str:
    """The gap to the regional ambition (a row of the targets table), or why there is none."""
    if ambition is None:
        return "no regional ambition recorded to compare with"
    return (f"{_signed(value - float(ambition['target_value']))} pp vs the {float(ambition['target_value']):g}% "
            f"ambition for {int(ambition['target_year'])}")


def _ev_share_figure(share: dict[str, Any], names: dict[str, str], n: int,
                     ambition: Mapping[str, Any] | None) -> HeadlineFigure:
    if share["value"] is None:
        return HeadlineFigure("EV share of all-vehicle sales", "no data",
                              ("A sourced all-vehicle EV sales share for any country would fill it.",),
                              share["method"])
    kind = "Sales-weighted" if share["weighted"] else "Unweighted mean"
    used = ", ".join(names.get(c, c) for c in share["countries_used"])
    return HeadlineFigure(
        f"EV share of all-vehicle sales, {share['year']}", f"{share['value']:.1f}%",
        (_against(share["value"], ambition),
         f"{kind} of {share['n_countries']} of {n} countries with a {share['year']} figure ({used}); the others "
         "are left out, not counted as zero."),
        share["method"])


def _charging_figure(charging: pd.DataFrame, n: int) -> HeadlineFigure:
    if charging.empty:
        return HeadlineFigure("Public charging points", "no data",
                              ("A sourced public_charging_points observation for any country would fill it.",),
                              "No country has a public charging point figure yet.")
    lo, hi = int(charging["year"].min()), int(charging["year"].max())
    years = f"{lo}" if lo == hi else f"{lo}–{hi}"
    listed = ", ".join(f"{r.name} {int(r.year)}" for r in charging.itertuples())
    return HeadlineFigure(
        "Public charging points, sum of latest", f"{charging['value'].sum():,.0f}",
        (f"{len(charging)} of {n} countries have a figure ({years}): {listed}. No data for the others.",),
        f"Sum of each country's latest figure: {listed}. Not a regional total: no figure for the "
        f"other {_countries(n - len(charging))}.")


def headline_figures(countries: pd.DataFrame, euro: pd.DataFrame, share: dict[str, Any],
                     charging: pd.DataFrame, under_way: pd.DataFrame, *,
                     ambition: Mapping[str, Any] | None = None) -> list[HeadlineFigure]:
    """Countries covered, Euro VI in force (heavy and light duty), regional EV share, charging, activities.

    `charging` holds each country's latest public charging figure (name, year, value; countries with none
    left out); `under_way` the activities in implementation; `ambition` the regional EV sales share target
    (a targets row: target_value, target_year), None when none is recorded.
    """
    n = len(countries)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    return [
        _countries_figure(countries),
        _euro_figure(euro, "heavy_duty", "heavy-duty", n),
        _euro_figure(euro, "light_duty", "light-duty", n),
        _ev_share_figure(share, names, n, ambition),
        _charging_figure(charging, n),
        HeadlineFigure("Activities under way", str(len(under_way)), ("cooperation and technical assistance",),
                       "Cooperation and technical assistance activities with status 'implementation'."),
    ]


def overview_headline(cur: duckdb.DuckDBPyConnection) -> list[HeadlineFigure]:
    """The overview's headline figures, read from the database (the dashboard caches them with its queries)."""
    countries = queries.countries(cur)
    charging = latest_frame(countries, queries.observations(cur, indicator_code="public_charging_points",
                                                            mode="not_applicable"))
    ambition = regional_ev_ambition(cur)
    return headline_figures(countries, analysis.euro_table(cur), analysis.latest_regional_share(cur),
                            charging.dropna(subset=["value"]), queries.activities(cur, statuses=["implementation"]),
                            ambition=None if ambition.empty else ambition.iloc[0].to_dict())


def regional_ev_ambition(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The regional EV sales share target of all vehicles (the communique's), with its source; empty if none."""
    targets = queries.targets(cur, indicator_code="ev_sales_share")
    return targets[targets["country_iso3"].isna() & (targets["mode"] == "all_vehicles")].head(1)
