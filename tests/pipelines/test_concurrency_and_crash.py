"""Many people editing at once lose nothing and always get an explanation; a killed bulk apply is all or none."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from ctatracker.config import PROJECT_ROOT
from ctatracker.model.enums import Role
from ctatracker.model.schema import Observation
from ctatracker.store import review
from ctatracker.store.database import RecordChanged, WriteConflict, WriteRejected, connect, current_record, write_rows
from ctatracker.store.permissions import SYSTEM, Actor

SECRETARIAT = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
FOCAL = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
SOURCE = "iea-gev-data-2023"


def counter(year: int, value: float = 0.0) -> Observation:
    """A vehicle count of India in a given year: incremented by the threads."""
    return Observation(country_iso3="IND", indicator_code="ev_stock", mode="buses", year=year, value=value,
                       source_id=SOURCE, confidence="low")


@pytest.fixture()
def db(built_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "t.duckdb"
    path.write_bytes(built_db.read_bytes())
    return path


def _increment(cur, year: int) -> None:
    seen = current_record(cur, Observation, counter(year).key())
    row = counter(year, seen["value"] + 1)
    review.apply_changes(cur, SECRETARIAT, [review.Change.edit(row, seen)])


def _chain_breaks(con, year: int) -> int:
    """Updates whose 'old' value is not the previous update's 'new' value: each one would be a lost update."""
    key = json.dumps({"country_iso3": "IND", "indicator_code": "ev_stock", "mode": "buses", "year": str(year),
                      "source_id": SOURCE})
    rows = con.execute("SELECT old_values, new_values FROM audit_log WHERE table_name = 'observations' AND "
                       "row_key = ? ORDER BY changed_at", [key]).fetchall()
    values = [(json.loads(o)["value"] if o else None, json.loads(n)["value"]) for o, n in rows]
    return sum(1 for (_, prev_new), (old, _) in itertools.pairwise(values) if old != prev_new)


def test_concurrent_edits_lose_nothing_and_every_failure_is_explained(db: Path) -> None:
    con = connect(db)
    write_rows(con, [counter(year) for year in range(2000, 2011)], SYSTEM)
    same, rounds = 2000, 15
    outcomes: Counter = Counter()
    applied: Counter = Counter()
    unexplained: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(16)
    stop_approving = threading.Event()

    def record(kind: str, year: int | None = None) -> None:
        with lock:
            outcomes[kind] += 1
            if kind == "applied" and year is not None:
                applied[year] += 1

    def guarded(action, year: int | None = None) -> None:
        try:
            action()
            record("applied", year)
        except RecordChanged:
            record("refused: changed since read (explained)")
        except WriteConflict:
            record("refused: write conflict (explained)")
        except WriteRejected as exc:
            record("refused: already reviewed (explained)" if "already" in str(exc) else "refused: rejected")
        except Exception as exc:  # anything else is a bug: a traceback the user would see
            with lock:
                unexplained.append(f"{type(exc).__name__}: {exc}")

    def editor(year: int) -> None:
        cur = con.cursor()
        start.wait()
        for _ in range(rounds):
            guarded(lambda: _increment(cur, year), year)

    def proposer() -> None:
        cur = con.cursor()
        start.wait()
        for _ in range(rounds):
            seen = current_record(cur, Observation, counter(2010).key())
            guarded(lambda s=seen: review.propose(cur, FOCAL, [review.Change.edit(counter(2010, s["value"] + 1), s)]))

    def approver() -> None:
        cur = con.cursor()
        start.wait()
        while not stop_approving.is_set():
            pending = cur.execute("SELECT DISTINCT batch_id FROM submissions WHERE status = 'pending'").fetchall()
            for (batch,) in pending:
                guarded(lambda b=batch: review.approve(cur, b, SECRETARIAT), 2010)
            time.sleep(0.005)

    threads = ([threading.Thread(target=editor, args=(same,)) for _ in range(6)]  # 6 on the same record
               + [threading.Thread(target=editor, args=(year,)) for year in range(2001, 2007)]  # 6 on their own
               + [threading.Thread(target=proposer) for _ in range(2)]
               + [threading.Thread(target=approver) for _ in range(2)])
    for t in threads:
        t.start()
    for t in threads[:-2]:
        t.join()
    stop_approving.set()
    for t in threads[-2:]:
        t.join()

    final = {year: current_record(con, Observation, counter(year).key())["value"] for year in range(2000, 2011)}
    lost = sum(int(abs(applied[year] - final[year])) for year in range(2000, 2007))
    lost += sum(_chain_breaks(con, year) for year in range(2000, 2011))
    lost += int(abs(final[2010] - applied[2010]))
    print(f"\nconcurrency: {sum(outcomes.values()) + len(unexplained)} attempts by 16 threads "
          f"(cursor each); outcomes {dict(outcomes)}; lost updates {lost}; unexplained errors {len(unexplained)}")
    assert unexplained == [], unexplained[:5]
    assert lost == 0
    assert applied[same] > 0 and all(applied[y] > 0 for y in range(2001, 2007)) and applied[2010] > 0


CHILD = textwrap.dedent("""
    import sys, time
    from ctatracker.store import review
    from ctatracker.store import database
    from ctatracker.model.enums import Role
    from ctatracker.store.permissions import Actor
    from ctatracker.model.schema import Observation

    db, mode, pause = sys.argv[1], sys.argv[2], sys.argv[3] == "pause"
    con = database.connect(db)
    sec = Actor(name="sec@alp.example", role=Role.SECRETARIAT)
    fp = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
    sources = [r[0] for r in con.execute("SELECT id FROM sources ORDER BY id").fetchall()][:12]
    modes = ["cars", "buses", "trucks", "vans", "two_wheelers", "three_wheelers"]
    rows = [Observation(country_iso3="IND", indicator_code="ev_imports", mode=m, year=y, value=y, source_id=s,
                        confidence="low") for y in range(1990, 2025) for m in modes for s in sources][:2000]
    changes = [review.Change.edit(r, None) for r in rows]
    batch = review.propose(con, fp, changes) if mode == "approve" else None
    if pause:  # stop in the middle of the transaction, after the first table was written
        real = database._insert_frame
        def slow(*args):
            real(*args)
            print("MIDWAY", flush=True)
            time.sleep(120)
        database._insert_frame = slow
    print("APPLYING", flush=True)
    if mode == "approve":
        review.approve(con, batch, sec)
    else:
        review.apply_changes(con, sec, changes, reasons="bulk upload crash-test.xlsx")
    print("DONE", flush=True)
""")


def _run_and_kill(db: Path, mode: str, *, pause: bool, delay: float = 0.0) -> str:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), mode, "pause" if pause else "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT)
    wanted = "MIDWAY" if pause else "APPLYING"
    for line in proc.stdout:
        if line.strip() == wanted:
            break
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)  # no chance to clean up: as if the power went
    proc.wait()
    return "finished before the kill" if finished else "killed"


def _state(db: Path) -> tuple[int, int]:
    con = connect(db)
    try:
        rows = con.execute("SELECT count(*) FROM observations WHERE indicator_code = 'ev_imports' "
                           "AND country_iso3 = 'IND'").fetchall()[0][0]
        audit = con.execute("SELECT count(*) FROM audit_log WHERE table_name = 'observations' AND "
                            "(reason LIKE 'submission %' OR reason LIKE 'bulk upload crash%')").fetchall()[0][0]
    finally:
        con.close()
    return rows, audit


@pytest.mark.parametrize("mode", ["apply", "approve"])
def test_a_bulk_apply_killed_in_the_middle_leaves_all_or_nothing(db: Path, mode: str) -> None:
    before = _state(db)
    assert _run_and_kill(db, mode, pause=True) == "killed"
    after = _state(db)
    print(f"\ncrash ({mode}, SIGKILL mid-transaction): before {before}, after reopening {after} "
          "(ev_imports rows, audit entries)")
    assert after == before  # none of the 2,000 rows, no audit entry


def test_kills_at_random_moments_are_all_or_nothing(db: Path) -> None:
    results = []
    for delay in (0.05, 0.3, 0.8, 1.5, 3.0):
        status = _run_and_kill(db, "apply", pause=False, delay=delay)
        rows, audit = _state(db)
        results.append((delay, status, rows, audit))
        assert (rows, audit) in ((0, 0), (2000, 2000)), results
        if rows:
            break
    print(f"\ncrash at random moments (delay s, outcome, rows, audit entries): {results}")
