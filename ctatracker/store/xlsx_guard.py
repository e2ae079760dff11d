"""Check an .xlsx workbook's package before any spreadsheet library opens it.

openpyxl reads parts of every sheet while it opens a workbook (a sheet without a `<dimension>` is read to its end
to learn its size, and the shared strings are loaded whole), so limits checked only while rows are read come too
late: a 79 KB file holding nine million empty rows kept it busy for 46 s before the first row. `check` looks at
the zip archive itself, streaming each part once, and refuses before openpyxl starts:

- the archive's number of parts, what it unpacks to in all and per part (the sizes the archive declares bound
  what is read, as zipfile stops at them);
- any XML part with a document type declaration (`<!DOCTYPE`, `<!ENTITY`): Excel never writes one, and it is how
  "billion laughs" entity bombs are built;
- each worksheet's rows (the count of `<row>` elements and the highest row number), its cells, and the number of
  shared strings;
- the time spent, against a deadline the caller set when it received the first byte.

Used by the bulk upload (store/bulk.py) and the IEA and EDGAR importers (io/iea_read.py, io/edgar_read.py).
"""

from __future__ import annotations

import html
import io
import re
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
"""Bytes decompressed at a time."""
MAX_CARRY = 4 << 20
"""A tag cut at a chunk's end is carried to the next; past this much text without a '>' it is scanned as is."""
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d{1,12})\"")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_STRING = re.compile(rb"<(?:\w+:)?si[\s/>]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")
XML_SUFFIXES = (".xml", ".rels", ".vml")


class WorkbookRefused(Exception):
    """The workbook breaks a limit or is not a well-formed package; the message says which, in plain words."""


@dataclass(frozen=True)
class Limits:
    """What one kind of workbook may hold (see the callers for the figures and why)."""

    max_unpacked: int
    """Bytes the whole archive unpacks to."""
    max_rows: int
    """Rows per worksheet, empty ones included (the highest row number counts too)."""
    max_cells: int
    """Cells per worksheet, empty ones included."""
    max_strings: int
    """Shared strings in the workbook."""
    max_parts: int = 2000
    """Parts (files) in the archive."""


def _size(number: float) -> str:
    return f"{number / 1e9:.1f} GB" if number >= 1e9 else f"{number / 1e6:.0f} MB"


def _attributes(tag: bytes) -> dict[str, str]:
    return {k.decode().split(":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(tag)}


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name, from workbook.xml and its relationships (small parts, read whole)."""
    try:
        book = archive.getinfo("xl/workbook.xml")
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if book.file_size > 8 << 20 or rels.file_size > 8 << 20:
        return {}
    targets = {}
    for tag in _REL_TAG.findall(archive.read(rels)):
        attrs = _attributes(tag)
        target = attrs.get("Target", "")
        targets[attrs.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in _SHEET_TAG.findall(archive.read(book)):
        attrs = _attributes(tag)
        if attrs.get("id") in targets:
            names[targets[attrs["id"]]] = attrs.get("name", "")
    return names


def _pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's text in pieces that never cut a tag (each ends at a '>' where it can)."""
    carry = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            data = carry + chunk
            end = data.rfind(b">") + 1
            if end == 0 and len(data) < MAX_CARRY:
                carry = data
                continue
            end = end or len(data)
            carry = data[end:]
            yield data[:end]
    if carry:
        yield carry


def _late(seconds: float) -> WorkbookRefused:
    return WorkbookRefused(f"reading the workbook took longer than {seconds:.0f} seconds")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str | None, limits: Limits,
               deadline: float, seconds: float) -> None:
    """Stream one XML part: no DTD; for a worksheet, rows and cells; for the shared strings, their number."""
    rows = highest = cells = strings = 0
    strings_part = info.filename.lower() == "xl/sharedstrings.xml"
    for piece in _pieces(archive, info):
        if time.monotonic() > deadline:
            raise _late(seconds)
        if _DTD.search(piece):
            raise WorkbookRefused(f"the part {info.filename} of the workbook holds an XML document type "
                                  "declaration, which Excel never writes: save the workbook again from Excel")
        if label is not None:
            rows += len(_ROW.findall(piece))
            highest = max([highest, *(int(n) for n in _ROW_NUMBER.findall(piece))])
            cells += len(_CELL.findall(piece))
            if max(rows, highest) > limits.max_rows:
                raise WorkbookRefused(f"the sheet '{label}' runs past row {limits.max_rows:,} (empty rows count "
                                      "too)")
            if cells > limits.max_cells:
                raise WorkbookRefused(f"the sheet '{label}' holds more than {limits.max_cells:,} cells (empty "
                                      "ones count too)")
        elif strings_part:
            strings += len(_STRING.findall(piece))
            if strings > limits.max_strings:
                raise WorkbookRefused(f"the workbook holds more than {limits.max_strings:,} different texts")


def check(source: bytes | Path | BinaryIO, limits: Limits, *, deadline: float, seconds: float) -> None:
    """Refuse (WorkbookRefused) a workbook package that breaks `limits`, is damaged, or takes past `deadline`
    (a time.monotonic() value; `seconds` is the time limit it stands for, named in the message)."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            parts = archive.infolist()
            if len(parts) > limits.max_parts:
                raise WorkbookRefused(f"the workbook holds {len(parts):,} parts; at most {limits.max_parts:,}")
            unpacked = sum(p.file_size for p in parts)
            if unpacked > limits.max_unpacked:
                raise WorkbookRefused(f"the workbook unpacks to {_size(unpacked)}; at most "
                                      f"{_size(limits.max_unpacked)} is read")
            names = sheet_names(archive)
            for info in parts:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    label = names.get(info.filename) or (info.filename if info.filename.startswith(
                        "xl/worksheets/") and info.filename.endswith(".xml") else None)
                    _scan_part(archive, info, label, limits, deadline, seconds)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError,
            zlib.error) as exc:
        raise WorkbookRefused(f"the workbook is damaged ({type(exc).__name__}): save it again from Excel") from None
