"""The communique's 30% question: the EV share of all new vehicle sales, reported or derived from mode data.

A source that gives, for one country and year, both the EV sales and the EV sales share of several modes
(IEA's Global EV Data Explorer does, for cars, 2/3-wheelers, buses, vans and trucks) lets the tracker derive
the share of all vehicles: total sales of a mode = EV sales / share; all-vehicle share = sum of EV sales / sum
of total sales over the modes present. The modes present are stated beside every derived value, and one
derived series keeps the same modes in every year. Pure functions on DataFrames: no I/O.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pandas as pd

from ctatracker.analysis.gap_tables import CONFIDENCE_RANK, plain_values, usable_points
from ctatracker.analysis.gaps import STATUS_ORDER, ProgressStatus
from ctatracker.analysis.target_rules import COMMUNIQUE_MODES
from ctatracker.text.naming import MODE_WORDS, coverage_text, mode_list

SHARE, SALES = "ev_sales_share", "ev_sales"
ALL_VEHICLES = "all_vehicles"
DERIVED_COLUMNS = ["country_iso3", "year", "value", "ev_sales", "total_sales", "modes", "modes_missing",
                   "coverage", "source_id", "method"]
"""Columns of `derived_all_vehicle_share`: `modes` and `modes_missing` are '; '-joined mode codes."""


def _mode_totals(observations: pd.DataFrame, modes: tuple[str, ...]) -> pd.DataFrame:
    """Per country, year, source and mode: EV sales and total sales (EV sales / share), both annual figures
    of both powertrains from the same source. A zero share gives no total (it cannot be divided by)."""
    df = plain_values(observations)
    df = usable_points(df[df["mode"].isin(modes) & df["indicator_code"].isin((SHARE, SALES))])
    key = ["country_iso3", "year", "source_id", "mode"]
    share = df[df["indicator_code"] == SHARE][[*key, "value", "source_family", "source_year", "confidence"]]
    sales = df[df["indicator_code"] == SALES][[*key, "value"]]
    both = share.merge(sales, on=key, suffixes=("_share", "_sales"))
    both = both[(both["value_share"] > 0) & (both["value_share"] <= 100) & (both["value_sales"] >= 0)]
    return both.assign(total=both["value_sales"] * 100.0 / both["value_share"])


TREND_WINDOW = 5
"""Years before the latest over which a derived series keeps the same vehicle types (the gap analysis's
trend window)."""


def _kept_modes(df: pd.DataFrame, modes: tuple[str, ...], window: int) -> dict[str, list[str]]:
    """Per country, the vehicle types a derived series keeps in every year: of the types reported in the latest
    year, the set (two or more) present together in the most years of the trend window (the latest year and
    the `window` years before it), and among those the one that covers the most sales in the latest year. A
    type reported for one year only, or missing from part of the window, is left out (and named as missing)
    rather than shrinking the series to the years it has."""
    kept: dict[str, list[str]] = {}
    for country, rows in df.groupby("country_iso3"):
        latest = int(rows["year"].max())
        in_window = rows[rows["year"] >= latest - window]
        years_of = in_window.groupby("mode")["year"].agg(set).to_dict()
        totals = in_window[in_window["year"] == latest].groupby("mode")["total"].sum().to_dict()
        present = [m for m in modes if m in totals]
        best: tuple[int, float, int] | None = None
        for size in range(len(present), 1, -1):
            for subset in combinations(present, size):
                together = set.intersection(*(years_of[m] for m in subset))
                score = (len(together), sum(totals[m] for m in subset), size)
                if best is None or score > best:
                    best, kept[str(country)] = score, list(subset)
    return kept


def derived_all_vehicle_share(observations: pd.DataFrame, modes: tuple[str, ...] = COMMUNIQUE_MODES,
                              window: int = TREND_WINDOW) -> pd.DataFrame:
    """One derived all-vehicle EV sales share series per country (columns DERIVED_COLUMNS), on `modes`.

    For each country: the source family with the most years, and in it, for each year, the newest edition.
    The series keeps the vehicle types present in every year of its trend window (`_kept_modes`), and only
    the years where each of them is present, so every point measures the same thing; the types left out are
    named in its coverage. Needs at least two types (one type is that type's own share)."""
    totals = pd.DataFrame() if observations.empty else _mode_totals(observations, modes)
    if totals.empty:
        return pd.DataFrame(columns=DERIVED_COLUMNS)
    iso = "country_iso3"
    totals = totals.assign(_rank=totals["confidence"].map(CONFIDENCE_RANK).fillna(len(CONFIDENCE_RANK)))
    families = (totals.groupby([iso, "source_family"]).agg(n=("year", "nunique"), last=("year", "max"),
                                                            rank=("_rank", "min")).reset_index()
                .sort_values([iso, "n", "last", "rank", "source_family"],
                             ascending=[True, False, False, True, True], kind="mergesort")
                .drop_duplicates(iso))
    df = totals.merge(families[[iso, "source_family"]], on=[iso, "source_family"])
    editions = (df.sort_values([iso, "year", "source_year", "_rank", "source_id"],
                               ascending=[True, True, False, True, True], kind="mergesort")
                .drop_duplicates([iso, "year"])[[iso, "year", "source_id"]])
    df = df.merge(editions, on=[iso, "year", "source_id"])
    kept = _kept_modes(df, modes, window)
    df = df[[m in kept.get(country, ()) for country, m in zip(df[iso], df["mode"], strict=True)]]
    if df.empty:
        return pd.DataFrame(columns=DERIVED_COLUMNS)
    years = (df.groupby([iso, "year"]).agg(n_modes=("mode", "nunique"), ev=("value_sales", "sum"),
                                          total=("total", "sum"), source_id=("source_id", "first"))
             .reset_index().sort_values([iso, "year"]))
    years = years[(years["n_modes"] == years[iso].map(lambda c: len(kept[c]))) & (years["total"] > 0)]
    rows = []
    for country, year, ev, total, source in zip(years[iso], years["year"], years["ev"], years["total"],
                                                years["source_id"], strict=True):
        mine = kept[country]
        missing = [m for m in modes if m not in mine]
        rows.append({
            "country_iso3": country, "year": int(year), "value": 100.0 * ev / total, "ev_sales": float(ev),
            "total_sales": float(total), "modes": "; ".join(mine), "modes_missing": "; ".join(missing),
            "coverage": coverage_text(mine, missing), "source_id": str(source),
            "method": (f"Derived by the tracker from {source}: EV sales of {mode_list(mine)} summed, over "
                       "their total sales (each mode's EV sales divided by its EV sales share) summed."),
        })
    return pd.DataFrame(rows, columns=DERIVED_COLUMNS)


def regional_all_vehicle_share(derived: pd.DataFrame, n_countries: int) -> dict[str, Any]:
    """The sales-weighted EV share of all vehicle sales across the countries with a derived figure, for the
    latest year that most of them share: sum of EV sales over sum of total sales, with its coverage, the
    country with the most sales (`largest`), its part of those sales (%) and the share without it."""
    if derived.empty:
        return {"value": None, "year": None, "countries_used": [], "n_countries": 0, "coverage": "",
                "method": "No country has the EV sales and EV sales shares by mode needed for a regional figure."}
    per_year = derived.groupby("year")["country_iso3"].nunique()
    year = int(per_year[per_year == per_year.max()].index.max())
    sel = derived[derived["year"] == year].sort_values("country_iso3")
    used = list(sel["country_iso3"])
    value = 100.0 * float(sel["ev_sales"].sum()) / float(sel["total_sales"].sum())
    modes = sorted({m for text in sel["modes"] for m in text.split("; ")}, key=COMMUNIQUE_MODES.index)
    coverage = f"{len(used)} of {n_countries} countries; modes: {mode_list(modes)}"
    uneven = sel["modes"].nunique() > 1
    method = (f"Sales-weighted over the {len(used)} countries with {year} EV sales and EV sales shares by mode: "
              "their EV sales summed over their total sales summed. Countries without such data are left out, "
              "not counted as zero." + (" The modes covered differ between countries (see each country)."
                                        if uneven else ""))
    top = sel.loc[sel["total_sales"].idxmax()]
    top_share = 100.0 * float(top["total_sales"]) / float(sel["total_sales"].sum())
    rest = sel[sel["country_iso3"] != top["country_iso3"]]
    without = 100.0 * float(rest["ev_sales"].sum()) / float(rest["total_sales"].sum()) if len(rest) else None
    top_ev = 100.0 * float(top["ev_sales"]) / float(sel["ev_sales"].sum()) if sel["ev_sales"].sum() > 0 else None
    return {"value": value, "year": year, "countries_used": used, "n_countries": len(used),
            "coverage": coverage, "method": method, "source_ids": sorted(set(sel["source_id"])),
            "largest": str(top["country_iso3"]), "largest_share": top_share, "largest_ev_share": top_ev,
            "without_largest": without}


EV30_COLUMNS = ["country_iso3", "country_name", "status", "status_label", "basis_kind", "basis", "basis_mode",
                "latest_value",
                "latest_year", "target_value", "target_year", "projected_value", "scenario_value",
                "scenario_label", "scenario_same_basis", "explanation", "other_figures", "source_ids",
                "indicative", "scope_match", "scope_difference"]


def _scenario_frame(scenarios: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Scenario values of one scenario shaped like observations (annual, both powertrains)."""
    sel = plain_values(scenarios)
    sel = sel[sel["scenario"].str.upper() == scenario.upper()] if not sel.empty else sel
    return sel.assign(period="annual", powertrains="bev_and_phev", confidence="high")


def _first_by(frame: pd.DataFrame, key: list[str]) -> dict[tuple, dict[str, Any]]:
    """The first row of `frame` for each value of `key`, as a dict by key tuple."""
    first = frame.drop_duplicates(key)
    return dict(zip(first[key].itertuples(index=False, name=None), first.to_dict("records"), strict=True))


def ev30_table(gap: pd.DataFrame, scenarios: pd.DataFrame, target_id: str, *,
               scenario: str = "STEPS", derived_figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 30% question, one row per country: its status against the regional EV sales share target with
    the basis used, and the scenario's value for the target year where one is published (a projection, never
    an observation: shown beside the status, never in it). `scenario_same_basis` says whether the scenario
    counts the same vehicle types as the figure (`derived_figures`: the derived series the figures come from);
    when it does not, its label says what it covers."""
    rows = gap[gap["target_id"] == target_id].copy()
    if rows.empty:
        return pd.DataFrame(columns=EV30_COLUMNS)
    for col, default in (("indicative", False), ("scope_match", True), ("scope_difference", None)):
        rows[col] = rows.get(col, default)
    year = int(rows["target_year"].dropna().iloc[0]) if rows["target_year"].notna().any() else None
    scen = _scenario_frame(scenarios, scenario) if not scenarios.empty else pd.DataFrame()
    derived = derived_all_vehicle_share(scen) if not scen.empty else pd.DataFrame(columns=DERIVED_COLUMNS)
    shares = scen[scen["indicator_code"] == SHARE] if not scen.empty else scen
    by_country_year = _first_by(derived, ["country_iso3", "year"]) if not scen.empty else {}
    by_mode_year = _first_by(shares, ["country_iso3", "mode", "year"]) if not scen.empty else {}
    editions = {k[0]: r["source_year"] for k, r in _first_by(scen, ["source_id"]).items()} if not scen.empty else {}
    derived_modes = {} if derived_figures is None or derived_figures.empty else dict(
        zip(derived_figures["country_iso3"], derived_figures["modes"], strict=False))
    values, labels, same = [], [], []
    for r in rows.itertuples():
        hit = None
        if year is not None and r.basis_kind in ("reported", "derived"):
            hit = by_country_year.get((r.country_iso3, year))
        elif year is not None and r.basis_kind == "proxy":
            hit = by_mode_year.get((r.country_iso3, r.basis_mode, year))
        if hit is None:
            values.append(None)
            labels.append(None)
            same.append(None)
            continue
        edition = editions.get(hit["source_id"])
        edition_txt = f" ({int(edition)} edition)" if edition is not None and pd.notna(edition) else ""
        if r.basis_kind == "proxy":
            scope, alike = MODE_WORDS.get(r.basis_mode, ""), True
        else:
            scope = f"all vehicles: {hit['coverage']}"
            alike = r.basis_kind == "derived" and derived_modes.get(r.country_iso3) == hit["modes"]
        values.append(float(hit["value"]))
        labels.append(f"IEA {scenario} scenario{edition_txt}, {year}, {scope}"
                      + ("" if alike else "; not the same vehicle types as the figure"))
        same.append(alike)
    rows["scenario_value"], rows["scenario_label"], rows["scenario_same_basis"] = values, labels, same
    return rows[EV30_COLUMNS].reset_index(drop=True)


def in_status_order(ev30: pd.DataFrame) -> pd.DataFrame:
    """The 30% table best status first (achieved, on track, ... insufficient data), then the highest share,
    then by country name; a country without a basis says 'No data' as its basis."""
    order = ev30["status"].map(lambda s: STATUS_ORDER.index(ProgressStatus(s)))
    ordered = ev30.assign(order_=order).sort_values(["order_", "latest_value", "country_name"],
                                                     ascending=[True, False, True]).drop(columns="order_")
    return ordered.assign(basis=ordered["basis"].fillna("No data"))
