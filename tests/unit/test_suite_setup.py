"""How the suite spreads over the machine: `-n auto` starts two workers a core, and every file listed to run on one
worker exists (a renamed file would otherwise be spread over the workers unnoticed)."""

from __future__ import annotations

import os

from ctatracker.config import PROJECT_ROOT
from tests.conftest import ONE_WORKER, WORKERS_PER_CORE, pytest_xdist_auto_num_workers


def test_auto_starts_two_workers_a_core() -> None:
    assert WORKERS_PER_CORE == 2
    assert pytest_xdist_auto_num_workers(None) == 2 * len(os.sched_getaffinity(0))


def test_every_file_kept_on_one_worker_exists() -> None:
    missing = [path for path in ONE_WORKER if not (PROJECT_ROOT / path).is_file()]
    assert not missing, f"listed in ONE_WORKER (tests/conftest.py) but not found: {missing}"
