"""Row models of the tracker's own records: the audit log, accounts, submissions and country needs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ctatracker.model.base import Iso3, Row, Slug, Text
from ctatracker.model.enums import ActionAreaCode, AuditAction, Role, SubmissionStatus


class AuditEntry(Row):
    """One applied change: who, when, which record, old and new values."""

    __table__ = "audit_log"
    __primary_key__ = ("id",)

    id: str = Field(description="Unique id of the entry.")
    changed_at: dt.datetime = Field(description="When the change was applied (UTC).")
    actor: str = Field(description="Who made the change.")
    actor_role: Role = Field(description="The role they acted in.")
    table_name: str = Field(description="Table changed.")
    row_key: str = Field(description="Primary key of the changed row, as JSON.")
    action: AuditAction = Field(description="insert, update or delete.")
    old_values: str | None = Field(None, description="Row before the change, as JSON.")
    new_values: str | None = Field(None, description="Row after the change, as JSON.")
    reason: str | None = Field(None, description="Why: the import, build or submission that caused it.")


_LOCAL_PART = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
"""The part before the @ as mail systems accept it unquoted (RFC 5322): no <, >, quotes, spaces or controls."""
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]"
"""A domain name: dot-separated labels of letters, digits and hyphens (internationalised ones as xn--)."""


def _email(text: str) -> str:
    text = text.strip().lower()
    if any(not c.isprintable() for c in text):
        raise ValueError("an email address cannot hold invisible control characters")
    if not re.fullmatch(rf"{_LOCAL_PART}@{_DOMAIN}", text) or len(text.split("@")[0]) > 64:
        raise ValueError(f"'{text[:80]}' is not an email address")
    return text


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
ACCOUNT_ROLES = (Role.FOCAL_POINT, Role.SECRETARIAT, Role.ADMIN)


class Need(Row):
    """A country's needs and challenges in one action area, in its own words (seeded empty, filled by edits)."""

    __table__ = "needs"
    __primary_key__ = ("country_iso3", "action_area_code")
    __references__ = {
        "country_iso3": ("countries", "iso3"),
        "action_area_code": ("action_areas", "code"),
        "source_id": ("sources", "id"),
    }
    __country_column__ = "country_iso3"

    country_iso3: Iso3 = Field(description="Country.")
    action_area_code: ActionAreaCode = Field(description="Action area.")
    need: Text = Field(description="Needs and challenges in this area: support, finance, data, capacity.")
    source_id: Slug | None = Field(None, description="Source that documents the need, if any.")
    submitted_by: str = Field(max_length=254, description="Who wrote it (the focal point's email).")


MAX_REQUEST = 1000
"""Characters a country's request for an offer of the catalogue may hold."""


class SupportRequest(BaseModel):
    """A country's request for one offer of the technical-assistance catalogue, as its focal point typed it: checked
    before it becomes a proposed change to the country's needs in the offer's action area."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    offer_id: Slug = Field(description="The catalogue offer asked for.")
    country_iso3: Iso3 = Field(description="The country asking.")
    why: str = Field(min_length=1, max_length=MAX_REQUEST, description="What the country needs from this "
                     "support, in its own words.")


class User(Row):
    """An account that may sign in: its role and, for a focal point, its country."""

    __table__ = "users"
    __primary_key__ = ("email",)
    __references__ = {"country_iso3": ("countries", "iso3")}
    __audit_redact__ = ("password_hash",)

    email: Email = Field(description="Sign-in name: the person's email address, lower case.")
    name: Text = Field(description="Name shown to reviewers and in the history.")
    role: Role = Field(description="focal_point, secretariat or admin.")
    country_iso3: Iso3 | None = Field(None, description="Country a focal point acts for; empty for other roles.")
    password_hash: str | None = Field(None, max_length=500, description="argon2id hash of the password; "
                                      "empty for an account that signs in only through single sign-on.")
    active: bool = Field(True, description="False when the account is switched off.")
    failed_logins: int = Field(0, ge=0, description="Wrong passwords in a row since the last good sign-in.")
    locked_until: dt.datetime | None = Field(None, description="No sign-in until this time (UTC) after "
                                             "too many wrong passwords.")
    sessions_after: dt.datetime | None = Field(None, description="Sign-ins made before this time (UTC) no "
                                               "longer count: set when the person signs out.")
    created_at: dt.datetime = Field(description="When the account was created (UTC).")

    @model_validator(mode="after")
    def _role_fits(self) -> User:
        if self.role not in ACCOUNT_ROLES:
            raise ValueError("an account's role is focal_point, secretariat or admin")
        if self.role is Role.FOCAL_POINT and not self.country_iso3:
            raise ValueError("a focal point account needs a country")
        if self.role is not Role.FOCAL_POINT and self.country_iso3:
            raise ValueError("only focal point accounts have a country")
        return self


class Submission(Row):
    """A proposed change to one record, waiting for (or past) the secretariat's review."""

    __table__ = "submissions"
    __primary_key__ = ("id",)
    __references__ = {"country_iso3": ("countries", "iso3")}
    __country_column__ = "country_iso3"

    id: str = Field(max_length=40, description="Unique id of the submission.")
    batch_id: str = Field(max_length=40, description="Changes sent together (one form or one upload): "
                          "reviewed and applied together, all or nothing.")
    position: int = Field(ge=0, description="Order of the change within its batch.")
    created_at: dt.datetime = Field(description="When it was submitted (UTC).")
    author: str = Field(max_length=254, description="Who proposed it (email).")
    author_role: Role = Field(description="The role they proposed it in.")
    country_iso3: Iso3 | None = Field(None, description="Country the change is for.")
    table_name: str = Field(max_length=60, description="Table the change is for.")
    row_key: str = Field(description="Primary key of the record, as JSON.")
    action: AuditAction = Field(description="insert, update or delete.")
    base_values: str | None = Field(None, description="The record as the author saw it, as JSON; empty for "
                                    "a new record. Applying is refused if the record has changed since.")
    new_values: str | None = Field(None, description="The record as proposed, as JSON; empty for a deletion.")
    note: str | None = Field(None, max_length=4000, description="The author's explanation.")
    status: SubmissionStatus = Field(description="pending, approved, rejected or withdrawn.")
    reviewer: str | None = Field(None, max_length=254, description="Who approved or rejected it.")
    reviewed_at: dt.datetime | None = Field(None, description="When it was approved or rejected (UTC).")
    review_comment: str | None = Field(None, max_length=4000, description="The reviewer's comment.")
    revert_of: str | None = Field(None, max_length=40, description="Audit entry this change reverts, if any.")
