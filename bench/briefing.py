"""python -m bench.briefing: time to build a briefing pack (deck and brief, figures through kaleido).

Targets: with the app warm, a one-country pack under 5 s and the full regional pack (every country) under 10 s;
the first pack after the app starts under 10 s. Each pack is timed "cold", starting and stopping its own kaleido
server as the command line does (the browser start is counted every time), and "warm", with the export server the
app starts when the Briefing page opens already running. "First pack" is a fresh process that opens the page's
export server and builds a one-country pack at once, imports included. The machine's load is printed beside the
figures: on a busy two-core box it dominates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from ctatracker.config import settings

TARGETS = {"full regional pack": 10.0, "one-country pack": 5.0}
FIRST_PACK_TARGET = 10.0


def build_once(db: Path, countries: list[str] | None, warm: bool = False) -> dict[str, float]:
    """Seconds taken by the steps of one build (data, text and figures, total)."""
    from ctatracker.briefing.pack import build_pack
    from ctatracker.store.database import connect

    con = connect(db, read_only=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result = build_pack(con, countries=countries, action_areas=None,  # the next upcoming event
                                out_pptx=Path(tmp) / "pack.pptx", out_docx=Path(tmp) / "pack.docx",
                                keep_export_server=warm)
    finally:
        con.close()
    return {**result.seconds, "slides": float(len(result.slide_titles))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.briefing", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="builds per pack (median reported)")
    parser.add_argument("--db", help="database (default: a fresh build of data/seed in a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            db = Path(args.db)
        else:
            from pipelines.seed import build

            db = Path(tmp) / "briefing.duckdb"
            build(settings().seed_dir, db, progress=lambda _line: None)
        return report(db, args.runs)


def report(db: Path, runs_per_pack: int) -> int:
    """Build each pack `runs_per_pack` times, cold and warm, and print the medians against the targets."""
    from ctatracker.briefing.figure_export import Exporter

    load = os.getloadavg()[0]
    print(f"Briefing pack build time, median of {runs_per_pack} (load average {load:.1f} on {os.cpu_count()} CPUs)")
    print(f"{'pack':<22}{'server':>7}{'slides':>7}{'data (s)':>10}{'text+figures (s)':>18}{'total (s)':>11}"
          f"{'target':>8}  verdict")
    ok = True
    packs = (("full regional pack", None), ("one-country pack", ["LKA"]))
    for warm in (False, True):
        if warm:
            Exporter.warm_up()
            build_once(db, ["LKA"], warm=True)  # not counted: waits for the browser the page started
        for label, countries in packs:
            runs = [build_once(db, countries, warm) for _ in range(runs_per_pack)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            good = med["total"] < TARGETS[label]
            ok &= good
            print(f"{label:<22}{'warm' if warm else 'cold':>7}{med['slides']:>7.0f}{med['data']:>10.2f}"
                  f"{med['text_and_figures']:>18.2f}{med['total']:>11.2f}{TARGETS[label]:>8.0f}  "
                  f"{'ok' if good else 'SLOW'}")
    with Exporter():  # stops the warm server
        pass
    first = first_pack(db)
    good = first < FIRST_PACK_TARGET
    ok &= good
    print(f"{'first pack after start':<22}{'fresh':>7}{'':>7}{'':>10}{'':>18}{first:>11.2f}{FIRST_PACK_TARGET:>8.0f}  "
          f"{'ok' if good else 'SLOW'}")
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0


FIRST = """
import sys, tempfile, time
from pathlib import Path
started = float(sys.argv[2])
from ctatracker.briefing.figure_export import Exporter
Exporter.warm_up()  # the Briefing page opens
from ctatracker.store.database import connect
from ctatracker.briefing.pack import build_pack
con = connect(sys.argv[1], read_only=True)
with tempfile.TemporaryDirectory() as tmp:
    build_pack(con, countries=["LKA"], action_areas=None, out_pptx=Path(tmp) / "p.pptx",
               out_docx=Path(tmp) / "p.docx", keep_export_server=True)
print(time.time() - started)
"""


def first_pack(db: Path) -> float:
    """Seconds from a fresh Python process's start to its first one-country pack (imports, the export server
    started as the page opens, the build)."""
    import subprocess
    import time

    out = subprocess.run([sys.executable, "-c", FIRST, str(db), repr(time.time())], check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return float(out.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
