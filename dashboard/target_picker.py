"""The Gap analysis target picker: first whose targets (the region's or one country's, searchable by name), then
which target, grouped by kind. Both choices live in the URL (`target_of`, `target`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ctatracker.text.naming import words
from dashboard.state import url_selectbox

REGIONAL = "regional"


def _owner(targets: pd.DataFrame, tid: str) -> str:
    iso3 = targets.loc[tid, "country_iso3"]
    return REGIONAL if pd.isna(iso3) else str(iso3)


def target_label(targets: pd.DataFrame, tid: str, *, with_owner: bool = True) -> str:
    """'EV share of new vehicle sales, cars · Thailand: 30% of sales by 2030' (the owner left out if asked)."""
    t = targets.loc[tid]
    mode = "" if t["mode"] in ("not_applicable", "all_vehicles") else f", {words(t['mode'])}"
    who = "Regional" if pd.isna(t["country_iso3"]) else t["country_name"]
    return f"{t['indicator_name']}{mode}" + (f" · {who}" if with_owner else "") + f": {t['wording']}"


def pick(targets: pd.DataFrame, assessed: list[str], names: dict[str, str]) -> str | None:
    """Two searchable selectboxes side by side; returns the chosen target id (one of `assessed`)."""
    assessed = [t for t in assessed if t in targets.index]
    if not assessed:
        return None
    owners = sorted({_owner(targets, t) for t in assessed} - {REGIONAL}, key=lambda c: names.get(c, c))
    owners = [REGIONAL] * any(_owner(targets, t) == REGIONAL for t in assessed) + owners
    wanted = st.query_params.get("target")
    default_owner = _owner(targets, wanted) if wanted in assessed else owners[0]
    left, right = st.columns([1, 2])
    with left:
        owner = url_selectbox("Targets of", owners, "target_of", default_owner,
                              format_func=lambda c: "the region (communique)" if c == REGIONAL else names.get(c, c),
                              help="Type a country's name to find its targets.")
    own = [t for t in assessed if _owner(targets, t) == owner]
    own.sort(key=lambda t: (str(targets.loc[t, "indicator_name"]), str(targets.loc[t, "mode"]),
                            str(targets.loc[t, "target_year"])))
    with right:
        return url_selectbox(f"Target ({len(own)})", own, "target", wanted,
                             format_func=lambda t: target_label(targets, t, with_owner=False))
