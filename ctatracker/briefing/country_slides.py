"""Country slides, "what support exists" and the activities of the briefing deck."""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd

from ctatracker.analysis.gaps import STATUS_LABELS, ProgressStatus
from ctatracker.analysis.matching import is_under_way
from ctatracker.briefing.content import BOTTOM, INNER, LEFT, TOP
from ctatracker.briefing.key_messages import number
from ctatracker.briefing.layout import GREY, NAVY, Deck, _text
from ctatracker.charts import activities as ac
from ctatracker.charts import overview as oc
from ctatracker.charts.progress import mode_label
from ctatracker.charts.style import STAGE_COLOURS, STAGE_LABELS, STAGE_ORDER, STATUS_COLOURS

UNITS = {"percent": "%", "mt_co2": " Mt", "mt_co2e": " Mt", "vehicles": "", "charging_points": "",
         "charging_stations": "", "euro_level": ""}


def _message_ids(messages) -> list[str]:
    return sorted({s for m in messages for s in m.source_ids})


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
    ongoing = acts[acts["status"].map(is_under_way)]  # as the matching and the findings count support
    lines: list[str | tuple[str, dict]] = [("Support under way", {"bold": True, "colour": NAVY, "plain": True})]
    lines += [(f"{textwrap.shorten(str(r['title']), 70, placeholder='…')} ({ac.status_label(r['status'])})",
               {"size": 11, "after": 2}) for r in ongoing.head(4).to_dict("records")]
    if ongoing.empty:
        lines.append(("No activity under way, in the pipeline or without a stated status is recorded.",
                      {"size": 11, "plain": True}))
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
    under_way = acts["status"].map(is_under_way)  # as the matching and the findings count support
    ongoing, others = acts[under_way], acts[~under_way]
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


def _short(items: object, chars: int, none: str = "none recorded") -> str:
    values = [str(i) for i in (items if isinstance(items, list | tuple) else [])]
    if not values:
        return none
    text = textwrap.shorten(values[0], chars, placeholder="…")
    return text + (f" (+{len(values) - 1} more)" if len(values) > 1 else "")


SUPPORT_ROWS = 7
"""Rows of the support table per slide (two slides at most; the rest are listed in the notes)."""


def support_slides(deck: Deck) -> None:
    """What support exists: each gap of the chosen countries (an area off track, or no action recorded) beside the
    activities under way for it and the technical-assistance offers of the catalogue in its action area."""
    d = deck.data
    m = d.matching
    rows = m[m["country_iso3"].isin(d.selected) & m["action_area_code"].isin(d.areas["code"]) & m["needs_support"]]
    rows = rows.assign(_o=~rows["off_track"], _s=rows["supported"]).sort_values(["_o", "_s", "country_name",
                                                                                  "display_order"])
    notes = ["Gaps (an action area with a target off track or a Euro VI class not scheduled, or no action recorded) "
             "beside support under way in that country and area, regional activities, and the catalogue's "
             "technical-assistance offers in the area. Rules: methodology page, 'Matching support to gaps'.", ""]
    notes += [f"{r['country_name']}, {r['action_area_name']}: gaps: {'; '.join(r['off_track_gaps']) or 'no action'}."
              f" Under way: {'; '.join(r['under_way']) or 'none'}."
              f" Regional: {'; '.join(r['regional_under_way']) or 'none'}."
              f" Offers: {'; '.join(r['offers']) or 'none'}." for r in rows.to_dict("records")]
    pages = [rows.iloc[i:i + SUPPORT_ROWS] for i in range(0, min(len(rows), 2 * SUPPORT_ROWS), SUPPORT_ROWS)] or [rows]
    for i, page in enumerate(pages):
        slide = deck.slide("What support exists" + (" (continued)" if i else ""), [], notes)
        if page.empty:
            _text(slide, (LEFT, TOP, INNER, 1.0), ["No gap is recorded for these countries and action areas: no "
                                                   "target off track and an implementation stage in every area."],
                  size=16)
            continue
        body = [[r["country_name"], r["action_area_name"],
                 _short(r["off_track_gaps"], 70, "no action recorded") if r["off_track"] else "No action recorded",
                 _short(list(r["under_way"]) + list(r["regional_under_way"]), 60, "none under way"),
                 _short(r["offers"], 60, "none in the catalogue")] for r in page.to_dict("records")]
        deck.table(slide, ["Country", "Action area", "Gap", "Support under way", "Technical assistance on offer"],
                   body, (LEFT, TOP, INNER), [1.45, 2.0, 3.6, 2.55, 2.73], size=10)
        if i == len(pages) - 1:
            more = len(rows) - sum(len(p) for p in pages)
            _text(slide, (LEFT, BOTTOM - 0.35, INNER, 0.35), [
                (f"{more} more gaps are listed in the speaker notes. " if more > 0 else "")
                + "Only activities recorded for that country and area count as support under way; offers are from "
                "the technical-assistance catalogue."], size=11, colour=GREY)


APPENDIX_LINE_CHARS = 92
"""Characters of one reference line in the appendix (7.5 pt, half the slide's width), links left to the notes."""


def sources_slides(deck: Deck) -> None:
    """The references in at most two appendix slides, two columns each, one line per reference (the full
    reference with its link is in the speaker notes of every slide citing it)."""
    refs = deck.data.refs
    lines = [textwrap.shorten(f"[{n}] {refs.short(sid)}. {refs.bibliography.set_index('id').at[sid, 'title']}.",
                              APPENDIX_LINE_CHARS, placeholder="…")
             for n, sid in enumerate(refs.order, start=1)]
    per_column = 38
    per_slide = 2 * per_column
    chunks = [lines[i:i + per_slide] for i in range(0, len(lines), per_slide)][:2] or [[]]
    if len(lines) > 2 * per_slide:  # never more than two slides: the rest are in the notes
        chunks[-1][-1] = f"… and {len(lines) - 2 * per_slide + 1} more references, listed in the speaker notes."
    for i, chunk in enumerate(chunks):
        title = "References" if len(chunks) == 1 else f"References ({i + 1} of {len(chunks)})"
        slide = deck.slide(title, [], ["The pack's references, numbered in order of first citation; the tracker's "
                                       "methodology page explains how each status is worked out.",
                                       *[f"[{n}] {refs.cite(sid)}" for n, sid in enumerate(refs.order, start=1)
                                         if n > i * per_slide and (n <= (i + 1) * per_slide
                                                                   or i == len(chunks) - 1)]])
        for c, column in enumerate([chunk[:per_column], chunk[per_column:]]):
            if column or c == 0:
                _text(slide, (LEFT + c * 6.25, TOP - 0.1, 6.1, BOTTOM - TOP + 0.1),
                      [(line, {"after": 0}) for line in column or ["No source is cited."]], size=7.5, fit=False)
