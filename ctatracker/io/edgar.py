"""Import EDGAR's GHG booklet workbook (JRC/IEA, any edition): read -> map -> plan -> write, as the IEA importer.

`read` (edgar_read) and `transform` (edgar_map) touch no database. `plan` compares the figures with what the
tracker holds for that edition: rows to add, to update, unchanged, and conflicts (values edited in the tracker
since the last import, left alone unless overwrite_edits). `apply` writes the edition's source (created if absent,
with its citation and conditions of use as the workbook gives them) and the observations through the one write
path, in one transaction, with audit entries whose reason holds "EDGAR import" (that is how a later import tells
its own rows from edits made in the tracker). Each edition is its own source (`edgar-ghg-<year>`, family
`edgar-ghg`): importing an older edition adds that edition's figures and never replaces a newer edition's.

The edition is read from the file: the version EDGAR_<year>_GHG on the `citations and references` sheet, else the
report's title on the `info` sheet ("GHG emissions of all world countries, <year> Report").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from pydantic import ValidationError

from ctatracker.io import edgar_read
from ctatracker.io.edgar_map import CO2, GHG, Mapped, transform
from ctatracker.io.edgar_read import LAYOUTS, EdgarFile, ImportRejected, Progress, quiet
from ctatracker.io.iea import IMPORT_ROLES, cli_progress, last_changes
from ctatracker.io.iea_read import check_edition
from ctatracker.model.enums import Confidence, Mode, Period
from ctatracker.model.schema import Observation, Source
from ctatracker.store import database
from ctatracker.store.database import WriteRejected, key_text
from ctatracker.store.permissions import SYSTEM, Actor

__all__ = ["FAMILY", "LAYOUTS", "REASON", "ImportRejected", "Plan", "Prepared", "Summary", "apply", "cli_progress",
           "looks_like", "plan", "prepare", "run", "source_id_of"]

FAMILY = "edgar-ghg"
REASON = "EDGAR import"
BUILD_REASON = f"seed build: {REASON}"
"""The reason of the rows the seed build imports (the build's rows are the tracker's starting data)."""
WORDS = {CO2: "transport CO2", GHG: "transport greenhouse gases (CO2 + CH4 + N2O)"}
looks_like = edgar_read.looks_like


def source_id_of(edition: int) -> str:
    """The source id of an edition: edgar-ghg-<year>."""
    return f"edgar-ghg-{edition}"


def _notes(raw: EdgarFile, gwp: str | None) -> dict[str, str]:
    """The note each indicator's figures carry: what they cover, and for the total the GWP basis."""
    version = raw.version or "EDGAR"
    return {CO2: f"{version}: fossil CO2 of EDGAR's Transport sector (mobile combustion: road, rail, ship and "
                 "aviation; international aviation and shipping are counted apart, in no country), IEA-EDGAR CO2.",
            GHG: f"{version}: fossil CO2 + CH4 + N2O of EDGAR's Transport sector in CO2-equivalent, CH4 and N2O "
                 f"weighted with {gwp or 'the GWP the workbook uses'} as the workbook gives them; F-gases not "
                 "included; only years where all three gases are given."}


@dataclass
class Prepared:
    """A workbook read and mapped, ready to be planned against a database (no database touched yet)."""

    name: str
    edition: int
    edition_rule: str
    raw: EdgarFile
    mapped: Mapped
    countries: dict[str, str]  # the tracker's countries: iso3 -> name
    layout: str = "edgar-workbook"
    observations: list[Observation] = field(default_factory=list)

    @property
    def source(self) -> Source:
        """The edition's source row, as the importer creates it when the tracker lacks it."""
        raw, e = self.raw, self.edition
        use = (f"Conditions of use (as the workbook gives them): EDGAR's own material {raw.licence or 'not stated'}; "
               f"IEA-EDGAR CO2 (fossil CO2) {raw.co2_licence}"
               + (f", other uses to be asked of the IEA ({raw.co2_contact})" if raw.co2_contact else "")
               + ". Every figure taken from this edition holds fossil CO2 (transport CO2, and the greenhouse-gas "
               "total that adds CH4 and N2O to it), so the fossil CO2 licence applies to all of them.")
        parts = [f"Cite as: {raw.report_citation}" if raw.report_citation else None,
                 f"Data: {raw.data_citation}" if raw.data_citation else None, raw.co2_citation, use]
        return Source(id=source_id_of(e), publisher="European Commission, Joint Research Centre (JRC)",
                      title=f"EDGAR Community GHG Database, {e} edition "
                            f"({raw.report_title or f'GHG emissions of all world countries, {e} Report'})",
                      year=e, url=raw.website or f"https://edgar.jrc.ec.europa.eu/report_{e}",
                      licence=raw.co2_licence, family=FAMILY, note=" ".join(p for p in parts if p)[:4000],
                      attribution=f"EDGAR {e} (JRC/IEA), IEA-EDGAR CO2, EDGAR CH4 and EDGAR N2O")


def _edition(raw: EdgarFile, edition: int | None) -> tuple[int, str]:
    if edition is not None:
        return edition, "given by the person importing"
    if raw.version_year:
        return raw.version_year, f"the version {raw.version} on the citations sheet"
    if raw.report_year:
        return raw.report_year, "the report's title on the info sheet"
    raise ImportRejected(f"{raw.name} names no edition (no version EDGAR_<year>_GHG on its citations sheet and no "
                         "report title on its info sheet); give it (--edition YEAR)")


def _check_terms(raw: EdgarFile) -> None:
    """The workbook must say on what terms its fossil CO2 may be used, and give its figures in Mt."""
    if not raw.co2_licence:
        raise ImportRejected(f"{raw.name} does not state the conditions of use of its fossil CO2 figures (sheet "
                             "'citations and references'); the tracker needs them to publish the figures")
    if raw.unit and not raw.unit.casefold().startswith("mt"):
        raise ImportRejected(f"{raw.name} gives its sector figures in {raw.unit}; the tracker takes Mt per year")


def prepare(source: Path | str | bytes, covered: Mapping[str, str] | set[str], *, name: str | None = None,
            edition: int | None = None, progress: Progress = quiet) -> Prepared:
    """Read and map one workbook (no database needed). ImportRejected when it cannot be imported."""
    check_edition(edition)
    raw = edgar_read.read(source, name, progress)
    _check_terms(raw)
    found, rule = _edition(raw, edition)
    countries = dict(covered) if isinstance(covered, Mapping) else {c: c for c in covered}
    progress(0.65, f"Checking and mapping {len(raw.rows):,} rows")
    mapped = transform(raw, set(countries))
    notes, source_id = _notes(raw, mapped.gwp), source_id_of(found)
    try:
        rows = [Observation(country_iso3=iso3, indicator_code=code, mode=Mode.NOT_APPLICABLE, year=year, value=value,
                            source_id=source_id, confidence=Confidence.HIGH, period=Period.ANNUAL, note=notes[code])
                for (code, iso3, year), value in sorted(mapped.figures.items())]
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ImportRejected(f"{raw.name} was rejected whole: a figure cannot be stored ({first['msg']})") from None
    progress(0.75, f"Mapped: {mapped.count(CO2):,} transport CO2 and {mapped.count(GHG):,} greenhouse-gas figures")
    return Prepared(raw.name, found, rule, raw, mapped, countries, observations=rows)


@dataclass
class Plan:
    """What an import would change in the tracker."""

    prepared: Prepared
    new_source: bool
    add: list[Observation]
    update: list[Observation]
    unchanged: int
    conflicts: list[tuple[Observation, str]]  # (the file's row, what the tracker holds now)
    overwrite_edits: bool = False
    scenarios: tuple = ()  # EDGAR publishes no projections (kept for the import page, which shows both kinds)
    scenario_changes: int = 0

    @property
    def writes(self) -> list[Observation]:
        return self.add + self.update + ([o for o, _ in self.conflicts] if self.overwrite_edits else [])


def edited_keys(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> dict[str, str]:
    """Observation keys (as the audit log writes them) whose latest change was not an EDGAR import -> the action."""
    latest = last_changes(con, source_ids)
    reasons = latest["reason"].fillna("")
    mine = reasons.str.startswith(REASON) | reasons.str.startswith(BUILD_REASON)
    return dict(zip(latest.loc[~mine, "row_key"], latest.loc[~mine, "action"], strict=True))


def _held(con: duckdb.DuckDBPyConnection, source_id: str) -> dict[tuple, dict]:
    """The tracker's observations of one edition, by key, as JSON-ready values (as write_rows compares them)."""
    cursor = con.execute("SELECT * FROM observations WHERE source_id = ?", [source_id])
    names = [d[0] for d in cursor.description]
    rows = (Observation.model_validate(dict(zip(names, values, strict=True))) for values in cursor.fetchall())
    return {row.key(): row.model_dump(mode="json") for row in rows}


def plan(con: duckdb.DuckDBPyConnection, prepared: Prepared, *, overwrite_edits: bool = False) -> Plan:
    """Compare the workbook's figures with the tracker's (reads only)."""
    source_id = source_id_of(prepared.edition)
    new_source = not con.execute("SELECT count(*) FROM sources WHERE id = ?", [source_id]).fetchone()[0]
    existing, edited = _held(con, source_id), edited_keys(con, [source_id])
    add, update, conflicts, unchanged = [], [], [], 0
    for row in prepared.observations:
        old, new = existing.get(row.key()), row.model_dump(mode="json")
        if old == new:
            unchanged += 1
        elif key_text(Observation, row.key()) in edited:
            conflicts.append((row, "nothing (removed in the tracker)" if old is None else f"{old['value']:g}"))
        elif old is None:
            add.append(row)
        else:
            update.append(row)
    return Plan(prepared, new_source, add, update, unchanged, conflicts, overwrite_edits)


@dataclass
class Summary:
    """What an import read, kept, skipped and changed (printed by the CLI, shown by the app)."""

    plan: Plan
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def facts(self) -> list[str]:
        """Countries matched, figures taken (and left out), and the figures' licence, in words."""
        return _facts(self.plan.prepared)

    def lines(self) -> list[str]:
        p, m = self.plan.prepared, self.plan.prepared.mapped
        verb = "" if self.written else "would be "
        conflicts = len(self.plan.conflicts)
        lines = [f"{p.name}: {LAYOUTS[p.layout]}, edition {p.edition} (from {p.edition_rule}), source "
                 f"'{p.source.title}'{' (new)' if self.plan.new_source else ''}",
                 f"rows read {m.rows_read:,}, kept {m.rows_kept:,}, skipped {sum(m.skipped.values()):,}, exact "
                 f"duplicates {m.duplicates:,}; empty rows ignored {m.empty_rows:,}"]
        lines += [f"  skipped: {reason}: {n:,}" for reason, n in sorted(m.skipped.items(), key=lambda kv: -kv[1])]
        lines += self.facts()[:2]
        left = ("overwritten" if self.plan.overwrite_edits else "left as they are") if conflicts else ""
        lines.append(f"observations: {len(self.plan.add):,} {verb}added, {len(self.plan.update):,} {verb}updated, "
                     f"{self.plan.unchanged:,} unchanged, {conflicts:,} conflict(s) with edits made in the tracker"
                     + (f" ({left})" if left else ""))
        lines.append(self.facts()[2])
        for obs, now in self.plan.conflicts[:10]:
            country = p.countries.get(obs.country_iso3, obs.country_iso3)
            lines.append(f"  conflict: {country} {WORDS[obs.indicator_code]} {obs.year}: the file says "
                         f"{obs.value:g}, the tracker holds {now}")
        if conflicts > 10:
            lines.append(f"  and {conflicts - 10} more conflict(s)")
        return lines


def _facts(p: Prepared) -> list[str]:
    """Countries matched, figures taken (and left out), and the figures' licence, in words."""
    m = p.mapped
    absent = [p.countries[c] for c in sorted(set(p.countries) - set(m.matched))]
    years = [k[2] for k in m.figures] or [0]
    return [f"countries matched: {len(m.matched)} of the {len(p.countries)} the tracker covers"
            + (f" (not in the file: {', '.join(absent)})" if absent else ""),
            f"figures: {m.count(CO2):,} {WORDS[CO2]} (Mt CO2), {m.count(GHG):,} {WORDS[GHG]} in Mt CO2-equivalent "
            f"({m.gwp or 'GWP as the workbook gives it'}), for {min(years)}-{max(years)}; {m.early_values:,} figures "
            f"before 1990 left out; {m.ghg_not_formed:,} country-year(s) without all three gases, so without a "
            "greenhouse-gas total",
            f"licence of these figures: {p.source.licence} (IEA-EDGAR CO2); they are shown with their credit line "
            "and stay out of the open-data package"]


def apply(con: duckdb.DuckDBPyConnection, prepared: Prepared, actor: Actor, *, overwrite_edits: bool = False,
          own_transaction: bool = True, reason: str = REASON) -> Summary:
    """Plan again and write the edition's source and observations in one transaction, audited.

    Refused (ImportRejected, nothing written) unless the actor is the secretariat, an admin or the system; the
    write path checks the same rule again for every row. `reason` is REASON, or BUILD_REASON for the seed build.
    """
    if actor.role not in IMPORT_ROLES:
        raise ImportRejected(f"{actor.name} may not import EDGAR data: only the secretariat and admins can")
    reason = f"{reason} {prepared.name}".strip()
    try:
        with database.transaction(con) if own_transaction else nullcontext():  # source and rows: all or none
            current = plan(con, prepared, overwrite_edits=overwrite_edits)
            if current.new_source:
                database.write_rows(con, [prepared.source], actor, reason=reason, own_transaction=False)
            rows = current.writes
            origins = [f"{prepared.name}: {o.country_iso3} {o.indicator_code} {o.year}" for o in rows]
            result = database.write_rows(con, rows, actor, origins=origins, reason=reason, own_transaction=False)
    except WriteRejected as exc:
        shown = "; ".join(str(p) for p in exc.problems[:3])
        raise ImportRejected(f"the tracker refused the import of {prepared.name}, {len(exc.problems)} problem(s): "
                             f"{shown}") from exc
    return Summary(current, written=True, counts={"added": result.added, "updated": result.updated})


def countries(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The tracker's countries, iso3 -> name (ImportRejected when the database has no tables)."""
    try:
        return dict(con.execute("SELECT iso3, name FROM countries").fetchall())
    except duckdb.CatalogException:
        raise ImportRejected("the database has no tracker tables; run `python -m pipelines build` first") from None


def run(path: Path | str, db_path: Path | str, *, edition: int | None = None, overwrite_edits: bool = False,
        dry_run: bool = False, actor: Actor = SYSTEM, progress: Progress = quiet) -> Summary:
    """Import one EDGAR workbook into the database at db_path (or only plan it, dry_run) and say what happened.

    A database held by another program raises ctatracker.store.dbfile.DatabaseUnavailable (one plain line).
    """
    if str(db_path) != ":memory:" and not Path(db_path).exists():
        raise ImportRejected(f"No database at {db_path}; run `python -m pipelines build` first.")
    con = database.connect(db_path, read_only=dry_run)
    try:
        found = countries(con)
        if not dry_run:
            database.upgrade_schema(con)  # a database built before sources had licence terms
        prepared = prepare(path, found, edition=edition, progress=progress)
        if dry_run:
            summary = Summary(plan(con, prepared, overwrite_edits=overwrite_edits))
        else:
            progress(0.8, "Writing")
            summary = apply(con, prepared, actor, overwrite_edits=overwrite_edits)
        progress(1.0, "Done")
        return summary
    finally:
        con.close()


def json_summary(summary: Summary) -> str:
    """The summary's figures as JSON (for scripts and the bench)."""
    p, m = summary.plan, summary.plan.prepared.mapped
    return json.dumps({"edition": p.prepared.edition, "rows_read": m.rows_read, "kept": m.rows_kept,
                       "skipped": dict(m.skipped), "duplicates": m.duplicates, "empty_rows": m.empty_rows,
                       "countries_matched": len(m.matched), "transport_co2": m.count(CO2),
                       "transport_ghg": m.count(GHG), "before_1990": m.early_values,
                       "ghg_not_formed": m.ghg_not_formed, "added": len(p.add), "updated": len(p.update),
                       "unchanged": p.unchanged, "conflicts": len(p.conflicts)})
