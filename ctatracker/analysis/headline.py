"""The overview's headline figures: each with its value, a short note under it and how it was made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ctatracker.analysis import derived
from ctatracker.analysis.gap_tables import select_series
from ctatracker.analysis.gaps import ACHIEVED, OFF_TRACK, ProgressStatus
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


def _against(value: float, ambition: Mapping[str, Any] | None) -> str:
    """The gap to the regional ambition (a row of the targets table), or why there is none."""
    if ambition is None:
        return "no regional ambition recorded to compare with"
    return (f"{_signed(value - float(ambition['target_value']))} pp vs the {float(ambition['target_value']):g}% "
            f"ambition for {int(ambition['target_year'])}")


def _ev_share_figure(share: dict[str, Any], names: dict[str, str], n: int,
                     ambition: Mapping[str, Any] | None) -> HeadlineFigure:
    if share["value"] is None:
        return HeadlineFigure("EV share of new vehicle sales", "no data",
                              ("EV sales and EV sales shares by vehicle type for any country would fill it.",),
                              share["method"])
    used = ", ".join(names.get(c, c) for c in share["countries_used"])
    coverage = share.get("coverage") or f"{share['n_countries']} of {n} countries"
    kind = "Sales-weighted" if share["weighted"] else "Simple average"
    notes = [_against(share["value"], ambition),
             f"{kind} over {coverage} ({used}); not a figure for the whole region: the others have no data."]
    if share.get("largest") and share.get("without_largest") is not None:
        big = names.get(share["largest"], share["largest"])
        notes.append(f"{big} makes {share['largest_share']:.0f}% of these sales; without {big}: "
                     f"{share['without_largest']:.1f}%.")
    return HeadlineFigure(f"EV share of new vehicle sales, {share['year']}", f"{share['value']:.1f}%",
                          tuple(notes), share["method"])


def _ev30_figure(ev30: pd.DataFrame, n: int) -> HeadlineFigure:
    """Countries on track, off track and without data for the 30% EV sales ambition."""
    if ev30.empty:
        return HeadlineFigure("30% EV sales by 2030", "no data", ("No regional EV sales target is recorded.",),
                              "No regional EV sales share target is recorded.")
    status = ev30["status"]
    good = int(status.isin([s.value for s in (*ACHIEVED, ProgressStatus.ON_TRACK)]).sum())
    off = int(status.isin([s.value for s in OFF_TRACK]).sum())
    unknown = int((status == ProgressStatus.INSUFFICIENT_DATA.value).sum())
    proxy = int(((ev30["basis_kind"] == "proxy") & (status != ProgressStatus.INSUFFICIENT_DATA.value)).sum())
    return HeadlineFigure(
        "30% EV sales by 2030", f"{good} on track, {off} off",
        (f"{unknown} of {n} countries cannot be assessed for lack of data"
         + (f"; {proxy} assessed on one vehicle type as a proxy" if proxy else ""),),
        "Each country's pace against the communique's ambition of 30% EV sales, on all vehicles where a source "
        "gives it or the tracker can derive it from sales by vehicle type, otherwise on a named proxy. "
        "Details and the basis of each status are in the Gap analysis.")


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


def headline_figures(countries: pd.DataFrame, euro: pd.DataFrame, share: dict[str, Any],
                     charging: pd.DataFrame, under_way: pd.DataFrame, *,
                     ambition: Mapping[str, Any] | None = None,
                     ev30: pd.DataFrame | None = None) -> list[HeadlineFigure]:
    """Countries covered, Euro VI in force (heavy and light duty), regional EV share, charging, activities.

    `charging` holds each country's latest public charging figure (name, year, value, source_family,
    source_publisher; countries with none left out); `under_way` the activities in implementation; `ambition`
    the regional EV sales share target (a targets row: target_value, target_year), None when none is
    recorded; `ev30` the 30% table (`analysis.ev30_table`), its card left out when None.
    """
    n = len(countries)
    names = dict(zip(countries["iso3"], countries["name"], strict=True))
    return [
        _countries_figure(countries),
        _euro_figure(euro, "heavy_duty", "heavy-duty", n),
        _euro_figure(euro, "light_duty", "light-duty", n),
        *([_ev30_figure(ev30, n)] if ev30 is not None else []),
        _ev_share_figure(share, names, n, ambition),
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
    ambition = regional_ev_ambition(cur)
    return headline_figures(countries, derived.euro_table(cur), derived.latest_regional_share(cur),
                            charging, queries.activities(cur, statuses=["implementation"]),
                            ambition=None if ambition.empty else ambition.iloc[0].to_dict(),
                            ev30=derived.ev30_table(cur))


def regional_ev_ambition(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The regional EV sales share target of all vehicles (the communique's), with its source; empty if none."""
    targets = queries.targets(cur, indicator_code="ev_sales_share")
    return targets[targets["country_iso3"].isna() & (targets["mode"] == "all_vehicles")].head(1)


BASIS_WORDS = {"reported": "all vehicles as reported", "derived": "all vehicles derived from sales by vehicle type",
               "proxy": "one vehicle type as a proxy"}


def communique_answer(ev30: pd.DataFrame, euro: pd.DataFrame) -> list[tuple[str, str]]:
    """One line per communique target, (target, answer) in plain text: who is on track for 30% EV sales (with the
    basis of the statuses) and where each country stands on Euro VI for heavy and light duty."""
    lines = []
    if ev30.empty:
        lines.append(("30% EV sales by 2030", "no regional EV sales target is recorded"))
    else:
        status = ev30["status"]
        good = int(status.isin([s.value for s in (*ACHIEVED, ProgressStatus.ON_TRACK)]).sum())
        off = int(status.isin([s.value for s in OFF_TRACK]).sum())
        unknown = int((status == ProgressStatus.INSUFFICIENT_DATA.value).sum())
        basis = ev30.loc[status != ProgressStatus.INSUFFICIENT_DATA.value, "basis_kind"].value_counts()
        how = ", ".join(f"{n} on {BASIS_WORDS.get(k, k)}" for k, n in basis.items())
        lines.append(("30% EV sales by 2030",
                      f"{good} on track, {off} off track, {unknown} no data, of {_countries(len(ev30))}"
                      + (f" (basis: {how})" if how else "")))
    for vehicle_class, label in (("heavy_duty", "heavy duty"), ("light_duty", "light duty")):
        count = euro[euro["vehicle_class"] == vehicle_class]["status"].value_counts()
        none = int(count.get("not_scheduled", 0)) + int(count.get("no_data", 0))
        lines.append((f"Euro VI by 2030, {label}",
                      f"{count.get('in_force', 0)} in force, {count.get('scheduled', 0)} adopted, "
                      f"{count.get('pledged', 0)} pledged, {none} none"
                      + (f" ({count.get('no_data', 0)} of them without data)" if count.get("no_data", 0) else "")))
    return lines


def overview_answer(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The communique answer read from the database (see communique_answer)."""
    return communique_answer(derived.ev30_table(cur), derived.euro_table(cur))
