"""A country's one-page story: stages, key figures with their status, chart inputs, latest figures per area.

`country_profile` reads through the query layer; the shaping functions below it are pure (DataFrames in, out).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ctatracker.analysis import derived
from ctatracker.analysis.euro import EURO_STATUS_LABELS, EuroStatus
from ctatracker.analysis.gap_tables import plain_values, select_series, set_aside_points
from ctatracker.config import settings
from ctatracker.findings.model import Co2Finding, Finding, Findings, Group
from ctatracker.findings.read import findings as read_findings
from ctatracker.model.enums import STAGE_LABELS
from ctatracker.store import queries
from ctatracker.store.queries import Cursor

SHARE = "ev_sales_share"
CHARGING = ("public_charging_points", "public_charging_stations", "charging_points_all")
EMISSIONS = ("transport_co2", "transport_ghg")
UNIT_WORDS = {"percent": "%", "vehicles": "vehicles", "charging_points": "charging points",
              "charging_stations": "charging stations", "mt_co2": "Mt CO₂", "mt_co2e": "Mt CO₂e",
              "euro_level": ""}
MODE_WORDS = {"all_vehicles": "all vehicles", "two_three_wheelers": "two/three-wheelers", "two_wheelers":
              "two-wheelers", "three_wheelers": "three-wheelers", "light_duty": "light duty",
              "heavy_duty": "heavy duty", "passenger_vehicles": "passenger vehicles", "not_applicable": ""}
CLASS_WORDS = {"light_duty": "light-duty vehicles", "heavy_duty": "heavy-duty vehicles"}
STAGE_WORDS = STAGE_LABELS
"""The stage labels every surface uses (one wording per stage)."""


NO_FIGURE = ("no data", "no figure")
"""What a key figure's value says when there is none."""


@dataclass(frozen=True)
class KeyFigure:
    """One key figure: what it answers, its value as shown ('no data' when none), its status and notes."""

    label: str
    value: str
    status: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """Everything the country page and the compare page show for one country."""

    iso3: str
    name: str
    subregion: str
    focal_institution: str | None
    updated: str
    stages: pd.DataFrame
    key_figures: tuple[KeyFigure, ...]
    share_series: pd.DataFrame
    derived: pd.DataFrame
    scenarios: pd.DataFrame
    targets: pd.DataFrame
    standards: pd.DataFrame
    latest: pd.DataFrame
    areas_with_content: tuple[str, ...]
    areas_without_data: tuple[str, ...]
    derived_source: str = ""
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    charging_series: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Public charging points as one series (one source family, newest edition, yearly figures)."""
    findings: tuple[Finding, ...] = ()
    """The country's findings on its targets other than the 30% question (see `findings.compose`)."""

    def sources_cited(self) -> pd.DataFrame:
        """Every source the profile's tables cite (publisher, year, title, url), once each, by publisher."""
        used = [f for f in self.frames.values() if not f.empty and "source_title" in f]
        if not used:
            return pd.DataFrame(columns=["source_publisher", "source_year", "source_title", "source_url"])
        cited = pd.concat(used)[["source_publisher", "source_year", "source_title", "source_url"]]
        return cited.drop_duplicates().sort_values(["source_publisher", "source_title"])


def mode_words(mode: object) -> str:
    """'two_three_wheelers' -> 'two/three-wheelers'; 'not_applicable' -> ''."""
    text = str(getattr(mode, "value", mode))
    return MODE_WORDS.get(text, text.replace("_", " "))


def number(value: float, unit: str) -> str:
    """A value with its unit as a reader expects it: '13%', '12,345 charging points', '4.5 Mt CO₂'."""
    words = UNIT_WORDS.get(unit, unit.replace("_", " "))
    counted = unit in ("vehicles", "charging_points", "charging_stations")
    digits = f"{value:,.0f}" if counted or abs(value) >= 100 else f"{value:.1f}" if abs(value) >= 1 else f"{value:.2g}"
    return f"{digits}%" if words == "%" else f"{digits} {words}".strip()


def cite(row: dict | pd.Series) -> str:
    """'IEA (2025)' from a row with source_publisher and source_year."""
    year = row.get("source_year")
    return f"{row.get('source_publisher') or 'unknown publisher'} ({int(year) if pd.notna(year) else 'undated'})"


def updated_text(update: dict) -> str:
    """'Last updated' in words, saying what the date is: a change in the tracker, else the newest source."""
    if update.get("changed") is not None:
        return f"{update['changed']:%d %b %Y} (latest change to this country's figures in the tracker)"
    if update.get("accessed") is not None:
        return (f"no change since the tracker was built; its newest source was read on "
                f"{update['accessed']:%d %b %Y}")
    if update.get("source_year") is not None:
        return f"no change since the tracker was built; its newest source was published in {update['source_year']}"
    return "not recorded"


def stage_strip(areas: pd.DataFrame, commitments: pd.DataFrame, *, this_year: int | None = None,
                stale_after_years: int = 3) -> pd.DataFrame:
    """One row per action area: number, name, stage code ('' without one), the stage in words, the year it was
    assessed and whether that is stale (more than `stale_after_years` before `this_year`): a stale stage says
    so in its label ('In policy (assessed 2021, stale)')."""
    year = this_year or dt.date.today().year
    recs = {r["action_area_code"]: r for r in commitments.to_dict("records")}
    rows = []
    for a in areas.to_dict("records"):
        rec = recs.get(a["code"], {})
        stage = str(rec.get("stage", "")) if rec else ""
        as_of = pd.Timestamp(rec["as_of"]).year if rec and pd.notna(rec.get("as_of")) else None
        stale = as_of is not None and as_of < year - stale_after_years
        label = STAGE_WORDS.get(stage, "No data") + (f" (assessed {as_of}, stale)" if stale else "")
        rows.append({"code": a["code"], "number": int(a["number"]), "area": a["name"], "stage": stage,
                     "stage_label": label, "assessed": as_of, "stale": stale})
    return pd.DataFrame(rows, columns=["code", "number", "area", "stage", "stage_label", "assessed", "stale"])


def latest_figures(observations: pd.DataFrame, series: pd.DataFrame | None = None) -> pd.DataFrame:
    """One latest value per indicator and vehicle scope (from the series a chart draws: yearly figures, one
    source family, newest edition), the other sources' latest figures listed beside it in words. `series`:
    `select_series(observations)` when the caller has it already."""
    columns = ["indicator_code", "mode", "indicator", "scope", "value", "year", "source", "other_sources",
               "source_title", "source_publisher", "source_year", "source_url"]
    if observations.empty:
        return pd.DataFrame(columns=columns)
    obs = plain_values(observations)
    key = ["indicator_code", "mode"]
    series = select_series(obs) if series is None else series
    keys = obs[key].drop_duplicates()  # in the order they first appear
    has_series = pd.MultiIndex.from_frame(obs[key]).isin(pd.MultiIndex.from_frame(series[key]))
    fallback = obs[~has_series].assign(source_year=obs.loc[~has_series, "source_year"].fillna(0))
    best = (pd.concat([series.assign(_yearly=True), fallback.assign(_yearly=False)], ignore_index=True)
            .sort_values([*key, "year", "source_year"], kind="mergesort").drop_duplicates(key, keep="last")
            .set_index(key))
    aside_rows = set_aside_points(obs)
    aside = dict(zip(zip(aside_rows["indicator_code"], aside_rows["mode"], aside_rows["year"],
                         aside_rows["source_id"], strict=True), aside_rows["flag"], strict=True))
    best_source = obs[key].merge(best["source_id"].rename("_best").reset_index(), on=key, how="left")["_best"]
    theirs = (obs[obs["source_id"].to_numpy() != best_source.to_numpy()].sort_values("year", kind="mergesort")
              .drop_duplicates([*key, "source_id"], keep="last"))
    others: dict[tuple, list[tuple[int, str]]] = {}
    for last in theirs.to_dict("records"):
        code, mode, year = last["indicator_code"], last["mode"], int(last["year"])
        flag = aside.get((code, mode, year, last["source_id"]), "")
        others.setdefault((code, mode), []).append(
            (year, f"{number(last['value'], last['unit'])} in {year}{', ' + flag if flag else ''} ({cite(last)})"))
    rows = []
    for code, mode in zip(keys["indicator_code"], keys["mode"], strict=True):
        row = best.loc[(code, mode)]
        value = number(row["value"], row["unit"])
        if not row["_yearly"]:  # no yearly figure: the latest figure is shown with what it covers, never as a year's
            flag = aside.get((code, mode, row["year"], row["source_id"]), "")
            value += f" ({flag})" if flag else ""
        rows.append({"indicator_code": code, "mode": mode, "indicator": row["indicator_name"],
                     "scope": mode_words(mode).capitalize(), "value": value,
                     "year": int(row["year"]), "source": cite(row),
                     "other_sources": "; ".join(t for _y, t in sorted(others.get((code, mode), []), reverse=True)),
                     **{c: row.get(c) for c in columns[-4:]}})
    return pd.DataFrame(rows, columns=columns)


def _latest_of(latest: pd.DataFrame, codes: tuple[str, ...]) -> pd.Series | None:
    for code in codes:
        hit = latest[latest["indicator_code"] == code]
        if not hit.empty:
            return hit.iloc[0]
    return None


def ev30_figure(finding: Finding | None) -> KeyFigure:
    """The 30% question for one country, as its finding says it: the figure, its status, its basis, its pace,
    the scenario only on the same vehicle types, caveats and indicative evidence."""
    label = "EV share of new vehicle sales, against 30% by 2030"
    if finding is None:
        return KeyFigure(label, "no figure", "No figure", ("No regional EV sales target is recorded.",))
    if finding.basis.has_figure:
        notes = [f"Basis: {finding.basis.words}.", *(x for x in (finding.pace, finding.scenario) if x),
                 *finding.caveats]
        return KeyFigure(label, finding.figure, finding.status_label, tuple(notes))
    if finding.evidence:
        return KeyFigure(label, finding.evidence[0].text, "Indicative evidence only",
                         ("Indicative evidence: " + "; ".join(e.text for e in finding.evidence) + ".",
                          "No yearly figure of all vehicle sales to assess against 30%."))
    return KeyFigure(label, "no figure", "No figure", ("No EV sales share of any kind is recorded.",))


def euro_figures(euro: pd.DataFrame) -> list[KeyFigure]:
    """Euro level for light and heavy duty against Euro VI by 2030."""
    out = []
    for vc, words in CLASS_WORDS.items():
        hit = euro[euro["vehicle_class"].map(str) == vc]
        row = hit.iloc[0] if not hit.empty else None
        status = EURO_STATUS_LABELS[EuroStatus(str(row["status"]))] if row is not None else "No data"
        level = (f"Euro {int(row['current_level'])} since {int(row['current_since'])}"
                 if row is not None and pd.notna(row["current_level"]) else "no data")
        note = (str(row["explanation"]),) if row is not None else ("No emission standard recorded.",)
        out.append(KeyFigure(f"Emission standard, {words}, against Euro VI by 2030", level, status, note))
    return out


def simple_figure(label: str, row: pd.Series | None) -> KeyFigure:
    """A figure without a target: latest value, year and source; 'no data' when none is recorded."""
    if row is None:
        return KeyFigure(label, "no data", "No data", ())
    scope = f" ({row['scope'].lower()})" if row["scope"] else ""
    return KeyFigure(label, f"{row['value']} in {row['year']}", f"Source: {row['source']}",
                     (f"{row['indicator']}{scope}.",))


def key_figures(ev30: Finding | None, euro: pd.DataFrame, latest: pd.DataFrame,
                co2: Co2Finding | None = None) -> tuple[KeyFigure, ...]:
    """EV share against 30%, Euro level (light, heavy), charging, CO2 emissions (against 2019, as its finding
    says it: figure, where it stands, change, direction, pace, sources and credit line)."""
    emissions = (KeyFigure("Transport CO₂ emissions, against the 2019 level", co2.figure, co2.status_label, co2.notes)
                 if co2 is not None else simple_figure("Transport CO₂ emissions", _latest_of(latest, EMISSIONS)))
    return (ev30_figure(ev30), *euro_figures(euro),
            simple_figure("Public EV charging", _latest_of(latest, CHARGING)), emissions)


def area_content(areas: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(codes of areas with something recorded for the country, names of areas with nothing recorded): a regional
    target the country has no figure for is not content."""
    used: set[str] = set()
    for frame in frames.values():
        if "area" in frame and not frame.empty:
            used |= set(frame["area"].dropna().map(str))
    have = tuple(c for c in areas["code"] if c in used)
    return have, tuple(n for c, n in zip(areas["code"], areas["name"], strict=True) if c not in used)


@dataclass(frozen=True)
class _Shared:
    """The tables every country's profile reads a part of, computed once."""

    countries: pd.DataFrame
    areas: pd.DataFrame
    indicators: pd.DataFrame
    gap: pd.DataFrame
    ev30: pd.DataFrame
    euro: pd.DataFrame
    derived: pd.DataFrame
    findings: Findings


def _shared(cur: Cursor, as_of: dt.date | None) -> _Shared:
    with derived.scope():  # each derived table computed once for all of them
        return _shared_tables(cur, as_of)


def _shared_tables(cur: Cursor, as_of: dt.date | None) -> _Shared:
    gap = derived.gap_table(cur, as_of)
    ev30 = derived.ev30_table(cur, as_of)  # an empty 30% table when no regional target is recorded
    return _Shared(queries.countries(cur).set_index("iso3"), queries.action_areas(cur),
                   queries.indicators(cur).set_index("code"), gap, ev30, derived.euro_table(cur, as_of),
                   derived.derived_ev_share(cur), read_findings(cur, as_of))


def _read(cur: Cursor, country: str) -> dict[str, pd.DataFrame | dict]:
    """Everything one country's profile reads from the database, read at once."""
    return {
        "observations": queries.observations(cur, countries=[country]),
        "commitments": queries.commitments(cur, country=country),
        "standards": queries.emission_standards(cur, countries=[country]),
        "memberships": queries.memberships(cur, country=country),
        "policies": queries.policies(cur, country=country),
        "activities": queries.activities(cur, countries=[country], include_regional=False),
        "needs": queries.needs(cur, countries=[country]),
        "targets": queries.targets(cur, country=country),
        "scenarios": queries.scenario_values(cur, indicator_code=SHARE, countries=[country]),
        "update": queries.country_update(cur, country),
    }


def compose_profile(country: str, read: dict[str, pd.DataFrame | dict], sh: _Shared) -> Profile:
    """One country's profile from what `_read` read and the tables every profile shares (pure: no I/O)."""
    info, area_of = sh.countries.loc[country], sh.indicators["action_area_code"]
    obs = read["observations"]
    obs["area"] = obs["indicator_code"].map(area_of)
    series = select_series(obs)  # one selection per series key: the share series is a part of it
    latest = latest_figures(obs, series)
    latest["area"] = latest["indicator_code"].map(area_of)
    euro = sh.euro[sh.euro["country_iso3"] == country]
    gap = sh.gap[sh.gap["country_iso3"] == country]
    gap = gap.assign(area=gap["indicator_code"].map(area_of))
    commitments, standards = read["commitments"], read["standards"]

    def by_area(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(area=frame["action_area_code"])

    frames = {
        "memberships": read["memberships"], "commitments": by_area(commitments),
        "policies": by_area(read["policies"]), "observations": obs, "latest": latest,
        "gaps": gap, "standards": standards.assign(area="standards"),
        "activities": by_area(read["activities"]), "needs": by_area(read["needs"]), "targets": read["targets"],
    }
    targets = frames["targets"]
    content = {**frames, "gaps": gap[(gap["target_scope"] == "national") | gap["latest_value"].notna()],
               "targets": by_area(targets[targets["country_iso3"] == country])}
    have, empty = area_content(sh.areas, {k: v for k, v in content.items() if k != "memberships"})
    shares = obs[obs["indicator_code"] == SHARE]
    focal = info["focal_institution"]
    own_derived = sh.derived[sh.derived["country_iso3"] == country].reset_index(drop=True)
    cited = obs[obs["source_id"].isin(set(own_derived["source_id"]))].drop_duplicates("source_id")
    return Profile(
        iso3=country, name=str(info["name"]), subregion=str(info["subregion"]),
        focal_institution=focal if isinstance(focal, str) and focal else None,
        updated=updated_text(read["update"]),
        stages=stage_strip(sh.areas, commitments, stale_after_years=settings().stale_after_years),
        key_figures=key_figures(sh.findings.ev30_of(country), euro, latest, sh.findings.co2_of(country)),
        findings=tuple(f for f in sh.findings.targets if f.country_iso3 == country),
        share_series=(series[series["indicator_code"] == SHARE].reset_index(drop=True) if not shares.empty
                      else shares),
        derived=own_derived, derived_source=" and ".join(cite(r) for r in cited.to_dict("records")),
        scenarios=plain_values(read["scenarios"]), targets=targets[targets["indicator_code"] == SHARE],
        charging_series=series[series["indicator_code"] == "public_charging_points"].reset_index(drop=True),
        standards=standards, latest=latest, areas_with_content=have, areas_without_data=empty, frames=frames)


def _profile(cur: Cursor, country: str, sh: _Shared, as_of: dt.date | None) -> Profile:
    """One country's profile: read, then composed; kept once per data version for every session."""
    if country not in sh.countries.index:
        raise KeyError(f"unknown country {country!r}")
    return derived.shared(("profile", country, as_of or dt.date.today()),
                          lambda: compose_profile(country, _read(cur, country), sh))


def country_profile(cur: Cursor, country: str, as_of: dt.date | None = None) -> Profile:
    """The profile of one country (ISO3), read through the query layer; KeyError for an unknown country."""
    return _profile(cur, country, _shared(cur, as_of), as_of)


def country_profiles(cur: Cursor, countries: list[str], as_of: dt.date | None = None) -> list[Profile]:
    """The profiles of several countries (unknown codes left out), in the order given."""
    sh = _shared(cur, as_of)
    return [_profile(cur, c, sh, as_of) for c in countries if c in sh.countries.index]


def all_countries(cur: Cursor, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every country with its stage per action area and its 30% status: the table of countries."""
    areas = queries.action_areas(cur)
    commitments = queries.commitments(cur)
    found = _shared(cur, as_of).findings
    rows = []
    for c in queries.countries(cur).to_dict("records"):
        strip = stage_strip(areas, commitments[commitments["country_iso3"] == c["iso3"]])
        mine = found.ev30_of(c["iso3"])
        status = mine.status_label if mine is not None and mine.group is not Group.INDICATIVE else (
            "Indicative evidence only" if mine is not None else "No figure")
        rows.append({"iso3": c["iso3"], "country": c["name"], "subregion": c["subregion"], "ev30": status,
                     **{f"stage_{r['number']}": r["stage"] for r in strip.to_dict("records")}})
    return pd.DataFrame(rows)
