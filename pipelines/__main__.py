"""Command line: python -m pipelines build | import-iea FILE | gaps [--csv FILE]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ctatracker.config import settings
from pipelines.seed import BuildFailed, build


def cmd_build(args: argparse.Namespace) -> int:
    """Validate the seed files and (re)build the database."""
    cfg = settings()
    seed_dir = Path(args.seed_dir) if args.seed_dir else cfg.seed_dir
    db_path = Path(args.db) if args.db else cfg.db_path
    print(f"Building {db_path} from {seed_dir}")
    started = time.perf_counter()
    try:
        counts = build(seed_dir, db_path)
    except BuildFailed as exc:
        print(f"\nBuild failed: {len(exc.problems)} problem(s). The database was not changed.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"Built {sum(counts.values())} rows in {len(counts)} tables in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_import_iea(args: argparse.Namespace) -> int:
    """Import an IEA Global EV Data Explorer CSV as observations."""
    from pipelines.importers.iea import IEA_SOURCE_ID, ImportRejected, run

    db_path = Path(args.db) if args.db else settings().db_path
    try:
        _report, result = run(Path(args.file), db_path, source_id=args.source_id or IEA_SOURCE_ID,
                             include_projections=args.include_projections)
    except ImportRejected as exc:
        print(f"Import rejected, nothing was written: {exc}", file=sys.stderr)
        return 1
    print(f"Observations: {result.added} added, {result.updated} updated, {result.unchanged} unchanged")
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    """Print the gap table, or write it as CSV."""
    import pandas as pd

    from ctatracker import analysis
    from ctatracker.exports import to_csv_bytes
    from ctatracker.store import connect

    db_path = Path(args.db) if args.db else settings().db_path
    if not db_path.exists():
        print(f"No database at {db_path}; run `python -m pipelines build` first.", file=sys.stderr)
        return 1
    con = connect(db_path, read_only=True)
    table = analysis.gap_table(con)
    euro = analysis.euro_table(con)
    if args.csv:
        Path(args.csv).write_bytes(to_csv_bytes(table))
        Path(args.csv).with_suffix(".euro.csv").write_bytes(to_csv_bytes(euro))
        print(f"Wrote {len(table)} gap rows to {args.csv} and {len(euro)} Euro VI rows beside it")
        return 0
    shown = table[["country_name", "target_id", "mode", "latest_year", "latest_value", "target_value",
                   "target_year", "gap", "status"]]
    with pd.option_context("display.max_rows", None, "display.width", 200, "display.max_colwidth", 40):
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="no data"))
        print()
        print(euro[["country_name", "vehicle_class", "current_level", "goal_year", "status"]]
              .to_string(index=False, na_rep="no data"))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="validate data/seed and build the database")
    p_build.add_argument("--seed-dir", help="folder of seed CSV files (default data/seed)")
    p_build.add_argument("--db", help="database file to write (default data/tracker.duckdb)")
    p_build.set_defaults(func=cmd_build)
    p_iea = sub.add_parser("import-iea", help="import an IEA Global EV Data Explorer CSV")
    p_iea.add_argument("file", help="CSV in the IEA long format (region,category,parameter,mode,...)")
    p_iea.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p_iea.add_argument("--source-id", help="source id of this edition (default iea-gev-data-2023)")
    p_iea.add_argument("--include-projections", action="store_true", help="also import projection scenarios")
    p_iea.set_defaults(func=cmd_import_iea)
    p_gaps = sub.add_parser("gaps", help="print the gap table or export it as CSV")
    p_gaps.add_argument("--csv", help="write the table to this CSV file instead of printing it")
    p_gaps.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p_gaps.set_defaults(func=cmd_gaps)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
