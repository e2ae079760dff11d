"""The briefing deck (python-pptx): title, regional key messages, scorecard, EV share against the ambition, Euro VI,
one slide per country, activities and sources. Every slide names its sources in its footer ([n] references) and
in its notes (each number with what it is, its year and its sources); the Sources slides give the references.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
from pptx.util import Inches, Pt

from ctatracker.charts import activities as ac
from ctatracker.charts import overview as oc
from ctatracker.charts.progress import mode_label
from ctatracker.charts.style import STAGE_COLOURS, STAGE_LABELS, STAGE_ORDER, STATUS_COLOURS
from ctatracker.gaps import STATUS_LABELS, ProgressStatus
from ctatracker.key_messages import SCOPE_WORDS, KeyMessage, number
from pipelines.briefing import BOTTOM, INNER, LEFT, TOP, PackData
from pipelines.deck_layout import DARK, GREY, NAVY, Deck, _text

UNITS = {"percent": "%", "mt_co2": " Mt", "mt_co2e": " Mt", "vehicles": "", "charging_points": "",
         "charging_stations": "", "euro_level": ""}
ONGOING = ("implementation", "pipeline")


# ---------------------------------------------------------------- slides


def _lines(messages: Sequence[KeyMessage], chars: int) -> float:
    return sum(math.ceil(len(m.text) / chars) + 0.4 for m in messages)


def _pages(messages: Sequence[KeyMessage], chars: int, lines: float) -> list[list[KeyMessage]]:
    """Messages split over as few slides as keep each from overflowing, in balanced portions."""
    n = max(1, math.ceil(_lines(messages, chars) / lines))
    while True:
        target = _lines(messages, chars) / n
        pages: list[list[KeyMessage]] = [[]]
        for m in messages:
            if pages[-1] and _lines([*pages[-1], m], chars) > target + 1.5 and len(pages) < n:
                pages.append([])
            pages[-1].append(m)
        if all(_lines(p, chars) <= lines for p in pages):
            return pages
        n += 1


def _message_ids(messages: Sequence[KeyMessage]) -> list[str]:
    return sorted({s for m in messages for s in m.source_ids})


def title_slide(deck: Deck) -> None:
    d = deck.data
    slide = deck.slide(d.event.name, [], ["Title slide: no figures.",
                                          f"Assessment date: {d.as_of:%d %b %Y}; data as of the last change recorded "
                                          "in the tracker's audit log."])
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.8), Inches(1.5), Inches(11.7), Inches(1.3)
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
    data_date = f"{d.data_as_of:%d %B %Y}" if d.data_as_of is not None else "not recorded"
    countries = ("all covered countries" if len(d.selected) == len(d.countries)
                 else ", ".join(d.name(c) for c in d.selected))
    _text(slide, (0.8, 2.9, 11.7, 0.6), [(d.event.line(), {"size": 22, "colour": DARK})])
    _text(slide, (0.8, 3.9, 11.7, 2.6), [
        ("Clean Transport Asia Tracker: briefing pack", {"size": 20, "bold": True, "colour": NAVY}),
        (f"Data as of {data_date}; progress assessed on {d.as_of:%d %B %Y}", {"size": 16}),
        (f"Country slides: {countries}", {"size": 14, "colour": GREY}),
        (f"Action areas: {d.area_names() or 'none selected'}", {"size": 14, "colour": GREY}),
        ("Drafted automatically from the tracker's live data: every number comes with its source and year in the "
         "slide notes. Where data is missing the slides say so.", {"size": 12, "colour": GREY}),
    ])


def messages_slides(deck: Deck, title: str, messages: Sequence[KeyMessage]) -> None:
    for i, page in enumerate(_pages(messages, 118, 20.5)):
        name = title if i == 0 else f"{title} (continued)"
        slide = deck.slide(name, _message_ids(page), deck.data.figure_notes(page))
        _text(slide, (LEFT, TOP, INNER, BOTTOM - TOP), [(m.text, {"after": 10}) for m in page], size=15, bullets=True)


def scorecard_slide(deck: Deck) -> None:
    d = deck.data
    ids = sorted(set(d.commitments["source_id"]))
    notes = [f"Implementation stage of each country in each action area, as recorded by the secretariat with its "
             f"evidence ({len(d.commitments)} assessments). Grey cells: no data, no stage recorded."]
    notes += [f"{r['country_name']}, {r['action_area_name']}: {STAGE_LABELS[str(r['stage'])]}, as of "
              f"{pd.Timestamp(r['as_of']):%d %b %Y}; source {d.refs.ref([r['source_id']])}"
              for r in d.commitments.to_dict("records")]
    slide = deck.slide("Implementation stage by action area", ids, notes)
    deck.picture(slide, "scorecard", (LEFT, TOP, INNER, BOTTOM - TOP - 0.35))
    _text(slide, (LEFT, BOTTOM - 0.3, INNER, 0.35), ["Grey: no data, no stage recorded yet. Stages as recorded by "
                                                     "the secretariat with their evidence; dates and sources in the "
                                                     "notes."], size=11, colour=GREY)


def ev_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic.startswith(("ev_", "regional_share"))]
    target = d.gap[(d.gap["target_scope"] == "regional") & (d.gap["indicator_code"] == "ev_sales_share")]
    if target.empty:
        return
    value, scope = number(target["target_value"].iloc[0]), SCOPE_WORDS.get(str(target["mode"].iloc[0]), "")
    ids = sorted(set(_message_ids(msgs)) | set(d.ev_obs["source_id"]))
    notes = [f"Chart: EV share of new {scope} sales, every recorded value, one line per country; the star is the "
             "regional ambition. Only the ambition's own scope is shown: car-only and other scopes are never mixed "
             "in.", ""]
    notes += [f"{r['country_name']} {r['year']}: {number(r['value'])}%; source {d.refs.ref([r['source_id']])}"
              for r in d.ev_obs.to_dict("records")] + ["", *d.figure_notes(msgs)]
    slide = deck.slide(f"EV share of {scope} sales against the {value}% ambition", ids, notes)
    drawn = deck.picture(slide, "ev_share", (LEFT, TOP, 7.9, BOTTOM - TOP))
    paras: list[str | tuple[str, dict]] = [
        (f"Scope: {mode_label(target['mode'].iloc[0])}, the scope of the regional ambition. Car-only and other "
         "figures are not used in its place.", {"size": 12, "colour": GREY, "plain": True, "after": 8})]
    if not drawn:
        paras.append((f"No country has an EV share of {scope} sales recorded.", {"plain": True}))
    paras += [(m.text, {"size": 13, "after": 8}) for m in msgs]
    _text(slide, (8.6 if drawn else LEFT, TOP, 4.2 if drawn else INNER, BOTTOM - TOP), paras, bullets=True)


def euro_slide(deck: Deck) -> None:
    d = deck.data
    msgs = [m for m in d.regional if m.topic.startswith("euro_")]
    notes = ["Chart: each recorded standard step (Euro-equivalent level) by the year it applies to new vehicles; "
             "filled: in force, open circle: adopted for a future date, open diamond: pledged only.", ""]
    notes += [f"{r['country_name']}, {r['vehicle_class'].replace('_', ' ')}: Euro {r['euro_level']} "
              f"({r['status']}) from {r['effective_year']}; source {d.refs.ref([r['source_id']])}"
              for r in d.standards.to_dict("records")] + ["", *d.figure_notes(msgs)]
    ids = sorted(set(_message_ids(msgs)) | set(d.standards["source_id"]))
    slide = deck.slide("Euro VI vehicle emission standards by 2030", ids, notes)
    drawn = deck.picture(slide, "euro_timeline", (LEFT, TOP, INNER, BOTTOM - TOP - 0.4))
    missing = sorted(set(d.countries["name"]) - set(d.standards["country_name"]))
    note = f"No standard recorded: {', '.join(missing)}. " if missing else ""
    if drawn:
        _text(slide, (LEFT, BOTTOM - 0.35, INNER, 0.4), [note + "The counts are on the key messages slide; steps "
                                                         "and sources in the notes."], size=11, colour=GREY)
    else:
        _text(slide, (LEFT, TOP, INNER, BOTTOM - TOP), [(m.text, {"after": 8}) for m in msgs] + [note],
              size=15, bullets=True)


def _target_label(row: dict, names: dict[str, str]) -> str:
    scope = "" if row["mode"] == "not_applicable" else f", {mode_label(row['mode'])}"
    return f"{names.get(row['indicator_code'], row['indicator_code'])}{scope} ({row['target_scope']})"


def _value(value: Any, unit: Any) -> str:
    return f"{number(value)}{UNITS.get(str(unit), '')}"


def country_slide(deck: Deck, iso: str, indicator_names: dict[str, str]) -> None:
    d = deck.data
    name = d.name(iso)
    stages = d.commitments[d.commitments["country_iso3"] == iso].set_index("action_area_code")
    gap = d.gap[(d.gap["country_iso3"] == iso) & d.gap["action_area_code"].isin(d.areas["code"])]
    gap = gap.assign(_order=gap["status"].map(lambda s: 2 if s == "insufficient_data" else 0)
                     + gap["latest_value"].isna().astype(int)).sort_values(["_order", "target_scope", "target_id"])
    acts = d.activities[d.activities["country_iso3"] == iso]
    status = acts["status"].map(ac.status_label)
    needs = d.needs[(d.needs["country_iso3"] == iso) & d.needs["action_area_code"].isin(d.areas["code"])]
    msgs = d.by_country[iso]
    ids = sorted(set(stages["source_id"]) | set(_message_ids(msgs)) | set(acts["source_id"])
                 | {i.strip() for v in gap["source_ids"] for i in str(v).split(";") if i.strip()}
                 | set(needs["source_id"].dropna()))
    notes = [*d.figure_notes(msgs), "", "Implementation stage:"]
    notes += [f"  {r['action_area_name']}: {STAGE_LABELS[str(r['stage'])]}, as of {pd.Timestamp(r['as_of']):%d %b %Y}; "
              f"source {d.refs.ref([r['source_id']])}" for r in stages.reset_index().to_dict("records")]
    notes += ["", "Targets and gaps (gap table):"] + [
        f"  {_target_label(r, indicator_names)}: {r['explanation']} "
        f"Sources {d.refs.ref(str(r['source_ids']).split('; '))}" for r in gap.to_dict("records")]
    notes += ["", "Activities:"] + [f"  {r['title']} ({ac.status_label(r['status'])}); source "
                                    f"{d.refs.ref([r['source_id']])}" for r in acts.to_dict("records")]
    slide = deck.slide(f"{name}: where it stands", ids, notes)
    # left: stage per action area, support under way, needs
    rows, fills = [], {}
    for i, area in enumerate(d.areas.to_dict("records")):
        if area["code"] in stages.index:
            st = stages.loc[area["code"]]
            rows.append([area["name"], STAGE_LABELS[str(st["stage"])], f"{pd.Timestamp(st['as_of']):%b %Y}"])
            fills[(i, 1)] = STAGE_COLOURS[STAGE_ORDER.index(str(st["stage"]))]
        else:
            rows.append([area["name"], "no data", "–"])
            fills[(i, 1)] = oc.NO_DATA_COLOUR
    _text(slide, (LEFT, TOP - 0.05, 5.9, 0.35), [("Implementation stage", {"bold": True, "colour": NAVY})], size=13)
    deck.table(slide, ["Action area", "Stage", "As of"], rows, (LEFT, TOP + 0.3, 5.9), [3.05, 1.85, 1.0], size=10,
               fills=fills)
    y = TOP + 0.3 + 0.3 * (len(rows) + 1) + 0.25
    ongoing = acts[status.isin(ONGOING)]
    lines: list[str | tuple[str, dict]] = [("Support under way", {"bold": True, "colour": NAVY, "plain": True})]
    lines += [(f"{textwrap.shorten(str(r['title']), 70, placeholder='…')} ({ac.status_label(r['status'])})",
               {"size": 11, "after": 2}) for r in ongoing.head(4).to_dict("records")]
    if ongoing.empty:
        lines.append(("No activity under way or in the pipeline is recorded.", {"size": 11, "plain": True}))
    elif len(ongoing) > 4:
        lines.append((f"and {len(ongoing) - 4} more (see the activities slide)", {"size": 11, "plain": True}))
    lines.append(("Needs", {"bold": True, "colour": NAVY, "plain": True}))
    lines += [(f"{r['action_area_name']}: {textwrap.shorten(str(r['need']), 110, placeholder='…')}",
               {"size": 11, "after": 2}) for r in needs.head(3).to_dict("records")]
    if needs.empty:
        lines.append(("None recorded: the country's focal point records needs in the tracker.",
                      {"size": 11, "plain": True}))
    _text(slide, (LEFT, y, 5.9, BOTTOM - y), lines, size=13, bullets=True)
    # right: targets and gaps, then the key messages
    shown = gap.head(5)
    trows, tfills = [], {}
    for i, r in enumerate(shown.to_dict("records")):
        latest = f"{_value(r['latest_value'], r['unit'])} ({int(r['latest_year'])})" if pd.notna(r["latest_value"]) \
            else "no data"
        goal = _value(r["target_value"], r["unit"]) if pd.notna(r["target_value"]) else "own base year"
        goal += f" by {int(r['target_year'])}" if pd.notna(r["target_year"]) else ""
        trows.append([_target_label(r, indicator_names), latest, goal, STATUS_LABELS[ProgressStatus(r["status"])]])
        tfills[(i, 3)] = STATUS_COLOURS[r["status"]]
    x = 6.75
    _text(slide, (x, TOP - 0.05, 6.1, 0.35), [("Targets and gaps", {"bold": True, "colour": NAVY})], size=13)
    if trows:
        deck.table(slide, ["Target", "Latest", "Target value", "Status"], trows, (x, TOP + 0.3, 6.1),
                   [2.35, 1.1, 1.15, 1.5], size=9, fills=tfills)
    more = f"{len(gap) - len(shown)} more targets, without data, in the gap table. " if len(gap) > len(shown) else ""
    y = TOP + 0.3 + (0.42 * (len(trows) + 1) if trows else 0) + 0.15
    paras: list[str | tuple[str, dict]] = [(more + ("" if trows else "No quantitative target recorded in these "
                                                    "action areas."), {"size": 10, "colour": GREY, "plain": True})]
    paras += [(m.text, {"size": 11, "after": 4}) for m in msgs if m.topic not in ("activities",)]
    _text(slide, (x, y, 6.1, BOTTOM - y), paras, size=11, bullets=True)


def _dates(row: dict) -> str:
    return ac._when(row) if pd.notna(row.get("start_year")) or pd.notna(row.get("start_date")) else "not recorded"


def activities_slides(deck: Deck) -> None:
    d = deck.data
    acts = d.activities
    status = acts["status"].map(ac.status_label)
    ongoing, others = acts[status.isin(ONGOING)], acts[~status.isin(ONGOING)]
    pages = [ongoing.iloc[i:i + 8] for i in range(0, len(ongoing), 8)] or [ongoing]
    for i, page in enumerate(pages):
        last = i == len(pages) - 1
        listed = [page, others] if last else [page]
        notes = [f"Activities with status implementation or pipeline, for the selected countries and regional ones "
                 f"({len(ongoing)} of {len(acts)} recorded)."] + [
            f"{r['title']}: {r['country_name']}, {r['action_area_name']}, {ac.status_label(r['status'])}, "
            f"{_dates(r)}; source {d.refs.ref([r['source_id']])}" for frame in listed for r in frame.to_dict("records")]
        title = "Cooperation activities under way and planned" + (" (continued)" if i else "")
        slide = deck.slide(title, sorted({s for frame in listed for s in frame["source_id"]}), notes)
        if page.empty:
            _text(slide, (LEFT, TOP, INNER, 1.0), ["No activity under way or in the pipeline is recorded for these "
                                                   "countries and action areas."], size=16)
        else:
            rows = [[r["country_name"], textwrap.shorten(str(r["title"]), 75, placeholder="…"), r["action_area_name"],
                     ac.status_label(r["status"]), _dates(r), textwrap.shorten("; ".join(
                         str(p) for p in (r["implementers"], r["funders"]) if isinstance(p, str)) or "not recorded",
                         60, placeholder="…")] for r in page.to_dict("records")]
            deck.table(slide, ["Country", "Activity", "Action area", "Status", "Dates", "Partners"], rows,
                       (LEFT, TOP, INNER), [1.3, 3.6, 1.9, 1.3, 1.4, 2.83], size=10,
                       fills={(j, 3): ac.ACTIVITY_STATUS_COLOURS[row[3]] for j, row in enumerate(rows)})
        if last and not others.empty:
            _text(slide, (LEFT, BOTTOM - 0.35, INNER, 0.35), [f"Also recorded: {len(others)} completed, closed or "
                                                              "without a stated status (listed in the notes)."],
                  size=11, colour=GREY)
    if "activities" in deck.planned:
        dated = ac.spans(acts, d.as_of)
        notes = ["Chart: activities with a start date, coloured by status; year-only dates drawn as whole years."]
        notes += [f"{r['title']}: {r['dating']}; source {d.refs.ref([r['source_id']])}"
                  for r in dated.to_dict("records")]
        slide = deck.slide("Cooperation activities over time", sorted(set(dated["source_id"])), notes)
        deck.picture(slide, "activities", (LEFT, TOP, INNER, BOTTOM - TOP))


def sources_slides(deck: Deck) -> None:
    entries = deck.data.refs.entries()
    pages: list[list[str]] = [[]]
    lines = 0.0
    for n, text in entries:
        need = math.ceil(len(text) / 185) + 0.15
        if pages[-1] and lines + need > 28:
            pages.append([])
            lines = 0.0
        pages[-1].append(f"[{n}] {text}")
        lines += need
    for i, page in enumerate(pages):
        title = "Sources" if len(pages) == 1 else f"Sources ({i + 1} of {len(pages)})"
        slide = deck.slide(title, [], ["The pack's references, numbered in order of first citation; the tracker's "
                                       "methodology page explains how each status is worked out.", *page])
        _text(slide, (LEFT, TOP - 0.1, INNER, BOTTOM - TOP + 0.1), page or ["No source is cited."], size=10)


def compose(data: PackData, planned: Sequence[str]) -> Deck:
    """Every slide of the deck, with places kept for the `planned` figures (see `figures`)."""
    deck = Deck(data, planned)
    indicator_names = {r["indicator_code"]: r["indicator_name"] for r in data.targets.to_dict("records")}
    title_slide(deck)
    messages_slides(deck, "Key messages: the region", data.regional)
    if "scorecard" in deck.planned:
        scorecard_slide(deck)
    if data.has_area("electric_vehicles"):
        ev_slide(deck)
    if data.has_area("standards"):
        euro_slide(deck)
    for iso in data.selected:
        country_slide(deck, iso, indicator_names)
    activities_slides(deck)
    sources_slides(deck)
    return deck
