"""Row model of a public suggestion: a reader flags a figure and proposes a correction, for the secretariat."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, field_validator

from ctatracker.model.accounts import Email
from ctatracker.model.base import Iso3, Row, SecureLink

MAX_PROPOSED = 1000
MAX_NOTE = 2000
FLAGGABLE_TABLES = ("observations", "commitments", "emission_standards", "policies", "countries")
"""What a reader may flag: a figure, an implementation stage, an emission standard, a policy; a suggestion filed
against a country itself proposes a figure the tracker does not hold yet."""


class SuggestionStatus(StrEnum):
    """Where a public suggestion stands."""

    PENDING = "pending"
    APPLIED = "applied"
    DISMISSED = "dismissed"


class PublicSuggestion(Row):
    """A correction proposed by a reader: never published until a reviewer applies it through the write path."""

    __table__ = "public_suggestions"
    __primary_key__ = ("id",)
    __references__ = {"country_iso3": ("countries", "iso3")}
    __country_column__ = "country_iso3"
    __audit_redact__ = ("email", "session", "client")

    id: str = Field(max_length=40, description="Unique id of the suggestion.")
    created_at: dt.datetime = Field(description="When it was sent (UTC).")
    table_name: str = Field(max_length=60, description="Table of the flagged record: observations (a figure), "
                            "commitments (a stage), emission_standards, policies, or countries (a new figure).")
    row_key: str = Field(max_length=1000, description="Primary key of the flagged record, as JSON.")
    country_iso3: Iso3 | None = Field(None, description="Country of the flagged record.")
    figure: str = Field(min_length=1, max_length=500, description="The flagged figure in words, as the reader "
                        "saw it.")
    proposed: str = Field(min_length=1, max_length=MAX_PROPOSED, description="The value or text the reader "
                          "proposes instead.")
    source_url: SecureLink = Field(description="Where the proposed value is published (https).")
    note: str | None = Field(None, max_length=MAX_NOTE, description="The reader's explanation, if any.")
    email: Email | None = Field(None, description="The reader's email, if given, for the reviewer's answer; "
                                "never shown publicly.")
    session: str = Field(max_length=64, description="Hash of the browser session that sent it (for the "
                         "per-session limit); not the session itself.")
    client: str | None = Field(None, max_length=64, description="Hash of the address it was sent from (an IPv6 "
                               "address's /64 network), for the per-client limit; not the address itself.")
    status: SuggestionStatus = Field(description="pending, applied (a figure corrected, or a flagged record marked "
                                     "handled) or dismissed.")
    reviewer: str | None = Field(None, max_length=254, description="Who applied or dismissed it.")
    reviewed_at: dt.datetime | None = Field(None, description="When it was applied or dismissed (UTC).")
    review_note: str | None = Field(None, max_length=4000, description="The reviewer's note on what was done.")

    @field_validator("table_name")
    @classmethod
    def _flaggable(cls, table: str) -> str:
        if table not in FLAGGABLE_TABLES:
            raise ValueError("only a figure, a stage, a standard or a policy can be flagged")
        return table
