"""`python -m pipelines briefing`: a pack from the command line, for a recorded event (the next upcoming one by
default) or a custom one, optionally on the secretariat's own slide template."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ctatracker.briefing import events
from ctatracker.briefing.events import Meeting
from ctatracker.store import queries


def add_parser(subparsers: Any) -> None:
    """Register `briefing` on the `python -m pipelines` sub-command parser."""
    p = subparsers.add_parser("briefing", help="draft a briefing pack: PowerPoint deck and Word brief")
    p.add_argument("--event", help="a recorded event's id (see --list-events; default: the next upcoming event) "
                   "or the name of another event, given with --date")
    p.add_argument("--list-events", action="store_true", help="list the recorded events, upcoming ones first")
    p.add_argument("--date", help="first day of the event, YYYY-MM-DD (for an event not recorded)")
    p.add_argument("--end", help="last day of the event, YYYY-MM-DD")
    p.add_argument("--place", help="where the event takes place")
    p.add_argument("--countries", help="ISO3 codes, comma separated: one code makes a pack for that country; "
                   "several, a regional pack with their one-page summaries in the appendix (default: regional)")
    p.add_argument("--areas", help="action area codes, comma separated (default: all)")
    p.add_argument("--template", help="a PowerPoint file (.pptx or .potx) whose slide masters, fonts and logo the "
                   "deck uses (default: the tracker's plain template)")
    p.add_argument("--out", help="the deck to write (FILE.pptx); the brief is written beside it (default: "
                   "cta-briefing-EVENT-COUNTRY-or-region-DATE.pptx in the current folder)")
    p.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p.set_defaults(func=cmd_briefing)


def _codes(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


def _day(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} '{text}' is not a date written YYYY-MM-DD") from None


def choose_event(args: argparse.Namespace, recorded: Any, today: dt.date) -> Meeting:
    """The meeting the arguments name: a recorded event by id (its dates and place unless given), another event by
    name with --date, or the next upcoming recorded event. ValueError says what is missing."""
    start, end = _day(args.date, "--date"), _day(args.end, "--end")
    by_id = {str(r["id"]): r for r in recorded.to_dict("records")}
    if args.event and args.event.lower() in by_id:
        base = events.meeting(by_id[args.event.lower()])
    elif args.event:
        if start is None:
            raise ValueError(f"'{args.event}' is not a recorded event ({', '.join(by_id) or 'none recorded'}); "
                             "give its first day with --date, or see --list-events")
        return Meeting(args.event.strip(), start, end, args.place, start.year)
    else:
        row = events.default_event(recorded, today)
        if row is None:
            raise ValueError("no upcoming event is recorded; name one with --event and --date")
        base = events.meeting(row)
    if start is None and end is not None:
        raise ValueError("--end needs --date")
    return Meeting(base.name, start or base.start, end if start else (end or base.end), args.place or base.place,
                   (start or base.start).year if (start or base.start) else base.year)


def cmd_briefing(args: argparse.Namespace) -> int:
    """Build a briefing pack from the command line (or list the events)."""
    from ctatracker.briefing.pack import build_pack, pack_stem
    from ctatracker.config import settings
    from ctatracker.store.database import connect

    db_path = Path(args.db) if args.db else settings().db_path
    if not db_path.exists():
        print(f"No database at {db_path}; run `python -m pipelines build` first.", file=sys.stderr)
        return 1
    today = dt.date.today()
    con = connect(db_path, read_only=True)
    try:
        recorded = queries.events(con)
        if args.list_events:
            for r in events.upcoming_first(recorded, today).to_dict("records"):
                tag = "upcoming" if r["upcoming"] else "past"
                print(f"{r['id']:<18} {tag:<9} {r['name']}: {events.meeting(r).line()}")
            return 0
        template = Path(args.template) if args.template else None
        if template is not None and not template.is_file():
            print(f"Nothing was written: the template {template} is not a file", file=sys.stderr)
            return 1
        event = choose_event(args, recorded, today)
        countries = _codes(args.countries)
        names = dict(zip(queries.countries(con)["iso3"], queries.countries(con)["name"], strict=True))
        out = Path(args.out).with_suffix(".pptx") if args.out else Path(pack_stem(event, countries, names, today)
                                                                         + ".pptx")
        result = build_pack(con, event=event, countries=countries, action_areas=_codes(args.areas),
                            out_pptx=out, out_docx=out.with_suffix(".docx"), template=template,
                            progress=lambda f, text: print(f"[{f:4.0%}] {text}", flush=True))
    except ValueError as exc:
        print(f"Nothing was written: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    extra = len(result.slide_titles) - result.main_slides
    print(f"Wrote {result.pptx} ({result.main_slides} slides and {extra} in the appendix) and {result.docx} for "
          f"{event.name}, {event.line()}")
    return 0
