"""Regional aggregates of a share indicator (e.g. the EV sales share) across the countries that report it.

Unweighted unless every country used has a sales volume, after UN ESCAP's simple regional averages; missing
countries are left out, never filled. Pure functions: no I/O.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ctatracker.analysis.gap_tables import CONFIDENCE_RANK, plain_values, select_series


def _volumes(volumes: pd.DataFrame | None, mode: str, year: int) -> dict[str, tuple[float, str | None]]:
    """Total sales per country for the year and mode: {iso3: (value, source_id)}; one source per country."""
    if volumes is None or volumes.empty:
        return {}
    df = plain_values(volumes)
    df = df[df["value"].notna()]
    if "year" in df:
        df = df[df["year"] == year]
    if "mode" in df:
        df = df[df["mode"] == mode]
    rank = df["confidence"].map(CONFIDENCE_RANK) if "confidence" in df else pd.Series(0, index=df.index)
    sid = df["source_id"] if "source_id" in df else pd.Series(None, index=df.index, dtype=object)
    df = df.assign(_rank=rank.fillna(len(CONFIDENCE_RANK)), source_id=sid)
    df = df.sort_values(["country_iso3", "_rank", "source_id"]).drop_duplicates("country_iso3")
    return {r.country_iso3: (float(r.value), r.source_id) for r in df.itertuples()}


def regional_share(
    observations: pd.DataFrame,
    indicator: str = "ev_sales_share",
    *,
    mode: str,
    year: int,
    volumes: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Regional value of a share indicator for one year and mode, from the countries that have one.

    Weighted by sales (sum of share x total sales / sum of total sales, i.e. EV sales over total sales) when
    `volumes` (rows of country_iso3, value = total sales, optional year, mode, source_id, confidence) gives a
    positive total for every country with a share; otherwise the unweighted mean. Missing countries are
    left out, never filled. Returns value, weighted, countries_used, n_countries, method, source_ids.
    """
    mode = str(mode)
    obs = select_series(observations)
    sel = obs[(obs["indicator_code"] == indicator) & (obs["mode"] == mode) & (obs["year"] == year)]
    shares = dict(zip(sel["country_iso3"], sel["value"].astype(float), strict=True))
    used = sorted(shares)
    ids = set(sel["source_id"])
    vols = _volumes(volumes, mode, year)
    base = {"indicator": indicator, "mode": mode, "year": year,
            "countries_used": used, "n_countries": len(used)}
    if not shares:
        return {**base, "value": None, "weighted": False, "source_ids": [],
                "method": f"No country has a {year} value of {indicator} ({mode}): no regional figure."}
    listed = ", ".join(used)
    missing = [iso for iso in used if iso not in vols]
    total = sum(vols[iso][0] for iso in used if iso in vols)
    if not missing and total > 0:
        value = sum(shares[iso] * vols[iso][0] for iso in used) / total
        ids |= {vols[iso][1] for iso in used if vols[iso][1]}
        method = (f"Sales-weighted: the shares of the {len(used)} countries with {year} data ({listed}) "
                  "weighted by their total sales, i.e. their EV sales summed over their total sales summed. "
                  "Countries without data are left out.")
        return {**base, "value": value, "weighted": True, "source_ids": sorted(ids), "method": method}
    why = f"sales volumes are missing for {', '.join(missing)}" if missing else "sales volumes sum to zero"
    method = (f"Unweighted mean of the {len(used)} countries with {year} data ({listed}); {why}, so the "
              "shares are not weighted. Countries without data are left out, not counted as zero.")
    return {**base, "value": sum(shares.values()) / len(shares), "weighted": False,
            "source_ids": sorted(ids), "method": method}
