"""Review: focal points propose changes as submissions; the secretariat approves (applies) or rejects them.

A submission keeps the record as its author saw it. Approving applies every change of its batch in one
transaction through the write path, with the reason "submission <id>" in the audit log; if a record changed
since the author saw it, nothing is applied and RecordChanged shows the new value.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from ctatracker.model.enums import AuditAction, SubmissionStatus
from ctatracker.model.schema import TABLES, Row, Submission
from ctatracker.store import contributions
from ctatracker.store.database import (
    Problem,
    RecordChanged,
    WriteRejected,
    check_rows,
    current_record,
    delete_rows,
    key_text,
    transaction,
    write_rows,
)
from ctatracker.store.permissions import SYSTEM, Actor
from ctatracker.text.naming import Namer, field_words, value_words

_ORDER = {table: i for i, table in enumerate(TABLES)}


@dataclass(frozen=True)
class Change:
    """One change to one record as an editor made it: the new version (None removes it) and what they saw."""

    table: str
    key: tuple
    new: Row | None
    base: dict | None

    @classmethod
    def edit(cls, row: Row, base: dict | None) -> Change:
        """Insert or update `row`; `base` is the record as the editor saw it (None if it did not exist)."""
        return cls(type(row).__table__, row.key(), row, base)

    @classmethod
    def remove(cls, model: type[Row], base: dict) -> Change:
        """Remove the record the editor saw as `base`."""
        return cls(model.__table__, model.model_validate(base).key(), None, base)

    @property
    def model(self) -> type[Row]:
        return TABLES[self.table]

    @property
    def action(self) -> AuditAction:
        if self.new is None:
            return AuditAction.DELETE
        return AuditAction.UPDATE if self.base else AuditAction.INSERT


def unchanged(change: Change) -> bool:
    """True for an edit that leaves every field of the record as it was (compared as they are stored)."""
    return (change.new is not None and change.base is not None
            and not field_changes(json.loads(json.dumps(change.base)), json.loads(change.new.model_dump_json())))


def change_now(con: duckdb.DuckDBPyConnection, row: Row) -> Change:
    """A change to `row` based on the record as it is stored right now."""
    return Change.edit(row, current_record(con, type(row), row.key()))


def check_changes(con: duckdb.DuckDBPyConnection, changes: Sequence[Change],
                  origins: Sequence[str] | None = None) -> list[Problem]:
    """Data problems of a set of changes taken together (references, ranges, duplicate records)."""
    origins = list(origins) if origins is not None else [f"change {i + 1}" for i in range(len(changes))]
    known = {"sources.id": [c.new.id for c in changes if c.table == "sources" and c.new is not None]}
    problems: list[Problem] = []
    for table in sorted({c.table for c in changes}, key=_ORDER.__getitem__):
        picked = [(c.new, o) for c, o in zip(changes, origins, strict=True) if c.table == table and c.new]
        if picked:
            rows, where = zip(*picked, strict=True)
            problems += check_rows(con, list(rows), SYSTEM, list(where), known)
    return problems


def propose(con: duckdb.DuckDBPyConnection, actor: Actor, changes: Sequence[Change], *, note: str | None = None,
            origins: Sequence[str] | None = None, revert_of: str | None = None) -> str:
    """File changes as one pending batch of submissions (all or none); returns the batch id.

    Permission to propose is enforced by the write path when the submissions are written.
    """
    kept = [i for i, change in enumerate(changes) if not unchanged(change)]  # an edit that changes no field
    changes = [changes[i] for i in kept]
    origins = [origins[i] for i in kept] if origins is not None else None
    if not changes:
        raise WriteRejected([Problem("submission", None, "there is nothing to submit: no value differs")])
    problems = check_changes(con, changes, origins)
    if problems:
        raise WriteRejected(problems)
    for change in changes:  # already out of date: say so now rather than at review
        now = current_record(con, change.model, change.key)
        if now != change.base:
            raise RecordChanged(change.table, [(key_text(change.model, change.key), change.base, now)])
    _refuse_duplicates(con, changes)
    batch_id = uuid.uuid4().hex
    now = _now()
    subs = []
    for position, change in enumerate(changes):
        record = change.new or change.model.model_validate(change.base)
        column = change.model.__country_column__
        subs.append(Submission(
            id=uuid.uuid4().hex, batch_id=batch_id, position=position, created_at=now, author=actor.name,
            author_role=actor.role, country_iso3=(getattr(record, column) if column else None) or actor.country_iso3,
            table_name=change.table, row_key=key_text(change.model, change.key), action=change.action,
            base_values=json.dumps(change.base) if change.base else None,
            new_values=change.new.model_dump_json() if change.new else None, note=note or None,
            status=SubmissionStatus.PENDING, revert_of=revert_of))
    write_rows(con, subs, actor, reason=f"submitted batch {batch_id}")
    return batch_id


def _refuse_duplicates(con: duckdb.DuckDBPyConnection, changes: Sequence[Change]) -> None:
    """Refuse changes identical to one already waiting for review (same record, same proposed values)."""
    problems, namer = [], None
    for change in changes:
        new = change.new.model_dump_json() if change.new else None
        rows = con.execute(
            "SELECT created_at FROM submissions WHERE status = 'pending' AND table_name = ? AND row_key = ? "
            "AND new_values IS NOT DISTINCT FROM ? ORDER BY created_at LIMIT 1",
            [change.table, key_text(change.model, change.key), new]).fetchall()
        if rows:
            namer = namer or Namer(con)
            name = namer.record(change.table, key_text(change.model, change.key))
            problems.append(Problem(
                change.table, None, f"the same change ({name}) is already "
                f"waiting for review (submitted {rows[0][0]:%d %b %Y at %H:%M} UTC); nothing was submitted"))
    if problems:
        raise WriteRejected(problems)


def apply_changes(con: duckdb.DuckDBPyConnection, actor: Actor, changes: Sequence[Change], *,
                  reasons: Sequence[str] | str | None = None, own_transaction: bool = True) -> int:
    """Apply changes directly (secretariat edits, approvals): one transaction, each checked against its base.

    Returns how many records were added, changed or removed.
    """
    reasons = [reasons] * len(changes) if reasons is None or isinstance(reasons, str) else list(reasons)
    pairs = list(zip(changes, reasons, strict=True))
    count = 0

    def run() -> None:
        nonlocal count
        tables = sorted({c.table for c in changes}, key=_ORDER.__getitem__)
        for table in tables:  # referenced tables first (a new source before the figures citing it)
            ups = [(c, r) for c, r in pairs if c.table == table and c.new is not None]
            if ups:
                result = write_rows(con, [c.new for c, _ in ups], actor, reason=[r for _, r in ups],
                                    expected={c.key: c.base for c, _ in ups}, own_transaction=False)
                count += result.added + result.updated
        for table in reversed(tables):  # removals the other way round
            downs = [(c, r) for c, r in pairs if c.table == table and c.new is None]
            if downs:
                count += delete_rows(con, TABLES[table], [c.key for c, _ in downs], actor,
                                     reason=[r for _, r in downs], expected={c.key: c.base for c, _ in downs},
                                     own_transaction=False)

    if own_transaction:
        with transaction(con):
            run()
    else:
        run()
    return count


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def changes_of(subs: Sequence[Submission]) -> list[Change]:
    """The changes a batch of submissions proposes."""
    out = []
    for sub in subs:
        model = TABLES[sub.table_name]
        base = json.loads(sub.base_values) if sub.base_values else None
        if sub.new_values:
            out.append(Change.edit(model.model_validate_json(sub.new_values), base))
        else:
            out.append(Change.remove(model, base or {}))
    return out


_DONE_BY = {SubmissionStatus.APPROVED: "by {reviewer}", SubmissionStatus.REJECTED: "by {reviewer}",
            SubmissionStatus.WITHDRAWN: "by its author"}


def _pending(con: duckdb.DuckDBPyConnection, batch_id: str, on_screen: str | None = None) -> list[Submission]:
    """The submissions of a batch that is still pending and is the one on screen; else refused, nothing done.

    `on_screen` is the batch the person's page showed when they acted (None: a caller acting by id alone).
    """
    subs = contributions.batch(con, batch_id)
    if not subs:
        raise WriteRejected([Problem(f"batch {batch_id[:8]}", None, "no such submission; nothing was done")])
    done = [s for s in subs if s.status is not SubmissionStatus.PENDING]
    if done:
        when = f" on {done[0].reviewed_at:%d %b %Y at %H:%M} UTC" if done[0].reviewed_at else ""
        what = _DONE_BY[done[0].status].format(reviewer=done[0].reviewer or "a reviewer")
        raise WriteRejected([Problem(f"batch {batch_id[:8]}", None,
                                     f"this submission is already {done[0].status.value} ({what}{when}); nothing "
                                     "was done")])
    if on_screen is not None and on_screen != batch_id:
        raise WriteRejected([Problem(f"batch {batch_id[:8]}", None, "this submission is not the one on screen: "
                                     "the list changed while you were looking at it; nothing was done. Look at the "
                                     "submission shown now and choose again")])
    return subs


def _close(con: duckdb.DuckDBPyConnection, subs: Sequence[Submission], by: Actor, status: SubmissionStatus,
           comment: str | None) -> None:
    closed = [s.model_copy(update={"status": status, "reviewer": by.name if status != SubmissionStatus.WITHDRAWN
                                   else None, "reviewed_at": _now(), "review_comment": comment or None})
              for s in subs]
    write_rows(con, closed, by, reason=f"{status.value} batch {subs[0].batch_id}", own_transaction=False)


def approve(con: duckdb.DuckDBPyConnection, batch_id: str, reviewer: Actor, comment: str | None = None, *,
            on_screen: str | None = None) -> int:
    """Apply every change of a pending batch and mark it approved, in one transaction.

    `batch_id` is the batch the reviewer was shown; `on_screen` the one their page shows now (refused if they
    differ). Raises RecordChanged (a record differs from what the author saw), WriteRejected (no longer pending,
    not the one on screen) or WriteConflict; in each case nothing was applied.
    """
    with transaction(con):
        subs = _pending(con, batch_id, on_screen)
        count = apply_changes(con, reviewer, changes_of(subs), reasons=[f"submission {s.id}" for s in subs],
                              own_transaction=False)
        _close(con, subs, reviewer, SubmissionStatus.APPROVED, comment)
    return count


def reject(con: duckdb.DuckDBPyConnection, batch_id: str, reviewer: Actor, comment: str, *,
           on_screen: str | None = None) -> None:
    """Turn a pending batch down with a comment for its author; nothing is applied (see approve for on_screen)."""
    with transaction(con):
        subs = _pending(con, batch_id, on_screen)
        if not (comment or "").strip():
            raise WriteRejected([Problem("comment", "review_comment",
                                         "say why, so that the focal point can correct and resubmit")])
        _close(con, subs, reviewer, SubmissionStatus.REJECTED, comment.strip())


def withdraw(con: duckdb.DuckDBPyConnection, batch_id: str, author: Actor, *, on_screen: str | None = None) -> None:
    """The author takes back their own pending batch (see approve for on_screen)."""
    with transaction(con):
        subs = _pending(con, batch_id, on_screen)
        if any(s.author != author.name for s in subs):
            raise WriteRejected([Problem(f"batch {batch_id}", None, "only its author can withdraw a submission")])
        _close(con, subs, author, SubmissionStatus.WITHDRAWN, None)


def revert(con: duckdb.DuckDBPyConnection, audit_id: str, actor: Actor, note: str | None = None, *,
           on_screen: str | None = None) -> str:
    """Propose undoing one applied change: a new submission that puts the record back as it was before it.

    `audit_id` is the change the person was shown; `on_screen` the one their page shows now (refused if they
    differ).
    """
    if on_screen is not None and on_screen != audit_id:
        raise WriteRejected([Problem(f"change {audit_id[:8]}", None, "this change is not the one on screen: the "
                                     "list changed while you were looking at it; nothing was done. Look at the "
                                     "change shown now and choose again")])
    entry = contributions.audit_entry(con, audit_id)
    if entry is None or entry["table_name"] not in contributions.FACT_TABLE_NAMES:
        raise WriteRejected([Problem(f"change {audit_id}", None, "no such change to published data")])
    model = TABLES[entry["table_name"]]
    after = json.loads(entry["new_values"]) if entry["new_values"] else None
    before = json.loads(entry["old_values"]) if entry["old_values"] else None
    key = model.model_validate(after or before).key()
    current = current_record(con, model, key)
    if current != after:
        raise WriteRejected([Problem(f"change {audit_id}", None, "the record has changed again since: revert the "
                                     "latest change first, or edit the record")])
    change = Change.edit(model.model_validate(before), current) if before else Change.remove(model, current)
    text = note or f"revert of the change made {entry['changed_at']:%d %b %Y %H:%M} by {entry['actor']}"
    return propose(con, actor, [change], note=text, revert_of=audit_id)


def field_changes(old: dict | None, new: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field that differs between two versions of a record."""
    old, new = old or {}, new or {}
    return [(c, old.get(c), new.get(c)) for c in dict.fromkeys([*old, *new]) if old.get(c) != new.get(c)]


def describe(old: dict | None, new: dict | None, limit: int | None = 80, namer: Namer | None = None) -> str:
    """A change in words: 'value: 7.7 → 8.1; note: empty → ...'; values longer than `limit` are cut (None: never).
    Fields and codes are put in words, and with a `namer` a country, indicator, area or source by its name."""
    if new is None:
        return "removed"
    parts = []
    for field, before, after in field_changes(old, new):
        name = field_words(field)
        shown = [value_words(field, v, namer) for v in (before, after)]
        shown = [t if limit is None or len(t) <= limit else t[:limit - 3] + "..." for t in shown]
        parts.append(f"{name}: {shown[1]}" if old is None else f"{name}: {shown[0]} → {shown[1]}")
    return ("new record: " if old is None else "") + "; ".join(parts)


DATING_FIELDS = ("as_of", "date", "year", "source_id")
"""The fields that say when a record's claim was made and who made it: shown beside every change in review."""
ASSESSED_FIELDS = ("stage", "summary")
"""A change to any of these is a new assessment: it needs its own date and source."""


def dating(old: dict | None, new: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) of a record's date and source fields, changed or not, for the reviewer."""
    old, new = old or {}, new or {}
    return [(c, old.get(c), new.get(c)) for c in DATING_FIELDS if c in new or c in old]


def fresh_assessment(base: dict | None, values: dict) -> tuple[dict, dict[str, str]]:
    """An assessment's values with its date and source checked: when the stage or summary changed, the date
    (`as_of`) must be given and differ from the earlier one, and a source must be chosen; when neither changed,
    an empty date or source keeps the earlier one. Returns (values to save, problems by field)."""
    out = dict(values)
    if base is None:
        return out, {}
    changed = any(out.get(f) != base.get(f) for f in ASSESSED_FIELDS)
    problems: dict[str, str] = {}
    if not changed:
        out["as_of"] = out.get("as_of") or base.get("as_of")
        out["source_id"] = out.get("source_id") or base.get("source_id")
        return out, problems
    before = base.get("as_of")
    if out.get("as_of") is None or str(out["as_of"]) == str(before):
        problems["as_of"] = (f"the stage or its summary changed: give the date of this new assessment (the earlier "
                             f"one is dated {before})")
    if not out.get("source_id"):
        problems["source_id"] = ("the stage or its summary changed: choose the source of this new assessment, or add "
                                 "it as a new source")
    return out, problems
