"""What the Progress charts page draws for one indicator and vehicle scope: the figures, the line per country,
the targets and projections beside them, and the table of plotted data. Pure: frames in, frames out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ctatracker.analysis import derived
from ctatracker.analysis.gap_tables import select_series
from ctatracker.store import queries
from ctatracker.store.queries import Cursor

PLOTTED_COLUMNS = ["country_name", "year", "value", "in_line", "unit", "mode", "source_publisher", "source_year",
                   "source_title", "confidence", "period", "note", "target", "target_value", "target_year",
                   "projected_value", "status"]
"""Columns of `plotted_table`."""


@dataclass(frozen=True)
class ProgressInputs:
    """One indicator and scope in the chosen countries."""

    series: pd.DataFrame
    """Every figure of the chosen countries (other sources, part-year and BEV-only figures included)."""
    line: pd.DataFrame
    """The figures drawn: one measure from one source family per country, newest edition, yearly figures."""
    targets: pd.DataFrame
    """Regional targets and the chosen countries' own, with a 'below the <year> value' target resolved to one
    level per country (id `<target>_<country>`, label '<country>: <wording>')."""
    gap: pd.DataFrame
    """The gap-table rows of this indicator, scope and countries (status, projections)."""


SHARE = "ev_sales_share"
"""The indicator whose all-vehicle figure the tracker derives (the communique's 30% question)."""


def derived_share(cur: Cursor) -> pd.DataFrame:
    """The tracker's all-vehicle EV sales share of every country (derived from the EV sales and shares of each
    vehicle type, see analysis.ev_share) shaped like observations of `SHARE` for all vehicles: its source is the
    dataset it was derived from, its note says which vehicle types it covers."""
    rows = derived.derived_ev_share(cur)
    if rows.empty:
        return rows
    names = queries.countries(cur).set_index("iso3")["name"]
    src = queries.sources(cur).set_index("id")
    indicator = queries.indicators(cur).set_index("code")["name"].get(SHARE, "EV share of new vehicle sales")
    source = rows["source_id"]
    return pd.DataFrame({
        "country_iso3": rows["country_iso3"], "country_name": rows["country_iso3"].map(names),
        "indicator_code": SHARE, "indicator_name": indicator, "mode": "all_vehicles", "unit": "percent",
        "year": rows["year"].astype(int), "value": rows["value"].astype(float), "source_id": source,
        **{f"source_{c}": source.map(src[c]) for c in ("title", "publisher", "year", "url", "family")},
        "period": "annual", "powertrains": "bev_and_phev", "confidence": "derived by the tracker",
        "note": "Derived by the tracker from the sales of each vehicle type; covers " + rows["coverage"]})


def progress_inputs(observations: pd.DataFrame, targets: pd.DataFrame, gap: pd.DataFrame, indicator: str,
                    mode: str | None, countries: Sequence[str]) -> ProgressInputs:
    """The figures, line, targets and gap rows of `indicator` in `mode` for `countries`. `observations` are those of
    the indicator in the scope; `targets` those of the indicator (any scope); `gap` the whole gap table."""
    series = observations[observations["country_iso3"].isin(countries)]
    line = select_series(series) if not series.empty else series
    targets = targets[targets["country_iso3"].isna() | targets["country_iso3"].isin(countries)]
    gap = gap[(gap["indicator_code"] == indicator) & (gap["mode"] == mode) & gap["country_iso3"].isin(countries)]
    resolved = gap[gap["target_value_basis"].isin(["baseline_observed", "baseline_stated"])]
    if not resolved.empty:
        targets = pd.concat([targets, resolved.assign(
            id=resolved["target_id"] + "_" + resolved["country_iso3"],
            label=resolved["country_name"] + ": " + resolved["wording"].str.split(" (", regex=False).str[0])])
    return ProgressInputs(series, line, targets, gap)


@dataclass(frozen=True)
class NotDrawn:
    """The chosen countries the chart leaves out, by why, each a list of country names."""

    no_data: list[str]
    """No figure at all of the indicator in this scope."""
    no_yearly: list[str]
    """Figures only for part of a year, for battery-electric vehicles only or from other sources: listed, not drawn."""

    def sentence(self, label: str) -> str | None:
        """The chart's gaps in words ('Not drawn: no EV share figure ... for Nepal and Sri Lanka.'), or None."""
        parts = ([f"no {label} figure for {_and(self.no_data)}"] if self.no_data else []) + (
            [f"no yearly figure for {_and(self.no_yearly)} (its figures are listed in the table below)"]
            if self.no_yearly else [])
        return f"Not drawn: {'; '.join(parts)}." if parts else None


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def not_drawn(inputs: ProgressInputs, countries: Sequence[str], names: dict[str, str]) -> NotDrawn:
    """Which of the chosen `countries` (iso3, named by `names`) have no figure of this indicator and scope, and
    which have figures but none the chart draws as a yearly line."""
    have, drawn = set(inputs.series["country_iso3"]), set(inputs.line["country_iso3"])
    return NotDrawn([names.get(c, c) for c in countries if c not in have],
                    [names.get(c, c) for c in countries if c in have and c not in drawn])


def plotted_table(inputs: ProgressInputs) -> pd.DataFrame:
    """Every figure of the chosen countries, whether it is on the drawn line, and its country's target (national
    first), target year, straight-line projection and status; codes are left for the page to put in words."""
    series, line, gap = inputs.series, inputs.line, inputs.gap
    used = set(zip(line["country_iso3"], line["year"], line["source_id"], strict=True))
    view = series.assign(in_line=[(c, y, s) in used for c, y, s in zip(
        series["country_iso3"], series["year"], series["source_id"], strict=True)])
    first = gap.sort_values("target_scope", ascending=False).drop_duplicates("country_iso3")
    extra = pd.DataFrame({"country_iso3": first["country_iso3"], "target": first["wording"],
                          "target_value": first["target_value"], "target_year": first["target_year"],
                          "projected_value": first["projected_value"], "status": first["status_label"]})
    view = view.merge(extra, on="country_iso3", how="left")
    view["target"] = view["target"].fillna("none recorded for this scope")
    return view[PLOTTED_COLUMNS]


def cited_rows(inputs: ProgressInputs, mode: str | None) -> pd.DataFrame:
    """The figures and the targets of this scope that carry a source: the rows the page's source note cites."""
    targets = inputs.targets
    return pd.concat([inputs.series, targets[(targets["mode"] == mode) & targets["source_title"].notna()]])
