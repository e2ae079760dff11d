"""The open-data package: every published table as CSV and Parquet with a Frictionless `datapackage.json`.

`python -m pipelines export-data --out DIR` writes DIR/datapackage.json, DIR/README.md, DIR/CITATION.cff,
DIR/csv/<table>.csv and DIR/parquet/<table>.parquet; the app's *Download all data* page offers the same files as one
zip named with the date of the data. Only published data: never accounts, submissions, the audit log or the email
of whoever wrote a need.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from ctatracker.io.datapackage import AUTHOR, DESCRIPTION, EXPORT_TABLES, descriptor, exported_columns, offered_where
from ctatracker.io.exports import TRACKER_NAME, day_words, neutralise_text
from ctatracker.io.folder_swap import FolderInUse, replace_folder
from ctatracker.io.seed_export import cell
from ctatracker.model.schema import TABLES

ZIP_PREFIX = "clean-transport-asia-tracker-data"


def _cell(value: Any) -> str:
    """One value as the CSV files write it: as the seed files do, text that a spreadsheet could read as a
    formula neutralised (the package is for spreadsheets; the seed files are for the repository)."""
    return neutralise_text(value) if isinstance(value, str) else cell(value)


def _select(table: str) -> str:
    """The rows of a table the package offers (those withheld for their source's licence left out), in key order."""
    model = TABLES[table]
    return (f"SELECT {', '.join(exported_columns(model))} FROM {table} {offered_where(table)} "
            f"ORDER BY {', '.join(model.__primary_key__)}")


def data_date(cur: duckdb.DuckDBPyConnection) -> dt.date:
    """The date of the data: when published data last changed (today when the log says nothing)."""
    from ctatracker.store.queries import last_update

    when = last_update(cur)
    return when.date() if when is not None else dt.date.today()


def citation(package: dict[str, Any]) -> str:
    """How to cite the package, in words."""
    day = dt.datetime.strptime(package["version"], "%Y.%m.%d").date()
    return (f"{TRACKER_NAME} ({day.year}), {package['title']}, version {package['version']} (data as of "
            f"{day_words(day)}). Cite each figure's source too, as its credit line asks.")


def citation_cff(package: dict[str, Any]) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the package."""
    day = dt.datetime.strptime(package["version"], "%Y.%m.%d").date()
    quoted = {k: json.dumps(v) for k, v in {
        "message": "To cite these data, cite them as below, and each figure's source as its credit line asks "
                   "(see README.md).",
        "title": package["title"], "author": AUTHOR, "version": package["version"],
        "abstract": DESCRIPTION}.items()}
    return "\n".join([
        "cff-version: 1.2.0", f"message: {quoted['message']}", "type: dataset", f"title: {quoted['title']}",
        "authors:", f"  - name: {quoted['author']}", f"version: {quoted['version']}",
        f"date-released: {day.isoformat()}", "license: CC-BY-4.0", f"abstract: {quoted['abstract']}",
        "keywords:", "  - transport", "  - electric vehicles", "  - emission standards", "  - Asia", ""])


def readme(package: dict[str, Any]) -> str:
    """README.md of the package: what it holds, its files, licences, sources and when they were read, what it
    leaves out (why, and where to get it) and how to cite it."""
    tables = [r for r in package["resources"] if r["format"] == "csv"]
    lines = [f"# {package['title']}", "", package["description"], "", "## Files", "",
             "- `datapackage.json`: the description of every file for data tools (a Frictionless Data Package: the "
             "columns, their types, units and keys, the licences and sources, each file's size and SHA-256 hash).",
             "- `README.md`: this file; `CITATION.cff`: how to cite the package.", ""]
    lines += [f"- `{r['path']}` and `parquet/{r['path'].removeprefix('csv/').removesuffix('.csv')}.parquet`: "
              f"{r['title'].lower()}, {r['stats']['rows']} row(s)." for r in tables]
    lines += ["", "## Licences", ""]
    lines += [f"- {lic['title']} ({lic['name']}{', ' + lic['path'] if lic.get('path') else ''})"
              for lic in package["licenses"]]
    lines += ["", "Each table's licences are listed with it in datapackage.json; rows citing a source under its "
              "own licence are under that source's terms: credit the source as it asks.", "",
              "## Sources and when they were read", "", *_sources_lines(package), "",
              "## Left out of this package", ""]
    if not package["withheld"]:
        lines.append("Nothing: every published row is here.")
    for item in package["withheld"]:
        lines.append(f"- {item['rows']} row(s) of the table {item['resource']}, citing {item['source']}, licence "
                     f"{item['licence']}: {item['reason']}. Get them from the publisher: "
                     f"{item['where'] or 'see the sources table'}.")
    lines += ["", "## How to cite", "", citation(package)]
    return "\n".join(lines) + "\n"


def _sources_lines(package: dict[str, Any]) -> list[str]:
    """The licensed sources with the date each was read, and how many of all cited sources have that date."""
    cited = {s["title"]: s for r in package["resources"] for s in r.get("sources", [])}
    dated = sum(1 for s in cited.values() if s.get("accessed"))
    lines = [f"- {s['title']}" + (f", {s['path']}" if s.get("path") else "")
             + (f", read on {s['accessed']}" if s.get("accessed") else ", date read not recorded")
             for s in package["sources"][1:]]
    return [*lines, f"- Every source is listed in the sources table, with its link and licence. The date it was read "
            f"is recorded for {dated} of the {len(cited)} sources the tables cite (the column accessed, and "
            "`accessed` in datapackage.json); for the others it is not recorded (empty, or null)."]


def write_table(cur: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> int:
    """Write one table as csv/<table>.csv and parquet/<table>.parquet; returns its row count."""
    rows = cur.execute(_select(table)).fetchall()
    with (out_dir / "csv" / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(exported_columns(TABLES[table]))
        writer.writerows([_cell(v) for v in row] for row in rows)
    target = str(out_dir / "parquet" / f"{table}.parquet").replace("'", "''")
    cur.execute(f"COPY ({_select(table)}) TO '{target}' (FORMAT parquet)")
    return len(rows)


PACKAGE_ENTRIES = ("csv", "parquet", "datapackage.json", "README.md", "CITATION.cff")
"""What the package folder holds: export-data replaces a folder holding only these (or nothing)."""


def export(cur: duckdb.DuckDBPyConnection, out_dir: Path, now: dt.datetime | None = None) -> dict[str, int]:
    """Write the whole package as the folder `out_dir` (created if needed); returns rows written per table.

    The package is written into a sibling folder and put in place of `out_dir` in one step (io/folder_swap.py):
    a failed or killed export leaves the earlier package whole, never one without csv/ or parquet/, and the next
    export removes what a killed one left. A folder holding other files is refused (FolderInUse).
    """
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def write(work: Path) -> dict[str, int]:
        (work / "csv").mkdir()
        (work / "parquet").mkdir()
        counts = {table: write_table(cur, table, work) for table in EXPORT_TABLES}
        package = descriptor(cur, counts, now, root=work, as_of=data_date(cur))
        (work / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        (work / "README.md").write_text(readme(package), encoding="utf-8")
        (work / "CITATION.cff").write_text(citation_cff(package), encoding="utf-8")
        return counts

    return replace_folder(out_dir, write, PACKAGE_ENTRIES)


def zip_name(day: dt.date | None = None) -> str:
    """The download's file name, with the date of its data: clean-transport-asia-tracker-data-2025-06-30.zip."""
    return f"{ZIP_PREFIX}-{(day or dt.date.today()).isoformat()}.zip"


def zip_bytes(cur: duckdb.DuckDBPyConnection) -> bytes:
    """The whole package as one zip (a folder named like the zip, holding datapackage.json, README.md,
    CITATION.cff, csv/ and parquet/)."""
    folder = zip_name(data_date(cur)).removesuffix(".zip")
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="cta-data-") as tmp:
        export(cur, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file():
                    zf.write(path, f"{folder}/{path.relative_to(tmp).as_posix()}")
    return buffer.getvalue()


def add_export_data_parser(subparsers: Any) -> None:
    """Register `export-data` on the `python -m pipelines` sub-command parser."""
    p = subparsers.add_parser("export-data", help="write every published table as CSV and Parquet with a "
                              "datapackage.json (Frictionless Data Package)")
    p.add_argument("--out", required=True, help="folder to write the package into")
    p.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p.set_defaults(func=cmd_export_data)


def cmd_export_data(args: argparse.Namespace) -> int:
    """Export the data package of a database (read-only: the app may be running with readers only)."""
    from ctatracker.config import settings
    from ctatracker.store.database import connect

    db_path = Path(args.db) if args.db else settings().db_path
    con = connect(db_path, read_only=True)
    try:
        counts = export(con, Path(args.out))
    except FolderInUse as exc:
        print(f"error: nothing was written: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for table, n in counts.items():
        print(f"  {table:<22} {n:>6} rows")
    print(f"Wrote {len(counts)} tables (CSV and Parquet), datapackage.json, README.md and CITATION.cff to {args.out}.")
    return 0

