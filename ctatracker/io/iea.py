"""Import the IEA Global EV Data Explorer (any edition, workbook or CSV): read -> map -> plan -> write.

`read` (iea_read) and `transform` (iea_map) touch no database. `plan` compares the result with what the tracker
holds for that edition: rows to add, to update, unchanged, and conflicts (values edited in the tracker since the
last import, which are left alone unless overwrite_edits). `apply` writes the edition's source (created if absent),
the observations and the scenario values through the one write path, in one transaction, with audit entries whose
reason starts with "IEA import" (that is how a later import tells its own rows from edits made in the tracker).

The edition is read from the file: the workbook's sheet name GEVO_EV_<year> (or the citation on its Notes sheet);
for a CSV, the last historical year + 1 (IEA's Global EV Outlook <year> carries data to <year> - 1). An explicit
edition overrides both.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ctatracker.io.iea_map import Mapped, mode_of, region_iso3, transform
from ctatracker.io.iea_read import LAYOUTS, ImportRejected, Progress, RawFile, check_edition, quiet, read
from ctatracker.model.enums import Confidence, Period, Role
from ctatracker.model.schema import Observation, ScenarioValue, Source
from ctatracker.store import database
from ctatracker.store.database import WriteRejected, key_text
from ctatracker.store.permissions import SYSTEM, Actor

__all__ = ["FAMILY", "IEA_SOURCE_ID", "REASON", "ImportRejected", "Plan", "Prepared", "Summary", "apply", "mode_of",
           "plan", "prepare", "region_iso3", "run", "source_id_of"]

FAMILY = "iea-gev"
IEA_SOURCE_ID = "iea-gev-data-2023"
"""The edition the seed's sources.csv describes by hand (the 2023 extract in data/external)."""
REASON = "IEA import"
URL = "https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer"
IMPORT_ROLES = frozenset({Role.SYSTEM, Role.ADMIN, Role.SECRETARIAT})


def source_id_of(edition: int) -> str:
    """The source id of an edition: iea-gev-data-<year>."""
    return f"iea-gev-data-{edition}"


@dataclass
class Prepared:
    """A file read and mapped, ready to be planned against a database (no database touched yet)."""

    name: str
    layout: str
    edition: int
    edition_rule: str
    citation: str | None
    mapped: Mapped

    @property
    def source(self) -> Source:
        """The edition's source row, as the importer creates it when the tracker lacks it."""
        cite = self.citation or f"IEA ({self.edition}), Global EV Outlook {self.edition}"
        return Source(id=source_id_of(self.edition), publisher="IEA", year=self.edition, url=URL,
                      title=f"Global EV Data Explorer (Global EV Outlook {self.edition} edition)",
                      licence="CC BY 4.0", family=FAMILY,
                      note=f"Cite as {cite} / Global EV Data Explorer. Historical data to {self.edition - 1}; "
                           "projections are shown apart as scenarios, never as measured values.")


def _edition(raw: RawFile, mapped: Mapped, edition: int | None) -> tuple[int, str]:
    if edition is not None:
        return edition, "given by the person importing"
    if raw.sheet_year:
        return raw.sheet_year, f"the sheet name {raw.sheet}"
    if raw.citation_year:
        return raw.citation_year, "the citation on the Notes sheet"
    if mapped.last_historical_year:
        return mapped.last_historical_year + 1, (f"the last historical year ({mapped.last_historical_year}) + 1; "
                                                 "pass --edition YEAR if that is wrong")
    raise ImportRejected(f"{raw.name} holds no historical rows, so its edition cannot be told; give it "
                         "(--edition YEAR)")


def prepare(source: Path | str | bytes, covered: set[str], *, name: str | None = None, edition: int | None = None,
            progress: Progress = quiet) -> Prepared:
    """Read and map one file (no database needed). ImportRejected when it cannot be imported."""
    check_edition(edition)
    raw = read(source, name, progress)
    try:
        progress(0.45, f"Checking and mapping {raw.rows:,} rows")
        mapped = transform(raw, covered)
        found, rule = _edition(raw, mapped, edition)
    finally:
        raw.close()
    progress(0.7, f"Mapped: {len(mapped.observations):,} observations, {len(mapped.scenarios):,} scenario values")
    return Prepared(raw.name, raw.layout, found, rule, raw.citation, mapped)


@dataclass
class Plan:
    """What an import would change in the tracker."""

    prepared: Prepared
    new_source: bool
    add: list[Observation]
    update: list[Observation]
    unchanged: int
    conflicts: list[tuple[Observation, str]]  # (the file's row, what the tracker holds now)
    scenarios: list[ScenarioValue]
    scenario_changes: int
    overwrite_edits: bool = False

    @property
    def writes(self) -> list[Observation]:
        return self.add + self.update + ([o for o, _ in self.conflicts] if self.overwrite_edits else [])


@dataclass
class Summary:
    """What an import read, kept, skipped and changed (printed by the CLI, shown by the app)."""

    plan: Plan
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        p, m = self.plan.prepared, self.plan.prepared.mapped
        verb = "" if self.written else "would be "
        conflicts = len(self.plan.conflicts)
        lines = [f"{p.name}: {LAYOUTS[p.layout]}, edition {p.edition} (from {p.edition_rule}), source "
                 f"{source_id_of(p.edition)}{' (new)' if self.plan.new_source else ''}",
                 f"rows read {m.rows_read:,}, kept {m.rows_kept:,}, skipped {sum(m.skipped.values()):,}, "
                 f"exact duplicates {m.duplicates:,}"]
        lines += [f"  skipped: {reason}: {n:,}" for reason, n in sorted(m.skipped.items(), key=lambda kv: -kv[1])]
        left = ("overwritten" if self.plan.overwrite_edits else "left as they are") if conflicts else ""
        lines.append(f"observations: {len(self.plan.add):,} {verb}added, {len(self.plan.update):,} {verb}updated, "
                     f"{self.plan.unchanged:,} unchanged, {conflicts:,} conflict(s) with edits made in the tracker"
                     + (f" ({left})" if left else ""))
        lines.append(f"scenario values (projections, never observations): {len(self.plan.scenarios):,} in the "
                     f"file, {self.plan.scenario_changes:,} {verb}added or changed")
        for obs, now in self.plan.conflicts[:10]:
            lines.append(f"  conflict: {obs.country_iso3} {obs.indicator_code} {obs.mode.value} {obs.year}: the "
                         f"file says {obs.value:g}, the tracker holds {now}")
        if conflicts > 10:
            lines.append(f"  and {conflicts - 10} more conflict(s)")
        return lines


def _observations(prepared: Prepared) -> list[Observation]:
    frame, source_id = prepared.mapped.observations, source_id_of(prepared.edition)
    notes = frame["note"].astype(object).where(frame["note"].notna(), None)
    return [Observation(country_iso3=c, indicator_code=i, mode=m, year=int(y), value=float(v), source_id=source_id,
                        confidence=Confidence.HIGH, period=Period.ANNUAL, powertrains=pt, note=n)
            for c, i, m, y, v, pt, n in zip(frame["country_iso3"], frame["indicator_code"], frame["mode"],
                                            frame["year"], frame["value"], frame["powertrains"], notes, strict=True)]


def _scenarios(prepared: Prepared) -> list[ScenarioValue]:
    frame, source_id = prepared.mapped.scenarios, source_id_of(prepared.edition)
    return [ScenarioValue(country_iso3=c, indicator_code=i, mode=m, year=int(y), scenario=s, value=float(v),
                          source_id=source_id)
            for c, i, m, y, s, v in zip(frame["country_iso3"], frame["indicator_code"], frame["mode"], frame["year"],
                                        frame["scenario"], frame["value"], strict=True)]


def last_changes(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> pd.DataFrame:
    """The latest audit entry of each observation of these sources: row_key, action, reason, new_values."""
    if not source_ids:
        return pd.DataFrame(columns=["row_key", "action", "reason", "new_values"])
    like = " OR ".join("row_key LIKE ?" for _ in source_ids)
    return con.execute(f"""
        SELECT row_key, action, reason, new_values FROM audit_log
        WHERE table_name = 'observations' AND ({like})
        QUALIFY row_number() OVER (PARTITION BY row_key ORDER BY changed_at DESC) = 1""",
                       [f'%"source_id": "{s}"%' for s in source_ids]).df()


def edited_keys(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> dict[str, str]:
    """Observation keys (as the audit log writes them) whose latest change was not an IEA import -> the action."""
    latest = last_changes(con, source_ids)
    mine = latest["reason"].fillna("").str.startswith(REASON)
    return dict(zip(latest.loc[~mine, "row_key"], latest.loc[~mine, "action"], strict=True))


def _held(con: duckdb.DuckDBPyConnection, model: type[Observation | ScenarioValue], source_id: str) -> dict:
    """The tracker's rows of one edition, by key, as JSON-ready values (as write_rows compares them)."""
    cursor = con.execute(f"SELECT * FROM {model.__table__} WHERE source_id = ?", [source_id])
    names = [d[0] for d in cursor.description]
    rows = (model.model_validate(dict(zip(names, values, strict=True))) for values in cursor.fetchall())
    return {row.key(): row.model_dump(mode="json") for row in rows}


def plan(con: duckdb.DuckDBPyConnection, prepared: Prepared, *, overwrite_edits: bool = False) -> Plan:
    """Compare the file's rows with the tracker's (reads only)."""
    source = prepared.source
    new_source = not con.execute("SELECT count(*) FROM sources WHERE id = ?", [source.id]).fetchone()[0]
    rows = _observations(prepared)
    existing = _held(con, Observation, source.id)
    edited = edited_keys(con, [source.id])
    add, update, conflicts, unchanged = [], [], [], 0
    for row in rows:
        old, new = existing.get(row.key()), row.model_dump(mode="json")
        if old == new:
            unchanged += 1
        elif key_text(Observation, row.key()) in edited:
            now = "nothing (removed in the tracker)" if old is None else f"{old['value']:g}"
            conflicts.append((row, now))
        elif old is None:
            add.append(row)
        else:
            update.append(row)
    scenarios = _scenarios(prepared)
    held = _held(con, ScenarioValue, source.id)
    changes = sum(1 for s in scenarios if held.get(s.key()) != s.model_dump(mode="json"))
    return Plan(prepared, new_source, add, update, unchanged, conflicts, scenarios, changes, overwrite_edits)


def apply(con: duckdb.DuckDBPyConnection, prepared: Prepared, actor: Actor, *, overwrite_edits: bool = False,
          own_transaction: bool = True) -> Summary:
    """Plan again and write the edition's source, observations and scenario values in one transaction, audited.

    Refused (ImportRejected, nothing written) unless the actor is the secretariat, an admin or the system; the
    write path checks the same rule again for every row.
    """
    if actor.role not in IMPORT_ROLES:
        raise ImportRejected(f"{actor.name} may not import IEA data: only the secretariat and admins can")
    reason = f"{REASON} {prepared.name}".strip()
    try:
        with database.transaction(con) if own_transaction else nullcontext():  # source, rows, scenarios: all or none
            current = plan(con, prepared, overwrite_edits=overwrite_edits)
            if current.new_source:
                database.write_rows(con, [prepared.source], actor, reason=reason, own_transaction=False)
            rows = current.writes
            origins = [f"{prepared.name}: {o.country_iso3} {o.indicator_code} {o.mode.value} {o.year}" for o in rows]
            result = database.write_rows(con, rows, actor, origins=origins, reason=reason, own_transaction=False)
            scen = database.write_rows(con, current.scenarios, actor, reason=reason, own_transaction=False)
    except WriteRejected as exc:
        raise ImportRejected(f"the tracker refused the import of {prepared.name} ({len(exc.problems)} problem(s))",
                             [str(p) for p in exc.problems[:20]]) from exc
    counts = {"added": result.added, "updated": result.updated, "scenario_values": scen.added + scen.updated}
    return Summary(current, written=True, counts=counts)


def covered_countries(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> set[str]:
    """ISO3 codes of the countries the tracker covers (ImportRejected when the database has no tables)."""
    try:
        return {r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall()}
    except duckdb.CatalogException:
        raise ImportRejected(f"the database {db_path} has no tracker tables; run `python -m pipelines build` "
                             "first") from None


def run(path: Path | str, db_path: Path | str, *, edition: int | None = None, overwrite_edits: bool = False,
        dry_run: bool = False, actor: Actor = SYSTEM, progress: Progress = quiet) -> Summary:
    """Import one IEA file into the database at db_path (or only plan it, dry_run) and say what happened.

    A database held by another program raises ctatracker.store.dbfile.DatabaseUnavailable (one plain line).
    """
    if str(db_path) != ":memory:" and not Path(db_path).exists():
        raise ImportRejected(f"No database at {db_path}; run `python -m pipelines build` first.")
    con = database.connect(db_path, read_only=dry_run)
    try:
        prepared = prepare(path, covered_countries(con, db_path), edition=edition, progress=progress)
        if dry_run:
            summary = Summary(plan(con, prepared, overwrite_edits=overwrite_edits))
        else:
            progress(0.8, "Writing through the tracker's write path (one transaction)")
            summary = apply(con, prepared, actor, overwrite_edits=overwrite_edits)
        progress(1.0, "Done")
    finally:
        con.close()
    return summary


def cli_progress(printer: Callable[[str], None] = print) -> Progress:
    """A progress callback printing one line per tenth of the work (and each stage)."""
    shown: Counter[int] = Counter()

    def report(fraction: float, message: str) -> None:
        tenth = int(fraction * 10)
        if not shown[tenth] or fraction >= 1.0:
            shown[tenth] += 1
            printer(f"  {fraction:>4.0%}  {message}")
    return report


def json_summary(summary: Summary) -> str:
    """The summary's figures as JSON (for scripts and the bench)."""
    p = summary.plan
    m = p.prepared.mapped
    return json.dumps({"edition": p.prepared.edition, "rows_read": m.rows_read, "kept": m.rows_kept,
                       "skipped": dict(m.skipped), "duplicates": m.duplicates, "added": len(p.add),
                       "updated": len(p.update), "unchanged": p.unchanged, "conflicts": len(p.conflicts),
                       "scenario_values": len(p.scenarios)})
