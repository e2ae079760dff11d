"""python -m pipelines publish --out FILE: a read-only snapshot of the database for viewer replicas."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctatracker.config import settings


def cmd_publish(args: argparse.Namespace) -> int:
    """Write the snapshot atomically (the old one stays whole until the new one is complete)."""
    from ctatracker.store.publish import publish_file

    db_path = Path(args.db) if args.db else settings().db_path
    if Path(args.out).resolve() == db_path.resolve():
        print("error: --out must be another file than the database itself.", file=sys.stderr)
        return 1
    done = publish_file(db_path, Path(args.out))
    print(f"Published {done.rows:,} rows to {done.path} in {done.seconds:.1f} s (accounts, submissions and "
          "suggestions left out). Viewers started with CTA_VIEWER=1 CTA_DB_PATH=<that file> pick it up on their "
          "next page view.")
    return 0


def add_publish_parser(sub: argparse._SubParsersAction) -> None:
    """The `publish` subcommand."""
    p = sub.add_parser("publish", help="write a read-only snapshot for viewers (run while the editing app is "
                       "stopped, or let the app publish after each change with CTA_PUBLISH_TO)")
    p.add_argument("--out", required=True, help="snapshot file to write (replaced atomically)")
    p.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p.set_defaults(func=cmd_publish)
