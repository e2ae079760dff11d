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

import pandas as pd

from ctatracker.analysis import derived, gap_tables
from ctatracker.briefing import figure_check, key_messages
from ctatracker.briefing.content import Chart, Event, PackData, PackRefused, ProgressFn, SourceIndex, file_stem
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
    with derived.scope():  # every derived table computed once for the whole pack
        return _gather(cur, event, countries, action_areas, as_of)


def _gather(cur: Cursor, event: Event, countries: Sequence[str] | None, action_areas: Sequence[str] | None,
            as_of: dt.date | None) -> PackData:
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
    chosen = [c for c in all_countries["iso3"] if c in (countries or [])]
    focus = chosen[0] if len(chosen) == 1 else None
    profile = None
    if focus:
        from ctatracker.findings.profile import country_profile

        profile = country_profile(cur, focus, as_of)
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
        focus=focus, one_pagers=chosen if len(chosen) > 1 else [], profile=profile,
    )


def figures(data: PackData) -> dict[str, Chart]:
    """The pack's charts, drawn for the slides they go on (`briefing.figures`), every category axis labelled."""
    from ctatracker.briefing.figures import charts

    return charts(data)


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
    main_slides: int = 0
    """Slides before the appendix."""


def pack_stem(event: Meeting, countries: Sequence[str] | None, names: dict[str, str], day: dt.date) -> str:
    """The file name (without extension) of a pack: distinct per event, kind, country and day
    ('cta-briefing-cop32-sri-lanka-2026-12-06'); `names` maps ISO3 codes to country names."""
    chosen = [names.get(c, c) for c in (countries or [])]
    return file_stem(event.name, chosen[0] if len(chosen) == 1 else None, chosen, day)


class _Once:
    """Passes each progress step on once: a step repeated with the same words is dropped."""

    def __init__(self, report: ProgressFn | None) -> None:
        self.report = report or (lambda _f, _t: None)
        self.last: str | None = None

    def __call__(self, fraction: float, text: str) -> None:
        if text != self.last:
            self.last = text
            self.report(fraction, text)


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

    report = _Once(progress)
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
        checks = [p for key, c in drawn.items() for p in figure_check.problems(c.figure, c.pixels[1], key)]
        failed: list[BaseException] = []

        def draw() -> None:
            try:
                for key, chart in drawn.items():
                    data.images[key] = exporter.png(chart.figure, *chart.pixels)
            except BaseException as exc:  # re-raised in the calling thread
                failed.append(exc)

        worker = threading.Thread(target=draw, name="briefing-figures", daemon=True)
        worker.start()
        report(0.1, "Writing the slides")
        slides = deck.compose(data, drawn, template)
        while worker.is_alive():
            worker.join(0.2)
            report(0.3 + 0.5 * len(data.images) / max(len(drawn), 1),
                   f"Drawing the charts ({len(data.images)} of {len(drawn)})")
        if failed:
            raise failed[0]
        seconds["text_and_figures"] = time.perf_counter() - started - seconds["data"]
    report(0.85, "Writing the brief")
    note.write_brief(data, drawn, Path(out_docx))
    report(0.9, "Saving the deck")
    titles = slides.finish(Path(out_pptx))
    seconds["total"] = time.perf_counter() - started
    report(1.0, f"Done in {seconds['total']:.1f} s")
    messages = data.regional + [m for iso in data.selected for m in data.by_country[iso]]
    return PackResult(Path(out_pptx), Path(out_docx), titles, messages, seconds, checks, slides.main)
