"""The figures each chart draws, as a table to download: one row per drawn point, columns named in plain words, and
the source of each row (`source_id`, put in words when the file is written, see `chart_files`)."""

from __future__ import annotations

import pandas as pd

from ctatracker.findings.model import CO2_GROUP_LABELS, Co2Finding
from ctatracker.model.enums import STAGE_LABELS
from ctatracker.text.naming import CODE_WORDS, MODE_WORDS, words

SOURCE = "source_id"
"""The column naming each row's source(s) ('a; b'), replaced by the sources' names in the written file."""
COUNTRY, CODE = "Country", "Country code (ISO 3166-1 alpha-3)"
STANDARD_STATUS = {"in_force": "In force", "scheduled": "Adopted for a later date", "pledged": "Pledged only"}


def _mode(code: object) -> str:
    return MODE_WORDS.get(str(code), CODE_WORDS.get(str(code), words(code))) if pd.notna(code) else ""


def _years(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for c in columns:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").round().astype("Int64")
    return frame


def stages(commitments: pd.DataFrame, countries: pd.DataFrame, area: str | None = None) -> pd.DataFrame:
    """Each country's implementation stage by action area (one area when `area` is given; countries without a
    stage listed as such), with the date it was assessed."""
    rows = commitments if area is None else commitments[commitments["action_area_code"] == area]
    out = pd.DataFrame({
        COUNTRY: rows["country_name"], CODE: rows["country_iso3"], "Action area": rows["action_area_name"],
        "Implementation stage": rows["stage"].map(lambda s: STAGE_LABELS.get(str(s), words(s))),
        "Assessed as of": pd.to_datetime(rows["as_of"]).dt.date, SOURCE: rows["source_id"]})
    if area is not None:
        missing = countries[~countries["iso3"].isin(rows["country_iso3"])]
        name = rows["action_area_name"].iloc[0] if not rows.empty else words(area)
        out = pd.concat([out, pd.DataFrame({COUNTRY: missing["name"], CODE: missing["iso3"], "Action area": name,
                                            "Implementation stage": "No stage assessed"})], ignore_index=True)
    return out.sort_values([COUNTRY, "Action area"], ignore_index=True)


def ev30(frame: pd.DataFrame) -> pd.DataFrame:
    """Each country's latest EV share of new vehicle sales, its status against the ambition, and the ambition."""
    out = pd.DataFrame({
        COUNTRY: frame["country_name"], CODE: frame["country_iso3"], "Status": frame["status_label"],
        "Latest EV share of new vehicle sales (%)": frame["latest_value"], "Year of that figure": frame["latest_year"],
        "What the figure counts": frame["basis"], "Target (%)": frame["target_value"],
        "Target year": frame["target_year"], SOURCE: frame["source_ids"]})
    return _years(out, "Year of that figure", "Target year").sort_values(COUNTRY, ignore_index=True)


def status_counts(summary: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """How many countries have each status, target by target (the tracker's own assessment)."""
    counts = [c for c in summary.columns if c not in ("target_id", "target_scope", "indicator_code", "mode",
                                                       "countries")]
    out = pd.DataFrame({"Target": summary["target_id"].map(lambda t: labels.get(t, t)),
                        "Countries (or country-target pairs) assessed": summary["countries"]})
    for c in counts:
        out[words(c).capitalize()] = pd.to_numeric(summary[c], errors="coerce").fillna(0).astype("Int64")
    return out


def standards(frame: pd.DataFrame) -> pd.DataFrame:
    """Each emission standard step: country, vehicle class, Euro-equivalent level, the year it applies, status."""
    out = pd.DataFrame({
        COUNTRY: frame["country_name"], CODE: frame["country_iso3"],
        "Vehicle class": frame["vehicle_class"].map(_mode), "Euro-equivalent level": frame["euro_level"],
        "National name": frame["local_name"], "Applies to new vehicles from (year)": frame["effective_year"],
        "Status": frame["status"].map(lambda s: STANDARD_STATUS.get(str(s), words(s))), SOURCE: frame["source_id"]})
    return out.sort_values([COUNTRY, "Vehicle class", "Applies to new vehicles from (year)"], ignore_index=True)


def co2_groups(found: list[Co2Finding]) -> pd.DataFrame:
    """Where each country's latest transport CO₂ stands against its 2019 level."""
    out = pd.DataFrame({
        COUNTRY: [f.country_name for f in found], CODE: [f.country_iso3 for f in found],
        "Against 2019": [CO2_GROUP_LABELS[f.group] for f in found],
        "Latest transport CO₂ (Mt)": [f.latest_value for f in found],
        "Year of that figure": [f.latest_year for f in found],
        "2019 level (Mt)": [f.base_value for f in found], SOURCE: ["; ".join(f.source_ids) for f in found]})
    return _years(out, "Year of that figure").sort_values(COUNTRY, ignore_index=True)


def co2_series(found: Co2Finding) -> pd.DataFrame:
    """A country's transport CO₂ by year, with its 2019 level."""
    return pd.DataFrame({"Year": [int(y) for y, _ in found.points], "Transport CO₂ (Mt)": [v for _, v in found.points],
                         "2019 level (Mt)": found.base_value, SOURCE: "; ".join(found.source_ids)})


def ev_share(share: pd.DataFrame, derived: pd.DataFrame, scenarios: pd.DataFrame,
             targets: pd.DataFrame) -> pd.DataFrame:
    """A country's EV share of new vehicle sales by year and vehicle type: the figures, the tracker's derived
    share of all vehicles, IEA's scenario projections and the targets, one row per point drawn."""
    value, parts = "EV share of new vehicle sales (%)", []
    if not share.empty:
        parts.append(pd.DataFrame({"Year": share["year"], "Vehicles": share["mode"].map(_mode), "What it is":
                                   "Reported figure", value: share["value"], SOURCE: share["source_id"]}))
    if not derived.empty:
        parts.append(pd.DataFrame({"Year": derived["year"], "Vehicles": "all vehicles", "What it is":
                                   "Derived by the tracker from the figures of each vehicle type",
                                   value: derived["value"].round(2), SOURCE: derived["source_id"]}))
    if not scenarios.empty:
        parts.append(pd.DataFrame({"Year": scenarios["year"], "Vehicles": scenarios["mode"].map(_mode),
                                   "What it is": "Projection, IEA scenario " + scenarios["scenario"].astype(str),
                                   value: scenarios["value"], SOURCE: scenarios["source_id"]}))
    if not targets.empty and "target_year" in targets:
        parts.append(pd.DataFrame({"Year": targets["target_year"], "Vehicles": targets["mode"].map(_mode),
                                   "What it is": "Target", value: targets["target_value"],
                                   SOURCE: targets.get("source_id")}))
    if not parts:
        return pd.DataFrame(columns=["Year", "Vehicles", "What it is", value, SOURCE])
    out = _years(pd.concat(parts, ignore_index=True), "Year")
    return out.sort_values(["What it is", "Vehicles", "Year"], ignore_index=True)


def charging(series: pd.DataFrame) -> pd.DataFrame:
    """A country's public EV charging points by year."""
    return _years(pd.DataFrame({"Year": series["year"], "Public EV charging points": series["value"],
                                SOURCE: series["source_id"]}), "Year").sort_values("Year", ignore_index=True)
