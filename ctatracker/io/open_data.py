"""The open-data package: every published table as CSV and Parquet with a Frictionless `datapackage.json`.

`python -m pipelines export-data --out DIR` writes DIR/datapackage.json, DIR/csv/<table>.csv and
DIR/parquet/<table>.parquet; the app's *Download all data* page offers the same files as one zip named with its
date. Only published data: never accounts, submissions, the audit log or the email of whoever wrote a need.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from ctatracker.io.datapackage import DESCRIPTION, EXPORT_TABLES, descriptor, exported_columns, offered_where
from ctatracker.io.exports import neutralise_text
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


def readme(package: dict[str, Any]) -> str:
    """README.md of the package: what it holds, its licences, and what it leaves out, why and where to get it."""
    lines = [f"# {package['title']}", "", DESCRIPTION, "", "## Licences", ""]
    lines += [f"- {lic['title']} ({lic['name']}{', ' + lic['path'] if lic.get('path') else ''})"
              for lic in package["licenses"]]
    lines += ["", "Each table's licences are listed with it in datapackage.json; rows citing a source under its "
              "own licence are under that source's terms: credit the source as it asks.", "",
              "## Left out of this package", ""]
    if not package["withheld"]:
        lines.append("Nothing: every published row is here.")
    for item in package["withheld"]:
        lines.append(f"- {item['rows']} row(s) of the table {item['resource']}, citing {item['source']}, licence "
                     f"{item['licence']}: {item['reason']}. Get them from the publisher: "
                     f"{item['where'] or 'see the sources table'}.")
    return "\n".join(lines) + "\n"


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


def export(cur: duckdb.DuckDBPyConnection, out_dir: Path, now: dt.datetime | None = None) -> dict[str, int]:
    """Write the whole package into `out_dir` (created if needed); returns rows written per table.

    Files are written to a temporary folder first and moved in at the end: a failed export adds nothing.
    """
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".export-") as tmp:
        work = Path(tmp)
        (work / "csv").mkdir()
        (work / "parquet").mkdir()
        counts = {table: write_table(cur, table, work) for table in EXPORT_TABLES}
        package = descriptor(cur, counts, now)
        (work / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                               encoding="utf-8")
        (work / "README.md").write_text(readme(package), encoding="utf-8")
        for name in ("csv", "parquet"):
            shutil.rmtree(out_dir / name, ignore_errors=True)
            (work / name).rename(out_dir / name)
        (work / "README.md").replace(out_dir / "README.md")
        (work / "datapackage.json").replace(out_dir / "datapackage.json")
    return counts


def zip_name(day: dt.date | None = None) -> str:
    """The download's file name, with its date: clean-transport-asia-tracker-data-2025-06-30.zip."""
    return f"{ZIP_PREFIX}-{(day or dt.date.today()).isoformat()}.zip"


def zip_bytes(cur: duckdb.DuckDBPyConnection) -> bytes:
    """The whole package as one zip (a folder named like the zip, holding datapackage.json, csv/, parquet/)."""
    folder = zip_name().removesuffix(".zip")
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
    finally:
        con.close()
    for table, n in counts.items():
        print(f"  {table:<22} {n:>6} rows")
    print(f"Wrote {len(counts)} tables (CSV and Parquet) and datapackage.json to {args.out}.")
    return 0

