"""Settings in one frozen object. Override with environment variables prefixed CTA_ (e.g. CTA_DB_PATH)."""

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FORMER_NAMES = {"CTA_SITE_TO": "CTA_SITE_DIR"}
"""Settings renamed: the old name is refused with the new one, never silently ignored."""


class Settings(BaseSettings):
    """Where the tracker keeps its data, and how sign-in behaves."""

    model_config = SettingsConfigDict(env_prefix="CTA_", frozen=True, extra="forbid")

    db_path: Path = PROJECT_ROOT / "data" / "tracker.duckdb"
    seed_dir: Path = PROJECT_ROOT / "data" / "seed"
    docs_dir: Path = PROJECT_ROOT / "docs"
    db_mode: Literal["auto", "read_write", "read_only"] = Field(
        "auto", description="How the app opens the database: read_write lets people edit (the app is then the "
        "only process that may open the file); auto is read_write once an account exists, else read_only.")
    viewer: bool = Field(
        False, description="Serve the public pages only, read-only, from a published snapshot (CTA_DB_PATH): no "
        "sign-in, no contribute pages, every write refused. Run as many viewers as needed behind a load balancer.")
    publish_to: Path | None = Field(
        None, description="After each change to published data (an approval, an applied suggestion, an import), "
        "the editing app writes a read-only snapshot for viewers to this file (atomically). Off when unset.")
    site_dir: Path | None = Field(
        None, description="After each change to published data, the editing app writes the public edition (static "
        "pages, `python -m pipelines site`) into this folder, in the background and in one step. Off when unset.")
    site_base_url: str | None = Field(
        None, description="The public address the edition is served at (canonical links, sitemap, link previews), "
        "e.g. https://tracker.example.org/.")
    secret_key: SecretStr | None = Field(
        None, description="Key that signs sign-in cookies; without it a key is generated in "
        "<database folder>/.cta_secret_key.")
    session_hours: float = Field(12, gt=0, description="How long a sign-in lasts.")
    max_failed_logins: int = Field(5, ge=1, description="Wrong passwords in a row that lock an account.")
    lockout_minutes: float = Field(15, gt=0, description="How long a locked account stays locked.")
    argon2_time_cost: int = Field(3, ge=1, description="Passes of the argon2id password hash (argon2's default). "
                                  "Lower it only for tests.")
    argon2_memory_kib: int = Field(65536, ge=1024, description="Memory of the argon2id password hash in KiB (64 MiB, "
                                   "argon2's default). Lower it only for tests.")
    stale_after_years: int = Field(3, ge=1, le=50, description="Reporting status: a figure (or a stage) whose "
                                   "latest year is more than this many years before the current year is stale.")
    trusted_proxies: str = Field(
        "127.0.0.0/8,::1", description="Addresses (or networks) of the reverse proxies in front of the app, comma "
        "separated: a reader's address is the right-most hop of X-Forwarded-For that is not one of them (for the "
        "public suggestions' per-client limit). The default trusts a proxy on the same machine only.")
    iati_org_ref: str = Field(
        "CTA-TRACKER", pattern=r"^[^\s/&|?]+$", description="IATI export: the reporting organisation's IATI "
        "organisation identifier (reporting-org/@ref), also the prefix of every activity identifier "
        "({ref}-{activity id}). The default is the tracker's own label, not a registered identifier: set the "
        "organisation's registered one (see org-id.guide) before the file is published to the IATI Registry.")
    iati_org_type: str = Field(
        "90", pattern=r"^\d{2}$", description="IATI export: the reporting organisation's type, a code of IATI's "
        "OrganisationType list (90 Other by default; 21 is International NGO, 40 Multilateral).")
    iati_org_name: str = Field(
        "Clean Transport Asia Tracker", min_length=1, description="IATI export: the reporting organisation's "
        "name (reporting-org/narrative).")

    @model_validator(mode="after")
    def _no_former_names(self) -> "Settings":
        """Refuse a setting under its former name, which would otherwise be ignored without a word."""
        for old, new in FORMER_NAMES.items():
            if old in os.environ:
                raise ValueError(f"{old} is now called {new}: rename it in the environment.")
        return self


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings."""
    return Settings()
