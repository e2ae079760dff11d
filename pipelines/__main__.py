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


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="validate data/seed and build the database")
    p_build.add_argument("--seed-dir", help="folder of seed CSV files (default data/seed)")
    p_build.add_argument("--db", help="database file to write (default data/tracker.duckdb)")
    p_build.set_defaults(func=cmd_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
