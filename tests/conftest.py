"""Shared fixtures: the real seed folder, a database built from it once per test process (each xdist worker builds
its own in its own temporary folder), writable copies of it, and the programs some tests need from the machine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ctatracker.config import PROJECT_ROOT, settings
from pipelines.seed import build

SEED_DIR = PROJECT_ROOT / "data" / "seed"
FIXTURES = Path(__file__).parent / "fixtures"

ON_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
"""On CI everything is installed (`make test` installs it as root): a missing program fails its tests there."""


def require(missing: str | None) -> None:
    """Skip the calling test when a program it needs is missing (`missing` says which and how to install it);
    on CI fail instead, so that nothing is ever skipped there."""
    if missing:
        if ON_CI:
            pytest.fail(f"{missing} (CI installs everything: see `make test`)", pytrace=False)
        pytest.skip(missing)


CHROMIUM = "/usr/bin/chromium"


def chromium_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    return None if os.access(CHROMIUM, os.X_OK) else "Debian's chromium is missing: apt-get install -y chromium"


def kaleido_browser_missing() -> str | None:
    """Why the briefing pack's charts cannot be exported here (kaleido draws them with chromium), or None."""
    from ctatracker.briefing import figure_export

    return ("chromium is missing (kaleido draws the pack's charts with it): apt-get install -y chromium"
            if figure_export.browser_missing() else None)


def render_tools_missing() -> str | None:
    """Why the pack rendering tests cannot run here (LibreOffice and poppler), or None."""
    from pipelines import render_check

    missing = render_check.tools_missing()
    return f"{', '.join(missing)} missing: {render_check.INSTALL_HINT}" if missing else None


ONE_WORKER = {
    "tests/e2e/test_focal_point_journey.py": "one journey on one app, its tests in order",
    "tests/e2e/test_public_corrections.py": "one journey on one app, its tests in order",
    "tests/e2e/test_org_sign_in_browser.py": "one identity provider and one app for both tests",
    "tests/pipelines/test_pack_render.py": "each pack rendered by LibreOffice once",
    "tests/pipelines/test_briefing.py": "one real pack built with kaleido",
    "tests/pipelines/test_site.py": "one public edition written once and read by every test",
    "tests/e2e/test_site_browser.py": "one public edition on one web server for every page and width",
    "tests/deploy/test_edition_nginx.py": "one public edition behind one nginx for every test",
    "tests/e2e/test_plain_words_roles.py": "one app with every role's queues filled, for each role",
    "tests/app/test_surfaces_agree.py": "the findings and every profile computed once for every test",
    "tests/pipelines/test_edgar.py": "the real EDGAR workbook imported once for every test that reads it",
}
"""Test files whose tests all go to the same xdist worker, and why."""


class _Scheduling:
    """Under `pytest -n`: tests are handed to the workers one at a time, except those of a file in ONE_WORKER,
    which go together to one worker (the files with the most tests first)."""

    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log):
        if config.getvalue("dist") != "load":  # another mode asked for with --dist
            return None
        from xdist.scheduler import LoadScopeScheduling

        class OneWorkerPerListedFile(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                path = nodeid.split("::", 1)[0]
                return path if path in ONE_WORKER else nodeid

        return OneWorkerPerListedFile(config, log)


WORKERS_PER_CORE = 2
"""Under `pytest -n auto`: two test processes per core. A browser test spends much of its time waiting on the app
and the browser it drives, so one worker a core leaves a third of the machine idle (on 2 cores, the whole suite:
20.9 min with 2 workers, the cores 61% busy; 14.6 min with 4, the cores 99% busy)."""


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers `-n auto` starts: WORKERS_PER_CORE for each core this process may run on."""
    return WORKERS_PER_CORE * len(os.sched_getaffinity(0))


def pytest_configure(config: pytest.Config) -> None:
    # Passwords are hashed at a low argon2 cost in tests (servers and commands started by tests inherit it);
    # tests/unit/test_auth.py checks the cost the app uses when nothing is set.
    os.environ["CTA_ARGON2_TIME_COST"] = "1"
    os.environ["CTA_ARGON2_MEMORY_KIB"] = "1024"
    settings.cache_clear()
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_Scheduling(), "cta-scheduling")


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from data/seed (read it; copy it before writing, e.g. with `seed_copy`)."""
    path = tmp_path_factory.mktemp("db") / "tracker.duckdb"
    build(SEED_DIR, path, progress=lambda _line: None)
    return path


@pytest.fixture()
def seed_copy(built_db: Path, tmp_path: Path) -> Path:
    """A copy of the seed database in the test's own folder, to write to."""
    path = tmp_path / "tracker.duckdb"
    shutil.copyfile(built_db, path)
    return path

