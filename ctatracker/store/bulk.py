"""Bulk update through Excel: a template prefilled with a country's data, and a validated, previewed upload.

An upload is refused before parsing when it is too large or not an .xlsx workbook. Every row is validated;
the preview lists per-row problems and what would change. Submitting applies all changes or none.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError

from ctatracker.model.enums import Role
from ctatracker.model.schema import Commitment, Need, Observation, Policy, Row, Source
from ctatracker.store import contributions
from ctatracker.store.database import Problem, WriteRejected, current_record, current_records, key_text
from ctatracker.store.permissions import Actor, proposal_refusal
from ctatracker.store.review import Change, apply_changes, check_changes, propose
from ctatracker.store.xlsx_guard import Limits, WorkbookRefused, check
from ctatracker.text.naming import Namer, counted, field_words, value_words
from ctatracker.text.validation import plain_message

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
"""Filled-in rows per sheet."""
MAX_SCANNED_ROWS = 2 * MAX_ROWS
"""Rows read per sheet, empty ones included: reading stops there."""
MAX_COLUMNS = 40
"""Columns read per sheet (the template has at most 15)."""
MAX_CELL_CHARS = 4000
"""Characters in one cell (the longest text field of the tracker takes 4,000)."""
MAX_CELLS = MAX_ROWS * MAX_COLUMNS
"""Cells per sheet, empty ones included (the template's sheets hold at most 5,000 rows of 15)."""
MAX_STRINGS = MAX_CELLS
"""Different texts in the workbook."""
MAX_PARSE_SECONDS = 10.0
"""Time to read a whole workbook, counted from the first byte: past it the upload is refused, so a parse never
outlives its request."""
LIMITS = Limits(max_unpacked=MAX_UNPACKED_BYTES, max_rows=MAX_SCANNED_ROWS, max_cells=MAX_CELLS,
                max_strings=MAX_STRINGS)
"""Checked on the archive before openpyxl opens it (store/xlsx_guard.py), for every sheet."""
SHEETS: dict[str, type[Row]] = {"observations": Observation, "commitments": Commitment, "policies": Policy,
                                "needs": Need, "sources": Source}
AUTOMATIC = {"needs": {"submitted_by"}}
"""Columns filled in by the tracker, not by the person uploading."""

INSTRUCTIONS = [
    "How to use this template",
    "1. Each sheet holds one kind of record of your country: change values in place, or add rows below.",
    "2. Keep the header row as it is. Codes must be ones the tracker knows: see the 'lists' sheet.",
    "3. Every figure needs a source_id. A new source goes on the 'sources' sheet, with its http(s) link.",
    "4. Type values, not formulas. Dates as YYYY-MM-DD. Leave a cell empty when the value is not known.",
    "5. Deleting a row here does not delete the record; ask the secretariat to remove records.",
    "6. Upload the file on the 'Bulk upload' page: you will see every problem and every change before "
    "anything is submitted.",
]


def columns(sheet: str) -> list[str]:
    """The columns of a template sheet."""
    return [c for c in SHEETS[sheet].model_fields if c not in AUTOMATIC.get(sheet, set())]


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _lists(cur: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    from ctatracker.model.enums import ActionAreaCode, Confidence, Mode, PolicyKind, PolicyStatus, Stage

    codes = lambda sql: [r[0] for r in cur.execute(sql).fetchall()]  # noqa: E731
    return {"indicator_code": codes("SELECT code FROM indicators ORDER BY code"),
            "source_id": codes("SELECT id FROM sources ORDER BY id"),
            "mode": [m.value for m in Mode], "confidence": [c.value for c in Confidence],
            "stage": [s.value for s in Stage], "action_area_code": [a.value for a in ActionAreaCode],
            "kind": [k.value for k in PolicyKind], "status": [s.value for s in PolicyStatus]}


def template(cur: duckdb.DuckDBPyConnection, country: str) -> bytes:
    """An .xlsx workbook prefilled with a country's current records, one sheet per kind of record."""
    book = Workbook()
    info = book.active
    info.title = "README"
    for line in [*INSTRUCTIONS, "", f"Country: {country}", f"Made: {dt.date.today():%Y-%m-%d}"]:
        info.append([line])
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 120
    lists = _lists(cur)
    ref = book.create_sheet("lists")
    for i, (name, values) in enumerate(lists.items(), start=1):
        ref.cell(1, i, name).font = Font(bold=True)
        for j, value in enumerate(values, start=2):
            ref.cell(j, i, value).data_type = "s"
    for sheet in SHEETS:
        ws = book.create_sheet(sheet)
        cols = columns(sheet)
        ws.append(cols)
        for c in ws[1]:
            c.font = Font(bold=True)
        ws.freeze_panes = "A2"
        frame = (contributions.country_records(cur, sheet, country) if sheet != "sources"
                 else pd.DataFrame(columns=cols))
        for record in frame.to_dict("records"):
            ws.append([_cell(record.get(c)) for c in cols])
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, str):
                    c.data_type = "s"  # text stays text, even when it starts with "=" (no formula injection)
        for i, col in enumerate(cols, start=1):
            letter = ws.cell(1, i).column_letter
            ws.column_dimensions[letter].width = 40 if col in ("summary", "note", "need", "name", "title") else 18
            if col in lists:
                k = list(lists).index(col) + 1
                rng = f"lists!${ref.cell(1, k).column_letter}$2:${ref.cell(1, k).column_letter}${len(lists[col]) + 1}"
                check = DataValidation(type="list", formula1=rng, allow_blank=True)
                check.error = f"Choose a {col} from the list"
                ws.add_data_validation(check)
                check.add(f"{letter}2:{letter}{MAX_ROWS}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class RowPreview:
    """One uploaded row: where it is, which record, and what would happen to it."""

    sheet: str
    row: int
    record: str
    status: str  # new, changed, unchanged or refused
    change: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class Upload:
    """A parsed upload: the changes it would make, each row's preview, and every problem."""

    filename: str
    changes: list[Change] = field(default_factory=list)
    rows: list[RowPreview] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def preview(self) -> pd.DataFrame:
        """The per-row preview as a table (problems and changes in plain words)."""
        return pd.DataFrame([{"sheet": r.sheet, "row": r.row, "record": r.record, "status": r.status,
                              "change": r.change, "problems": "; ".join(r.problems)} for r in self.rows],
                            columns=["sheet", "row", "record", "status", "change", "problems"])


def _refuse(filename: str, message: str) -> Upload:
    return Upload(filename, problems=[Problem(filename, None, message)])


def _open_workbook(data: bytes, filename: str, deadline: float):  # -> openpyxl Workbook | str
    """The workbook, or a plain explanation of why the file cannot be one. Sizes, rows and cells of every sheet
    are checked on the archive before openpyxl reads anything (openpyxl reads parts of every sheet as it opens)."""
    if len(data) > MAX_UPLOAD_BYTES:
        return (f"the file is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_MB} MB. "
                "Upload the template with your country's rows only.")
    if not filename.lower().endswith(".xlsx"):
        return "only Excel .xlsx files are accepted: download the template, fill it in and upload it"
    if not data.startswith(b"PK"):
        return "this is not an Excel .xlsx workbook (it may be a CSV or an old .xls renamed): use the template"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                return "this .xlsx file holds no Excel workbook: use the template"
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                return "this workbook unpacks to too much data; upload the template with your country's rows only"
        check(data, LIMITS, deadline=deadline, seconds=MAX_PARSE_SECONDS)
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except WorkbookRefused as exc:
        return (f"{exc}; upload at most {MAX_ROWS:,} rows per sheet, without empty rows in between, in the "
                "template with your country's rows only")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        return "the file is damaged (it is not a complete .xlsx workbook): save it again from Excel and upload it"
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        return f"the workbook could not be read ({type(exc).__name__}): save it again from Excel and upload it"


class _Refused(Exception):
    """The workbook breaks a limit; reading stops at once (the message is for the person uploading)."""


def _declared_size_problem(ws, sheet: str) -> str | None:
    """A sheet whose recorded size is beyond the limits is refused before a cell is read (an 18 KB file may
    declare A1:XFD1048576). The size is never used to read: reading ignores it and stops at the limits."""
    rows, cols = ws.max_row or 0, ws.max_column or 0
    if rows > MAX_SCANNED_ROWS or cols > MAX_COLUMNS:
        return (f"the sheet '{sheet}' says it spans {rows:,} rows and {cols:,} columns; the limits are "
                f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns. Copy your rows into a fresh template and upload that.")
    return None


def _cell_problems(values: dict) -> list[str]:
    """Cells too long for any field (NUL characters and TRUE/FALSE in a number are refused by the row models)."""
    return [f"{col}: too long ({len(c.value):,} characters); at most {MAX_CELL_CHARS:,}"
            for col, c in values.items() if isinstance(c.value, str) and len(c.value) > MAX_CELL_CHARS]


def _clean(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _read_sheet(ws, sheet: str, upload: Upload, deadline: float) -> list[tuple[str, Row | None, list[str], str]]:
    """Validated rows of one sheet: (where, row or None, problems, record label). Reads at most MAX_SCANNED_ROWS
    rows of MAX_COLUMNS cells whatever size the sheet declares, and stops at the deadline."""
    ws.reset_dimensions()  # never trust the declared size: read the rows that are really there
    rows = ws.iter_rows(max_col=MAX_COLUMNS + 1, values_only=False)
    header = [str(c.value).strip() if c.value is not None else "" for c in next(rows, [])]
    if len(header) > MAX_COLUMNS and any(header[MAX_COLUMNS:]):
        raise _Refused(f"the sheet '{sheet}' has more than {MAX_COLUMNS} columns: keep the template's header")
    expected = columns(sheet)
    missing = [c for c in expected if c not in header and SHEETS[sheet].model_fields[c].is_required()]
    unknown = [c for c in header if c and c not in expected]
    if missing or unknown:
        parts = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s): {', '.join(unknown)}"] if unknown else [])
        upload.problems.append(Problem(f"{sheet} row 1", None, "; ".join(parts) + ". Keep the template's header."))
        return []
    out = []
    for number, cells in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS:
            raise _Refused(f"the sheet '{sheet}' runs past row {MAX_SCANNED_ROWS:,}; upload at most {MAX_ROWS:,} "
                           "rows per sheet, without empty rows in between")
        if time.monotonic() > deadline:
            raise _Refused(f"reading the workbook took longer than {MAX_PARSE_SECONDS:.0f} seconds; upload the "
                           "template with your country's rows only")
        values = {h: c for h, c in zip(header, cells, strict=False) if h}
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in values.values()):
            continue
        if len(out) >= MAX_ROWS:
            upload.problems.append(Problem(sheet, None, f"more than {MAX_ROWS} rows: split the upload"))
            break
        where = f"{sheet} row {number}"
        problems = [f"{col}: formulas are not accepted ({str(c.value)[:40]}); type the value itself"
                    for col, c in values.items() if c.data_type == "f"] + _cell_problems(values)
        record = {col: _clean(c.value) for col, c in values.items()}
        if sheet in AUTOMATIC:
            record.update({col: "(set on submit)" for col in AUTOMATIC[sheet]})
        row = None
        if not problems:
            try:
                row = SHEETS[sheet].model_validate(record)
            except ValidationError as exc:
                problems = [f"{e['loc'][0] if e['loc'] else 'row'}: {plain_message(e)}" for e in exc.errors()]
        label = " / ".join(str(record[c]) for c in SHEETS[sheet].__primary_key__ if record.get(c) is not None)
        out.append((where, row, problems, label))
    return out


def parse(cur: duckdb.DuckDBPyConnection, data: bytes, filename: str, actor: Actor) -> Upload:
    """Read and check an upload without writing anything: the preview of what submitting would do."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS  # from the first byte: opening counts too
    book = _open_workbook(data, filename, deadline)
    if isinstance(book, str):
        return _refuse(filename, book)
    upload = Upload(filename)
    named: dict[str, list[str]] = {}
    for name in book.sheetnames:  # 'Observations ' is observations
        named.setdefault(name.strip().lower(), []).append(name)
    twice = [names for key, names in named.items() if key in SHEETS and len(names) > 1]
    if twice:
        book.close()
        return _refuse(filename, f"the workbook has {len(twice[0])} sheets named "
                       f"{' and '.join(repr(n) for n in twice[0])}: keep one of them, with all your rows")
    found = {s: named[s][0] for s in SHEETS if s in named}
    if not found:
        book.close()
        return _refuse(filename, f"no sheet named {', '.join(SHEETS)} (the workbook has "
                       f"{', '.join(repr(n) for n in book.sheetnames[:10])}): use the template")
    parsed = []
    try:
        for sheet, name in found.items():
            declared = _declared_size_problem(book[name], sheet)
            if declared:
                raise _Refused(declared)
            parsed += _read_sheet(book[name], sheet, upload, deadline)
    except _Refused as exc:
        return _refuse(filename, str(exc))
    except Exception as exc:  # a damaged sheet part
        upload.problems.append(Problem(filename, None, f"a sheet could not be read ({type(exc).__name__})"))
    finally:
        book.close()
    good: list[tuple[str, Row]] = []
    for where, row, problems, label in parsed:
        if row is not None:
            row = _fill_automatic(row, actor)
            exists = type(row).__table__ == "sources" and current_record(cur, type(row), row.key()) is not None
            refused = proposal_refusal(actor, type(row).__table__, row, exists=exists)
            problems = [*problems, f"not allowed: {refused}"] if refused else problems
        if problems:
            upload.rows.append(RowPreview(where.split(" row ")[0], int(where.split(" row ")[1]), label, "refused",
                                          problems=problems))
            upload.problems += [Problem(where, None, p) for p in problems]
        else:
            good.append((where, row))
    stored = {model: current_records(cur, model, [r.key() for _, r in good if type(r) is model])
              for model in {type(r) for _, r in good}}  # one query per sheet, not one per row
    changes = [Change.edit(row, stored[type(row)].get(row.key())) for _, row in good]
    for problem in check_changes(cur, changes, [w for w, _ in good]):
        upload.problems.append(problem)
    by_where: dict[str, list[str]] = {}
    for p in upload.problems:
        by_where.setdefault(p.where, []).append(f"{p.column}: {p.message}" if p.column else p.message)
    namer = Namer(cur)
    for (where, row), change in zip(good, changes, strict=True):
        sheet, number = where.split(" row ")
        label = namer.record(type(row).__table__, dict(zip(type(row).__primary_key__, row.key(), strict=True)))
        if where in by_where:
            texts = by_where[where]
            upload.rows.append(RowPreview(sheet, int(number), label, "refused", problems=texts))
            continue
        status, text = _describe(change, namer)
        upload.rows.append(RowPreview(sheet, int(number), label, status, text))
        if status != "unchanged":
            upload.changes.append(change)
    upload.rows.sort(key=lambda r: (list(SHEETS).index(r.sheet), r.row))
    return upload


def _fill_automatic(row: Row, actor: Actor) -> Row:
    return row.model_copy(update={"submitted_by": actor.name}) if isinstance(row, Need) else row


def _describe(change: Change, namer: Namer) -> tuple[str, str]:
    new = change.new.model_dump(mode="json") if change.new else {}
    if change.base is None:
        return "new", "new record"
    diff = [f"{field_words(c)}: {_short(value_words(c, change.base.get(c), namer))} → "
            f"{_short(value_words(c, v, namer))}" for c, v in new.items() if change.base.get(c) != v
            and c not in AUTOMATIC.get(change.table, set())]
    return ("changed", "; ".join(diff)) if diff else ("unchanged", "")


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def submit(con: duckdb.DuckDBPyConnection, upload: Upload, actor: Actor, note: str | None = None) -> str:
    """Apply (secretariat, admin) or propose (focal point) every change of a checked upload: all or none.

    Returns what happened, in words.
    """
    if upload.problems:
        raise WriteRejected(upload.problems)
    if not upload.changes:
        raise WriteRejected([Problem(upload.filename, None, "nothing to submit: every row is unchanged")])
    origins: Sequence[str] = [f"{c.table} {key_text(c.model, c.key)}" for c in upload.changes]
    if actor.role in (Role.SECRETARIAT, Role.ADMIN):
        count = apply_changes(con, actor, upload.changes, reasons=f"bulk upload {upload.filename}")
        return f"{counted(count, 'record')} updated from {upload.filename}."
    propose(con, actor, upload.changes, note=note or f"bulk upload {upload.filename}", origins=origins)
    count = len(upload.changes)
    return (f"{count} change{'' if count == 1 else 's'} submitted for review: the secretariat checks "
            f"{'it' if count == 1 else 'them'} before {'it is' if count == 1 else 'they are'} published. You can "
            "follow or withdraw the submission under My submissions.")
