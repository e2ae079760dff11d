"""Briefing packs for the EST Forum, the COP and the ALP Forum: a PowerPoint deck and a Word brief drafted from the
live data in seconds, every number with its source and year.

`build_pack` gathers the data (query layer and gap analysis), writes the key messages (`key_messages`), draws
the figures with the same Plotly builders as the dashboard, exports them as PNG through one kaleido server per pack
(kept running in the app), then writes the deck (`deck`) and the brief (`note`).
Command line: `python -m pipelines briefing --event cop32 --countries LKA --out x.pptx` (`pipelines.briefing_cli`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ctatracker.analysis import derived, gap_tables
from ctatracker.briefing import figure_check, key_messages
from ctatracker.briefing.content import (
    BOTTOM,
    CHART_W,
    EURO_PX,
    INNER,
    PX,
    TOP,
    Event,
    PackData,
    PackRefused,
    ProgressFn,
    SourceIndex,
)
from ctatracker.briefing.events import Meeting
from ctatracker.briefing.figure_export import Exporter, browser_missing
from ctatracker.briefing.key_messages import KeyMessage
from ctatracker.findings.read import findings as read_findings
from ctatracker.store import queries
from ctatracker.store.queries import Cursor


def _ids(frame: pd.DataFrame, column: str = "source_id") -> list[str]:
    return sorted({i.strip() for v in frame[column].dropna() for i in str(v).split(";") if i.strip()}) \
        if column in frame else []


def gather(cur: Cursor, event: Event, countries: Sequence[str] | None, action_areas: Sequence[str] | None,
           as_of: dt.date | None = None) -> PackData:
    """Read and analyse everything the pack needs; unknown country or area codes raise ValueError."""
    as_of = as_of or dt.date.today()
    all_countries = queries.countries(cur)
    areas = queries.action_areas(cur)
    unknown = sorted(set(countries or []) - set(all_countries["iso3"]))
    unknown += sorted(set(action_areas or []) - set(areas["code"]))
    if unknown:
        raise ValueError(f"unknown country or action area code(s): {', '.join(unknown)}")
    selected = [c for c in all_countries["iso3"] if not countries or c in countries]
    if action_areas:
        areas = areas[areas["code"].isin(action_areas)].reset_index(drop=True)
    gap = derived.gap_table(cur, as_of)
    euro = derived.euro_table(cur, as_of)
    rollup = gap_tables.rollup(gap)
    share = derived.latest_regional_share(cur)
    targets, indicators = queries.targets(cur), queries.indicators(cur)
    codes = list(areas["code"])
    regional_acts = queries.activities(cur)
    regional_acts = regional_acts[regional_acts["action_area_code"].isna()
                                  | regional_acts["action_area_code"].isin(codes)]
    acts = regional_acts[regional_acts["country_iso3"].isna() | regional_acts["country_iso3"].isin(selected)]
    acts = acts.reset_index(drop=True)
    names = dict(zip(all_countries["iso3"], all_countries["name"], strict=True))
    found = read_findings(cur, as_of)
    regional = key_messages.regional_messages(gap, euro, rollup, share, regional_acts, found=found, targets=targets,
                                              indicators=indicators, areas=codes, names=names)
    by_country = {iso: key_messages.country_messages(gap, euro, acts, iso, found=found, areas=codes,
                                                     indicators=indicators) for iso in selected}
    commitments = queries.commitments(cur)
    ev30 = derived.ev30_table(cur, as_of)  # the 30% table and the matching the findings were made from
    support = derived.matching_table(cur, as_of)
    return PackData(
        event=event, as_of=as_of, data_as_of=queries.last_update(cur), countries=all_countries, selected=selected,
        areas=areas, gap=gap.assign(action_area_code=gap["indicator_code"].map(
            dict(zip(indicators["code"], indicators["action_area_code"], strict=True)))),
        euro=euro, share=share, targets=targets,
        commitments=commitments[commitments["action_area_code"].isin(codes)],
        standards=queries.emission_standards(cur),
        ev_obs=queries.observations(cur, indicator_code="ev_sales_share", mode="all_vehicles"),
        activities=acts, needs=queries.needs(cur, countries=selected), regional=regional, by_country=by_country,
        refs=SourceIndex(queries.sources(cur)), ev30=ev30, matching=support, findings=found,
    )


def figures(data: PackData) -> dict[str, tuple[Any, int, int]]:
    """The pack's Plotly figures, from the dashboard's own builders, with their export size in layout pixels; every
    category axis labelled in full (`figure_check`)."""
    from ctatracker.briefing.figure_check import label_every_category, plot_height
    from ctatracker.charts import activities as ac
    from ctatracker.charts import gaps as gc
    from ctatracker.charts import overview as oc
    from ctatracker.charts.ev30 import ev30_chart

    out: dict[str, tuple[Any, int, int]] = {}
    height = BOTTOM - TOP
    if not data.areas.empty:
        fig = oc.scorecard(data.commitments, data.countries[["iso3", "name"]], data.areas)
        out["scorecard"] = (fig, int(INNER * PX), int((height - 0.35) * PX))
    if data.has_area("electric_vehicles") and not data.ev30.empty:
        out["ev30"] = (ev30_chart(data.ev30), int(CHART_W * PX), int(height * PX))
    standards = data.standards[data.standards["vehicle_class"].isin(["light_duty", "heavy_duty"])]
    if data.has_area("standards") and not standards.empty:
        fig = gc.euro_timeline(standards, as_of=data.as_of)
        w, h = int(CHART_W * EURO_PX), int(height * EURO_PX)
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.1, "yanchor": "top"},
                          margin={"l": 10, "r": 10, "t": 30, "b": 10})
        pitch = plot_height(fig, h - 70) / max(standards["country_name"].nunique(), 1)  # 70 px: axis title, legend
        size = int(max(8, min(20, 0.44 * pitch)))  # two classes side by side in a row, never touching
        fig.update_traces(marker_size=size, textfont_size=max(8, int(size * 0.65)))
        out["euro_timeline"] = (fig, w, h)
    if not ac.spans(data.activities, data.as_of).empty:
        out["activities"] = (ac.timeline(data.activities, data.as_of), int(CHART_W * PX), int(height * PX))
    for fig, _w, _h in out.values():
        label_every_category(fig)
    return out


@dataclass(frozen=True)
class PackResult:
    """What build_pack wrote."""

    pptx: Path
    docx: Path
    slide_titles: list[str]
    messages: list[KeyMessage]
    seconds: dict[str, float]
    figure_problems: list[str] = field(default_factory=list)
    """What the checks before export found (unlabelled categories, crowded rows, overlapping markers)."""


def build_pack(con: Cursor, *, countries: Sequence[str] | None, action_areas: Sequence[str] | None,
               out_pptx: Path | str, out_docx: Path | str, event: Meeting | None = None,
               event_name: str | None = None, event_date: dt.date | str | None = None,
               progress: ProgressFn | None = None, event_end: dt.date | str | None = None,
               event_place: str | None = None, as_of: dt.date | None = None,
               keep_export_server: bool = False, template: Path | str | bytes | None = None) -> PackResult:
    """Write the briefing deck (.pptx) and brief (.docx) for an event, for the chosen countries (one slide each;
    None or empty: all) and action areas (None or empty: all). Regional slides always cover every country.
    The event is `event`, or one given by name, first day, last day and place. `template` is a PowerPoint file
    (path or bytes) whose slide masters the deck uses. `progress(fraction, text)` is called at every step.
    `keep_export_server` leaves the figure export server running for the next pack (the app); otherwise it stops
    with this one. A template that is not a PowerPoint file raises ValueError before anything is written."""
    from ctatracker.briefing import deck, note

    report = progress or (lambda _f, _t: None)
    missing = browser_missing()
    if missing:
        raise PackRefused(missing)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if event is None and event_name is None:  # the next upcoming recorded event
        from ctatracker.briefing import events

        row = events.default_event(queries.events(con), as_of or dt.date.today())
        event = events.meeting(row) if row else Meeting("Briefing")
    if event is None:
        day = dt.date.fromisoformat(event_date) if isinstance(event_date, str) else event_date
        end = dt.date.fromisoformat(event_end) if isinstance(event_end, str) else event_end
        event = Meeting((event_name or "").strip() or "Briefing", day, end, event_place, day.year if day else None)
    with Exporter(keep=keep_export_server) as exporter:  # the browser starts while the data is read
        report(0.02, "Reading the data and the gap analysis")
        data = gather(con, event, countries, action_areas, as_of)
        seconds["data"] = time.perf_counter() - started
        drawn = figures(data)
        checks = [p for key, (fig, _w, h) in drawn.items() for p in figure_check.problems(fig, h, key)]
        failed: list[BaseException] = []

        def draw() -> None:
            try:
                for key, (fig, width, height) in drawn.items():
                    data.images[key] = exporter.png(fig, width, height)
            except BaseException as exc:  # re-raised in the calling thread
                failed.append(exc)

        worker = threading.Thread(target=draw, name="briefing-figures", daemon=True)
        worker.start()
        report(0.1, "Writing the slides")
        slides = deck.compose(data, list(drawn), template)
        report(0.3, "Writing the brief")
        note.write_brief(data, Path(out_docx))
        while worker.is_alive():
            worker.join(0.2)
            report(0.4 + 0.45 * len(data.images) / max(len(drawn), 1),
                   f"Drawing the figures ({len(data.images)} of {len(drawn)})")
        if failed:
            raise failed[0]
        seconds["text_and_figures"] = time.perf_counter() - started - seconds["data"]
    report(0.9, "Saving the deck")
    titles = slides.finish(Path(out_pptx))
    seconds["total"] = time.perf_counter() - started
    report(1.0, f"Done in {seconds['total']:.1f} s")
    messages = data.regional + [m for iso in data.selected for m in data.by_country[iso]]
    return PackResult(Path(out_pptx), Path(out_docx), titles, messages, seconds, checks)
