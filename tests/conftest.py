"""Shared fixtures: the real seed folder and a database built from it once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatracker.config import PROJECT_ROOT
from pipelines.seed import build

SEED_DIR = PROJECT_ROOT / "data" / "seed"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEED_DIR


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from data/seed (read it; copy it before writing)."""
    path = tmp_path_factory.mktemp("db") / "tracker.duckdb"
    build(SEED_DIR, path, progress=lambda _line: None)
    return path
