"""Settings in one frozen object. Override with environment variables prefixed CTA_ (e.g. CTA_DB_PATH)."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the tracker keeps its data."""

    model_config = SettingsConfigDict(env_prefix="CTA_", frozen=True, extra="forbid")

    db_path: Path = PROJECT_ROOT / "data" / "tracker.duckdb"
    seed_dir: Path = PROJECT_ROOT / "data" / "seed"
    docs_dir: Path = PROJECT_ROOT / "docs"


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings."""
    return Settings()
