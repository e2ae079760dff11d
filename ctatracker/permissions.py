"""Who may write what. Checked in the write path for every row, whatever the caller is."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

from ctatracker.enums import Role
from ctatracker.schema import Row

REFERENCE_TABLES = frozenset({"action_areas", "countries", "memberships", "indicators"})
"""Tables only the secretariat and admins maintain."""


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


def refusal(actor: Actor, table: str, row: Row | None) -> str | None:
    """Why `actor` may not write `row` into `table`, or None when allowed."""
    if actor.role in (Role.SYSTEM, Role.ADMIN):
        return None
    if actor.role is Role.VIEWER:
        return "viewers cannot change data; sign in as a focal point or the secretariat"
    if table == "audit_log":
        return "the audit log is written by the tracker only"
    if actor.role is Role.SECRETARIAT:
        return None
    # focal point
    if table in REFERENCE_TABLES:
        return f"only the secretariat can change {table}"
    if table == "sources":
        return None
    column = type(row).__country_column__ if row is not None else None
    country = getattr(row, column) if column else None
    if country is None:
        return "only the secretariat can change regional records"
    if country != actor.country_iso3:
        return f"a focal point for {actor.country_iso3} cannot change data of {country}"
    return None
