"""Several countries side by side (the compare page): their key figures, series and targets, from their profiles."""

from __future__ import annotations

import pandas as pd

from ctatracker.findings.profile import NO_FIGURE, SHARE, Profile


def derived_as_series(profiles: list[Profile]) -> pd.DataFrame:
    """The derived all-vehicle EV share of several countries shaped like observations of one indicator and
    mode (for a chart of one line per country); the source is the dataset it was derived from."""
    rows = []
    for p in profiles:
        obs = p.frames.get("observations", pd.DataFrame())
        sources = obs.drop_duplicates("source_id").set_index("source_id") if not obs.empty else pd.DataFrame()
        for r in p.derived.to_dict("records"):
            src = sources.loc[r["source_id"]] if r["source_id"] in sources.index else {}
            rows.append({"country_iso3": p.iso3, "country_name": p.name, "indicator_code": SHARE,
                         "indicator_name": "EV share of new vehicle sales, derived by the tracker",
                         "mode": "all_vehicles", "unit": "percent", "year": int(r["year"]), "value": r["value"],
                         "source_id": r["source_id"], "source_publisher": src.get("source_publisher", "IEA"),
                         "source_year": src.get("source_year"), "source_title": src.get("source_title"),
                         "source_url": src.get("source_url"), "note": f"Derived by the tracker; covers "
                         f"{r['coverage']}"})
    return pd.DataFrame(rows)


def share_series_of(profiles: list[Profile], mode: str) -> pd.DataFrame:
    """The EV sales share series of one vehicle type of several countries, one after the other."""
    parts = [p.share_series[p.share_series["mode"] == mode] for p in profiles if not p.share_series.empty]
    return pd.concat(parts) if parts else pd.DataFrame()


def targets_of(profiles: list[Profile]) -> pd.DataFrame:
    """The EV sales share targets of several countries (a regional one once)."""
    return pd.concat([p.targets for p in profiles]).drop_duplicates("id")


def standards_of(profiles: list[Profile]) -> pd.DataFrame:
    """The emission standard steps of several countries."""
    return pd.concat([p.standards for p in profiles])


def compare_table(profiles: list[Profile]) -> pd.DataFrame:
    """Key figures side by side: one row per figure, one column per country ('value · status')."""
    if not profiles:
        return pd.DataFrame()
    labels = [f.label for f in profiles[0].key_figures]
    data = {"Key figure": labels}
    for p in profiles:
        data[p.name] = [f"{f.value} · {f.status}" if f.value not in NO_FIGURE else f.value for f in p.key_figures]
    return pd.DataFrame(data)
