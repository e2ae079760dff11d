"""Key messages on Euro VI: how many countries have it in force, scheduled or pledged, and each country's standing.

Part of the key messages (`ctatracker.briefing.key_messages`): every number goes through `_Sentence`, so it
is traced to the Euro VI table. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ctatracker.briefing.sentences import CLASS_WORDS, KeyMessage, _has, _ids, _names, _present, _Sentence, _union


def _deadline_sources(targets: pd.DataFrame | None, vehicle_class: str) -> tuple[str, ...]:
    """Sources of the regional Euro VI goal for a vehicle class (the communique), from queries.targets rows."""
    if targets is None or targets.empty:
        return ()
    rows = targets[(targets["indicator_code"] == "euro_emission_level") & targets["country_iso3"].isna()
                   & (targets["mode"].map(str) == vehicle_class)]
    return _union(rows["source_id"])


def euro_message(euro: pd.DataFrame, vehicle_class: str, targets: pd.DataFrame | None = None) -> KeyMessage:
    """How many countries have Euro VI in force, adopted or pledged for one vehicle class (euro.euro_table rows).

    e.g. '4 of 17 countries have Euro VI in force for heavy-duty vehicles (...); 1 more has only pledged it for
    2030 or earlier (...). 4 have a recorded standard that does not reach Euro VI by 2030; 8 have no standard
    recorded.' `targets` (queries.targets) supplies the source of the deadline year.
    """
    rows = euro[euro["vehicle_class"] == vehicle_class]
    cls = CLASS_WORDS.get(vehicle_class, vehicle_class.replace("_", " "))
    topic = f"euro_{vehicle_class}"
    s = _Sentence()
    if rows.empty:
        return s.done(topic, f"No country is covered, so no Euro VI status for {cls} vehicles can be given.",
                      area="standards")
    deadline_year = int(rows["deadline_year"].iloc[0])
    as_of_year = deadline_year - int(rows["years_left"].iloc[0])
    dsrc = _deadline_sources(targets, vehicle_class)
    status = rows["status"].map(str)
    deadline: list[str] = []

    def by() -> str:
        if not deadline:
            deadline.append(s.year("deadline_year", deadline_year, "deadline of the Euro VI goal", dsrc))
        return deadline[0]

    def count(value: str, label: str) -> tuple[str, pd.DataFrame]:
        sel = rows[status == value]
        return s.num(value, len(sel), f"countries with {label}, {cls} vehicles (as of {as_of_year})",
                     _union(sel["source_ids"]), as_of_year), sel

    k, in_force = count("in_force", "Euro VI in force")
    total = s.num("countries", len(rows), "countries covered by the tracker")
    if in_force.empty:
        text = f"None of the {total} countries has Euro VI in force for {cls} vehicles"
    else:
        text = (f"{k} of {total} countries {_has(len(in_force))} Euro VI in force for {cls} vehicles"
                f"{_names(list(in_force['country_name']))}")
    for value, label, verb, suffix in (
        ("scheduled", "Euro VI adopted for the deadline or earlier", "adopted it to take effect by", ""),
        ("pledged", "Euro VI only pledged", "only pledged it for", " or earlier"),
    ):
        if (status == value).any():
            k, sel = count(value, label)
            text += f"; {k} more {_has(len(sel))} {verb} {by()}{suffix}{_names(list(sel['country_name']))}"
    tail = []
    if (status == "not_scheduled").any():
        k, sel = count("not_scheduled", "no Euro VI step by the deadline")
        tail.append(f"{k} {_has(len(sel))} a recorded standard that does not reach Euro VI by {by()}")
    if (status == "no_data").any():
        k, sel = count("no_data", "no emission standard recorded")
        tail.append(f"{k} {_has(len(sel))} no standard recorded")
    text += "." + (" " + "; ".join(tail) + "." if tail else "")
    return s.done(topic, text, area="standards")


def _euro_clause(s: _Sentence, row: Mapping[str, Any], cls: str) -> str:
    """'heavy-duty: Euro 4 in force since 2022; Euro VI pledged for 2030' for one euro_table row."""
    ids = _ids(row["source_ids"])
    status = str(row["status"])
    if status == "no_data":
        return f"{cls}: no standard recorded"
    if _present(row["current_level"]):
        level = s.num(f"{row['vehicle_class']}_level", row["current_level"], f"Euro level in force, {cls}", ids)
        since = s.year(f"{row['vehicle_class']}_since", row["current_since"], f"year Euro {level} took effect, {cls}",
                       ids)
        now = f"Euro {level} in force since {since}"
    else:
        now = "no standard in force yet"
    if status == "in_force":
        return f"{cls}: {now} (meets the Euro VI goal)"
    goal = row["goal_year"]
    when = s.year(f"{row['vehicle_class']}_goal", goal, f"year of the Euro VI step, {cls}", ids) \
        if _present(goal) else ""
    if status == "scheduled":
        return f"{cls}: {now}; Euro VI adopted for {when}"
    if status == "pledged":
        return f"{cls}: {now}; Euro VI pledged for {when}, not yet adopted"
    deadline = s.year(f"{row['vehicle_class']}_deadline", row["deadline_year"], "deadline of the Euro VI goal")
    later = f" (planned only for {when})" if when else ""
    return f"{cls}: {now}; no Euro VI step adopted or pledged by {deadline}{later}"


def country_euro_message(euro: pd.DataFrame, iso3: str) -> KeyMessage:
    """One country's Euro VI position for heavy- and light-duty vehicles."""
    rows = euro[euro["country_iso3"] == iso3]
    s = _Sentence()
    if rows.empty:
        return s.done("euro", "No Euro VI status: the country is not covered.", country=iso3, area="standards")
    name = rows["country_name"].iloc[0]
    clauses = [_euro_clause(s, r, CLASS_WORDS.get(r["vehicle_class"], r["vehicle_class"]))
               for r in rows.sort_values("vehicle_class", key=lambda c: c.map({"heavy_duty": 0}).fillna(1))
               .to_dict("records")]
    text = f"{name}, vehicle emission standards: {'; '.join(clauses)}."
    return s.done("euro", text[0].upper() + text[1:], country=iso3, area="standards")


# ---------------------------------------------------------------- EV sales share and pace
