"""Events a briefing pack is prepared for (EST Forum, COP, other): read from the `events` table, upcoming ones
first, and added by the secretariat through the one write path."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ctatracker.model.enums import EventKind
from ctatracker.model.schema import Event
from ctatracker.store import database
from ctatracker.store.permissions import Actor

KIND_LABELS = {EventKind.EST_FORUM: "Regional EST Forum", EventKind.COP: "UN climate conference (COP)",
               EventKind.OTHER: "Other meeting"}


@dataclass(frozen=True)
class Meeting:
    """The meeting a pack is for: a name, its dates when announced (else its year) and its place."""

    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None
    year: int | None = None

    def when(self) -> str:
        """'10–21 November 2025', '28 November – 2 December 2025', '10 November 2025' or '2027 (dates not yet
        announced)'."""
        a, b = self.start, self.end
        if a is None:
            return f"{self.year} (dates not yet announced)" if self.year else "dates not yet announced"
        if b is None or b == a:
            return f"{a.day} {a:%B %Y}"
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {b:%B %Y}"
        return f"{a.day} {a:%B}{'' if a.year == b.year else f' {a.year}'} – {b.day} {b:%B %Y}"

    def line(self) -> str:
        """Dates and place on one line."""
        return self.when() + (f", {self.place}" if self.place else "")

    def day(self) -> str:
        """The first day as YYYY-MM-DD, or the year alone: for file names."""
        return f"{self.start:%Y-%m-%d}" if self.start else str(self.year or "")


def _date(value: object) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def place(city: object, country: object) -> str | None:
    """'Antalya, Türkiye', the city or the country alone, or None."""
    parts = [str(p) for p in (city, country) if isinstance(p, str) and p.strip()]
    return ", ".join(parts) or None


def meeting(row: dict) -> Meeting:
    """The meeting of one `events` row."""
    return Meeting(str(row["name"]), _date(row.get("start_date")), _date(row.get("end_date")),
                   place(row.get("city"), row.get("country")), int(row["year"]))


def is_upcoming(row: dict, today: dt.date) -> bool:
    """Not over by `today`: its last (or first) day is today or later; an event without dates counts as upcoming
    from the start of its year until it has dates."""
    last = _date(row.get("end_date")) or _date(row.get("start_date"))
    return last >= today if last else int(row["year"]) >= today.year


def upcoming_first(events: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The events with an `upcoming` column: upcoming ones first, soonest first, then past ones, latest first; an
    event without dates yet counts as at the end of its year."""
    if events.empty:
        return events.assign(upcoming=pd.Series(dtype=bool))
    records = events.to_dict("records")
    flags = [is_upcoming(r, today) for r in records]
    keys = [(_date(r.get("start_date")) or dt.date(int(r["year"]), 12, 31)).toordinal() for r in records]
    out = events.assign(upcoming=flags, _key=[k if f else -k for k, f in zip(keys, flags, strict=True)])
    return out.sort_values(["upcoming", "_key"], ascending=[False, True]).drop(columns="_key").reset_index(drop=True)


def default_event(events: pd.DataFrame, today: dt.date) -> dict | None:
    """The next upcoming event (the pack's default), None when none is recorded."""
    ordered = upcoming_first(events, today)
    ahead = ordered[ordered["upcoming"]]
    return ahead.iloc[0].to_dict() if not ahead.empty else None


class NewEvent(BaseModel):
    """An event as the secretariat types it in the app: name, kind, place and dates."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    kind: EventKind = EventKind.OTHER
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=100)
    start_date: dt.date
    end_date: dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> NewEvent:
        if self.end_date and self.end_date < self.start_date:
            raise ValueError("the last day is before the first day")
        return self


def _slug(name: str, year: int) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "event"
    return base if base.endswith(str(year)) else f"{base}-{year}"


def add_event(con: duckdb.DuckDBPyConnection, actor: Actor, values: dict) -> Event:
    """Validate and record an event through the write path (permission checked there, one transaction, audited).
    Raises store.WriteRejected with a plain message on bad input or a refused actor; nothing is written then."""
    try:
        new = NewEvent.model_validate({k: (v or None) if isinstance(v, str) else v for k, v in values.items()})
    except ValidationError as exc:
        problems = [database.Problem("event", str(e["loc"][0]) if e["loc"] else None,
                                  e["msg"].removeprefix("Value error, ")) for e in exc.errors()]
        raise database.WriteRejected(problems) from None
    database.create_missing_tables(con)  # a database built before events were data
    taken = {r[0] for r in con.execute("SELECT id FROM events").fetchall()}
    ident, n = _slug(new.name, new.start_date.year), 2
    while ident in taken:
        ident, n = f"{_slug(new.name, new.start_date.year)}-{n}", n + 1
    row = Event(id=ident, name=new.name, kind=new.kind, city=new.city, country=new.country,
                year=new.start_date.year, start_date=new.start_date, end_date=new.end_date)
    database.write_rows(con, [row], actor, reason="event added on the Briefing page", expected={row.key(): None})
    return row
