"""Who may write what. Checked in the write path for every row, whatever the caller is.

The rules, by role:

- viewer (anyone not signed in): reads published data; writes nothing but a pending public suggestion.
- focal_point: proposes changes for their own country (observations, implementation stages, policies,
  emission standards, national targets, needs) and new sources (never changes to a listed source, which every
  country shares), as pending *submissions*. A focal point
  never writes a fact table directly: the secretariat's approval applies the change.
- secretariat: reviews submissions and edits the data of any country directly, including activities,
  regional targets and sources.
- admin: everything the secretariat does, plus accounts (`users`) and the reference tables (countries,
  memberships, indicators, action areas).
- system (the seed build and importers): everything.

Nobody but the tracker itself writes the audit log.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, model_validator

from ctatracker.model.enums import Role, SubmissionStatus
from ctatracker.model.schema import TABLES, Row

REFERENCE_TABLES = frozenset({"action_areas", "countries", "memberships", "indicators"})
"""Tables only admins (and the seed build) maintain."""

PROPOSABLE_TABLES = frozenset({"observations", "commitments", "policies", "emission_standards", "targets",
                               "needs", "sources"})
"""Tables a focal point may propose changes to (rows of their own country; sources have no country)."""

SHARED_SOURCE = ("a source is shared by every country: a focal point may add a new source but not change or "
                 "remove one already listed; ask the secretariat")

SECRETARIAT_TABLES = frozenset({*PROPOSABLE_TABLES, "activities"})
"""Fact tables the secretariat edits directly."""


class Actor(BaseModel):
    """A person or process acting on the data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    role: Role
    country_iso3: str | None = None

    @model_validator(mode="after")
    def _focal_point_has_country(self) -> Actor:
        if self.role is Role.FOCAL_POINT and not self.country_iso3:
            raise ValueError("a focal point acts for one country")
        return self


SYSTEM = Actor(name="system", role=Role.SYSTEM)


def _country_of(table: str, row: Row | None) -> str | None:
    column = type(row).__country_column__ if row is not None else TABLES[table].__country_column__
    return getattr(row, column) if (row is not None and column) else None


def proposal_refusal(actor: Actor, table: str, row: Row | None, *, exists: bool = False) -> str | None:
    """Why `actor` may not *propose* (submit for review) this row of `table`, or None when allowed.

    `exists`: the row changes or removes a record already stored (rather than adding one)."""
    if actor.role is Role.VIEWER:
        return "viewers cannot propose changes; sign in as a focal point"
    if actor.role in (Role.SYSTEM, Role.ADMIN, Role.SECRETARIAT):
        return None if table in SECRETARIAT_TABLES else f"changes to {table} are not made by submission"
    if table not in PROPOSABLE_TABLES:
        return f"only the secretariat can change {table}"
    if table == "sources":
        return SHARED_SOURCE if exists else None
    country = _country_of(table, row)
    if country is None:
        return "only the secretariat can change regional records"
    if country != actor.country_iso3:
        return f"a focal point for {actor.country_iso3} cannot change data of {country}"
    return None


def _submission_refusal(actor: Actor, row: Row | None) -> str | None:
    """A focal point files submissions under their own name, pending, for their own country."""
    if row is None:
        return "only the secretariat can remove submissions"
    if row.author != actor.name:
        return "a submission is filed under its author's own name"
    if row.status not in (SubmissionStatus.PENDING, SubmissionStatus.WITHDRAWN) or row.reviewer:
        return "only the secretariat approves or rejects submissions"
    if row.table_name not in TABLES:
        return f"unknown table {row.table_name}"
    values = row.new_values or row.base_values
    try:
        target = TABLES[row.table_name].model_validate(json.loads(values)) if values else None
    except ValueError:
        return "the proposed record is not valid"
    if row.table_name != "sources" and row.country_iso3 != actor.country_iso3:
        return f"a focal point for {actor.country_iso3} cannot file submissions for {row.country_iso3}"
    return proposal_refusal(actor, row.table_name, target, exists=row.base_values is not None)


def _public_suggestion_refusal(actor: Actor, row: Row | None) -> str | None:
    """Anyone may send a suggestion, pending and unreviewed; only the secretariat (or an admin) closes one."""
    if actor.role in (Role.SECRETARIAT, Role.ADMIN):
        return None
    if row is None:
        return "only the secretariat can remove suggestions"
    if row.status != SubmissionStatus.PENDING.value or row.reviewer or row.reviewed_at or row.review_note:
        return "only the secretariat applies or dismisses suggestions"
    return None


def refusal(actor: Actor, table: str, row: Row | None) -> str | None:
    """Why `actor` may not write `row` into `table` directly, or None when allowed."""
    if actor.role is Role.SYSTEM:
        return None
    if table == "audit_log":
        return "the audit log is written by the tracker only"
    if table == "public_suggestions":
        return _public_suggestion_refusal(actor, row)
    if actor.role is Role.VIEWER:
        return "viewers cannot change data; sign in as a focal point or the secretariat"
    if actor.role is Role.ADMIN:
        return None
    if table == "users":
        return "only an admin manages accounts"
    if table in REFERENCE_TABLES:
        return f"only an admin can change {table}"
    if table == "submissions":
        return None if actor.role is Role.SECRETARIAT else _submission_refusal(actor, row)
    if actor.role is Role.SECRETARIAT:
        return None
    return ("a focal point proposes changes through a submission, which the secretariat reviews; "
            f"{table} is not written directly")
