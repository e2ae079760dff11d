"""Command line: python -m pipelines build | import-iea FILE | import-edgar FILE | gaps [--csv FILE] | users ... |
briefing ... | export-seed --out DIR | export-data --out DIR | publish --out FILE | site --out DIR."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

from ctatracker.config import settings
from ctatracker.store.dbfile import DatabaseUnavailable, explain
from pipelines.seed import BuildFailed, build, local_changes

MAX_PRINTED_PROBLEMS = 50
"""Problems a failed build lists; the rest are counted."""


def cmd_build(args: argparse.Namespace) -> int:
    """Validate the seed files and (re)build the database."""
    cfg = settings()
    seed_dir = Path(args.seed_dir) if args.seed_dir else cfg.seed_dir
    db_path = Path(args.db) if args.db else cfg.db_path
    if not seed_dir.is_dir():
        print(f"error: the seed folder {seed_dir} does not exist or is not a folder.", file=sys.stderr)
        return 1
    try:
        kept = local_changes(db_path)
    except DatabaseUnavailable as exc:
        if not (exc.reason == "stale_wal" and args.force):
            more = " Or run this build with --force: it replaces the database and removes that log."
            print(f"{exc}{more if exc.reason == 'stale_wal' else ''}", file=sys.stderr)
            return 1
        kept = 0  # the log belongs to no file: --force replaces the database and sets the log aside
    if kept and not args.force:
        print(f"{db_path} holds {kept} account(s), submission(s) or edit(s) made in the tracker; a rebuild from "
              "the seed would discard them. Back the file up, then run again with --force.", file=sys.stderr)
        return 1
    print(f"Building {db_path} from {seed_dir}")
    started = time.perf_counter()
    try:
        counts = build(seed_dir, db_path)
    except BuildFailed as exc:
        print(f"\nBuild failed: {len(exc.problems)} problem(s). The database was not changed.", file=sys.stderr)
        from ctatracker.io.iea_read import printable

        for problem in exc.problems[:MAX_PRINTED_PROBLEMS]:
            print(f"  {printable(problem)}", file=sys.stderr)  # cells quoted from the files: never escape codes
        if len(exc.problems) > MAX_PRINTED_PROBLEMS:
            print(f"  ... and {len(exc.problems) - MAX_PRINTED_PROBLEMS:,} more", file=sys.stderr)
        return 1
    print(f"Built {sum(counts.values())} rows in {len(counts)} tables in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_import_iea(args: argparse.Namespace) -> int:
    """Import an IEA Global EV Data Explorer file (workbook or CSV, any edition) into the tracker."""
    from ctatracker.io.iea import ImportRejected, cli_progress, run
    from ctatracker.io.iea_read import printable

    db_path = Path(args.db) if args.db else settings().db_path
    dry = " (dry run: nothing is written)" if args.dry_run else ""
    print(printable(f"Importing {args.file} into {db_path}{dry}"))
    try:
        summary = run(Path(args.file), db_path, edition=args.edition, overwrite_edits=args.overwrite_edits,
                      dry_run=args.dry_run, progress=cli_progress())
    except ImportRejected as exc:
        print(f"Import rejected, nothing was written: {exc}", file=sys.stderr)
        return 1
    for line in summary.lines():
        print(printable(line))  # names and words quoted from the file, never a terminal's escape codes
    return 0


def cmd_import_edgar(args: argparse.Namespace) -> int:
    """Import EDGAR's GHG booklet workbook (JRC/IEA, any edition): transport CO2 and greenhouse gases."""
    from ctatracker.io.edgar import ImportRejected, cli_progress, run
    from ctatracker.io.iea_read import printable

    db_path = Path(args.db) if args.db else settings().db_path
    dry = " (dry run: nothing is written)" if args.dry_run else ""
    print(printable(f"Importing {args.file} into {db_path}{dry}"))
    try:
        summary = run(Path(args.file), db_path, edition=args.edition, overwrite_edits=args.overwrite_edits,
                      dry_run=args.dry_run, progress=cli_progress())
    except ImportRejected as exc:
        print(f"Import rejected, nothing was written: {exc}", file=sys.stderr)
        return 1
    for line in summary.lines():
        print(printable(line))  # names and words quoted from the file, never a terminal's escape codes
    return 0


def _add_import_edgar_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-edgar", help="import EDGAR's GHG booklet workbook (transport CO2 and greenhouse "
                       "gases by country)")
    p.add_argument("file", help="EDGAR's workbook (.xlsx, sheet GHG_by_sector_and_country), e.g. "
                   "EDGAR_2024_GHG_booklet_2024.xlsx")
    p.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p.add_argument("--edition", type=int, metavar="YEAR", help="edition year; by default the version "
                   "EDGAR_<year>_GHG the workbook names")
    p.add_argument("--overwrite-edits", action="store_true",
                   help="overwrite values edited in the tracker since the last import (default: leave them)")
    p.add_argument("--dry-run", action="store_true", help="show what would change and write nothing")
    p.set_defaults(func=cmd_import_edgar)


def cmd_gaps(args: argparse.Namespace) -> int:
    """Print the gap table, or write it as CSV."""
    import pandas as pd

    from ctatracker.analysis import derived
    from ctatracker.io.exports import to_csv_bytes
    from ctatracker.store.database import connect

    db_path = Path(args.db) if args.db else settings().db_path
    if not db_path.exists():
        print(f"No database at {db_path}; run `python -m pipelines build` first.", file=sys.stderr)
        return 1
    con = connect(db_path, read_only=True)
    table = derived.gap_table(con)
    euro = derived.euro_table(con)
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


def _read_password(args: argparse.Namespace) -> str:
    """The new password from stdin (--password-stdin) or typed twice at a prompt."""
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise ValueError("no password was read: --password-stdin takes it from the first line of standard "
                             "input, and that line was empty")
        return password
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    """Manage accounts: add, list, set a password, unlock, switch off or on."""
    from pydantic import ValidationError

    from ctatracker.store import auth, contributions
    from ctatracker.store.database import WriteRejected, connect, upgrade_schema
    from ctatracker.text.validation import field_messages

    db_path = Path(args.db) if args.db else settings().db_path
    if not db_path.exists():
        print(f"No database at {db_path}; run `python -m pipelines build` first.", file=sys.stderr)
        return 1
    con = connect(db_path)  # a held file is explained by main(); the app's Users page works meanwhile
    try:
        upgrade_schema(con)  # a database built by an older version gets the new tables and columns
        if args.action == "list":
            print(contributions.users(con).to_string(index=False))
            return 0
        if args.action == "add":
            user = auth.add_user(con, args.email, args.role, name=args.name, country=args.country,
                                 password=_read_password(args))
            print(f"Account created: {user.email} ({user.role.value}"
                  f"{' for ' + user.country_iso3 if user.country_iso3 else ''}).")
        elif args.action == "passwd":
            auth.set_password(con, args.email, _read_password(args))
            print(f"Password set for {args.email}; the account is unlocked.")
        elif args.action == "unlock":
            auth.update_user(con, args.email, auth.SYSTEM, failed_logins=0, locked_until=None)
            print(f"{args.email} is unlocked.")
        else:
            auth.update_user(con, args.email, auth.SYSTEM, active=args.action == "enable")
            print(f"{args.email} is {'switched on' if args.action == 'enable' else 'switched off'}.")
    except WriteRejected as exc:
        print(f"Refused, nothing was written:\n{exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        text = "; ".join(f"{k}: {v}" if k else v for k, v in field_messages(exc).items())
        print(f"Refused, nothing was written: {text}", file=sys.stderr)
        return 1
    except ValueError as exc:  # short password, existing account
        print(f"Refused, nothing was written: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="validate data/seed and build the database")
    p_build.add_argument("--seed-dir", help="folder of seed CSV files (default data/seed)")
    p_build.add_argument("--db", help="database file to write (default data/tracker.duckdb)")
    p_build.add_argument("--force", action="store_true",
                         help="rebuild even if the database holds accounts or edits made in the tracker")
    p_build.set_defaults(func=cmd_build)
    p_iea = sub.add_parser("import-iea", help="import an IEA Global EV Data Explorer file (workbook or CSV)")
    p_iea.add_argument("file", help="IEA's workbook (.xlsx, sheet GEVO_EV_<year>), its CSV export "
                       "(region_country,...) or an older CSV (region,...); the layout is read from the content")
    p_iea.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p_iea.add_argument("--edition", type=int, metavar="YEAR", help="edition year (Global EV Outlook YEAR); by "
                       "default the workbook's sheet name, or for a CSV the last historical year + 1")
    p_iea.add_argument("--overwrite-edits", action="store_true",
                       help="overwrite values edited in the tracker since the last import (default: leave them)")
    p_iea.add_argument("--dry-run", action="store_true", help="show what would change and write nothing")
    p_iea.set_defaults(func=cmd_import_iea)
    _add_import_edgar_parser(sub)
    p_gaps = sub.add_parser("gaps", help="print the gap table or export it as CSV")
    p_gaps.add_argument("--csv", help="write the table to this CSV file instead of printing it")
    p_gaps.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p_gaps.set_defaults(func=cmd_gaps)
    p_users = sub.add_parser("users", help="manage accounts (run while the app is stopped)")
    p_users.add_argument("action", choices=["add", "list", "passwd", "unlock", "disable", "enable"])
    p_users.add_argument("email", nargs="?", help="the account's email address")
    p_users.add_argument("--role", choices=["focal_point", "secretariat", "admin"], help="role of a new account")
    p_users.add_argument("--country", help="ISO3 code of a focal point's country")
    p_users.add_argument("--name", help="name shown to reviewers (default: the part before @)")
    p_users.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p_users.add_argument("--db", help="database file (default data/tracker.duckdb)")
    p_users.set_defaults(func=cmd_users)
    from ctatracker.edition.cli import add_site_parser
    from ctatracker.io.open_data import add_export_data_parser
    from ctatracker.io.seed_export import add_export_parser
    from pipelines.briefing_cli import add_parser as add_briefing_parser
    from pipelines.publish import add_publish_parser

    add_briefing_parser(sub)
    add_export_parser(sub)
    add_export_data_parser(sub)
    add_publish_parser(sub)
    add_site_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "users" and args.action != "list" and not args.email:
        parser.error(f"users {args.action} needs an EMAIL")
    if args.command == "users" and args.action == "add" and not args.role:
        parser.error("users add needs --role")
    return run_command(args)


def _database_arg_problem(args: argparse.Namespace) -> str | None:
    """Why the database a reading command names cannot be used (missing, or a folder), else None."""
    if args.command == "build" or not hasattr(args, "db"):
        return None
    db_path = Path(args.db) if args.db else settings().db_path
    if db_path.is_dir():
        return f"{db_path} is a folder, not a database file: give the path of the .duckdb file."
    if not db_path.exists():
        return f"No database at {db_path}; run `python -m pipelines build` first."
    return None


def _os_reason(exc: OSError) -> str:
    reasons = [(FileNotFoundError, "no such file or folder"), (IsADirectoryError, "it is a folder, not a file"),
               (NotADirectoryError, "a part of the path is a file, not a folder"),
               (FileExistsError, "a file is in the way"), (PermissionError, "permission denied")]
    return next((text for kind, text in reasons if isinstance(exc, kind)), exc.strerror or str(exc))


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command; a database held by another program, a missing file or a folder given as a file
    ends it with one line on stderr and exit code 1 (never a traceback)."""
    problem = _database_arg_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        return args.func(args)
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
    except duckdb.IOException as exc:  # a database opened outside store.connect
        print(f"error: {explain(getattr(args, 'db', None) or settings().db_path, exc)}", file=sys.stderr)
    except OSError as exc:  # a missing file, a folder given as a file, no permission
        print(f"error: cannot use {exc.filename or 'a file'}: {_os_reason(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted; nothing more was written", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
