"""Each chart's figures as files beside it, as the app offers a table: `data/charts/<chart>.csv` (the table alone,
its header row first) and `data/charts/<chart>.zip` (the same CSV with a Frictionless `datapackage.json` and a
README naming its sources, their licences and credit lines, and how to cite it). Rows whose source's licence does
not let them be passed on under the tracker's licence are left out, as in the open-data package, and the page says
so; a chart with no row left offers no file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ctatracker.edition.chart_data import SOURCE
from ctatracker.edition.model import Chart
from ctatracker.io.datapackage import PACKAGE_LICENCE
from ctatracker.io.exports import TRACKER_NAME, Cited, ExportMeta, file_name, to_csv_bytes
from ctatracker.io.table_bundle import zip_bytes

FOLDER = "data/charts"


@dataclass(frozen=True)
class ChartFiles:
    """What a chart offers to download: its CSV and zip (None when no row may be offered), the name they are saved
    under, and a sentence on rows left out for their licence."""

    csv: str | None
    zip: str | None
    name: str
    rows: int
    withheld: str | None = None


def _true(value: object) -> bool:
    return bool(value) and not pd.isna(value)


def offered(source: dict) -> bool:
    """Whether rows citing `source` may be offered under the tracker's licence (as the open-data package decides:
    it names no licence, or one that lets others share copies, changed versions and commercial use as CC BY does)."""
    if not _text(source.get("licence")) and not _text(source.get("licence_id")):
        return True
    return (_true(source.get("licence_redistribution"))
            and (_true(source.get("licence_derivatives")) or not PACKAGE_LICENCE.derivatives)
            and (_true(source.get("licence_commercial")) or not PACKAGE_LICENCE.commercial))


def _ids(value: object) -> list[str]:
    return [p.strip() for p in str(value).split(";") if p.strip()] if isinstance(value, str) else []


def _name(row: dict) -> str:
    year = f" ({int(row['year'])})" if pd.notna(row.get("year")) else ""
    return f"{row.get('publisher') or ''}{year}, {row.get('title') or row.get('id')}".lstrip(", ")


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class ChartFileWriter:
    """Writes the files of an edition's charts from the sources table (`read.Published.sources`)."""

    def __init__(self, sources: pd.DataFrame, credits: dict[str, str], as_of: dt.date) -> None:
        self.sources = {str(r["id"]): r for r in sources.to_dict("records")}
        self.credits = credits
        """Source id -> its credit line."""
        self.as_of = as_of

    def _withheld(self, ids: set[str], rows: int, every: bool) -> str:
        named = [self.sources[i] for i in sorted(ids) if i in self.sources]
        where = "; ".join(_name(s) for s in named)  # their links are in the page's sources
        licences = ", ".join(sorted({str(s.get("licence") or s.get("licence_id")) for s in named}))
        said = ("The figures of this chart are not offered as a file" if every else
                f"{rows} row(s) of this chart are left out of its file")
        return (f"{said}: their source's licence ({licences}) does not let the tracker pass them on under "
                f"{PACKAGE_LICENCE.short}. Get them from {where}.")

    def write(self, chart: Chart, root: Path) -> ChartFiles | None:
        """Write the chart's CSV and zip under `root`; what it offers (None: the chart has no table)."""
        if chart.data is None:
            return None
        frame = chart.data.copy()
        ids = frame[SOURCE].map(_ids) if SOURCE in frame else pd.Series([[]] * len(frame), index=frame.index)
        keep = ids.map(lambda xs: all(offered(self.sources.get(i, {})) for i in xs))
        left = {i for xs in ids[~keep] for i in xs if not offered(self.sources.get(i, {}))}
        withheld = self._withheld(left, int((~keep).sum()), not keep.any()) if left else None
        stem = file_name(chart.title, as_of=self.as_of)
        frame, ids = frame[keep], ids[keep]
        if frame.empty:
            return ChartFiles(None, None, stem, 0, withheld)
        frame = frame.drop(columns=SOURCE, errors="ignore").assign(Source=ids.map(
            lambda xs: "; ".join(_name(self.sources[i]) for i in xs if i in self.sources) or TRACKER_NAME))
        cited = sorted({i for xs in ids for i in xs if i in self.sources})
        meta = ExportMeta(chart.title, self.as_of, sources=[self._cited(i) for i in cited],
                          notes=[*chart.notes, *([withheld] if withheld else [])])
        folder = root / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{chart.key}.csv").write_bytes(to_csv_bytes(frame))
        (folder / f"{chart.key}.zip").write_bytes(zip_bytes(frame, meta, stem))
        return ChartFiles(f"{FOLDER}/{chart.key}.csv", f"{FOLDER}/{chart.key}.zip", stem, len(frame), withheld)

    def _cited(self, sid: str) -> Cited:
        s = self.sources[sid]
        accessed = s.get("accessed")
        return Cited(_name(s), _text(s.get("url")), _text(s.get("licence")) or _text(s.get("licence_id")),
                     self.credits.get(sid), _text(s.get("licence_url")),
                     pd.Timestamp(accessed).date() if accessed is not None and pd.notna(accessed) else None)
