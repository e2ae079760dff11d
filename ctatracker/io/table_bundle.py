"""A table with its metadata, as one zip ("CSV with metadata"), as Our World in Data offers its charts' data.

The zip holds `<name>.csv` (the table alone, header row first: the same file as the plain CSV download),
`datapackage.json` (a Frictionless Data Package: the table's columns and their types, title, date of the data,
sources with their licences, credit lines and the date each was read, terms, licences) and `README.md` (the same in
words). `frictionless validate datapackage.json` checks the CSV against it, bytes and hash included.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from typing import Any

import pandas as pd

from ctatracker.io.exports import (
    OWN_DATA_TERMS,
    TRACKER_NAME,
    Cited,
    ExportMeta,
    accessed_words,
    day_words,
    to_csv_bytes,
)
from ctatracker.model import licences

_WORDS = {"integer": "whole number", "number": "number", "boolean": "true or false", "date": "date (YYYY-MM-DD)",
          "string": "text"}
OWN = licences.KNOWN["CC-BY-4.0"]


def field_type(column: pd.Series) -> dict[str, Any]:
    """The Table Schema type of a column as `to_csv_bytes` writes it (text when in doubt: any cell is text)."""
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return {"type": "boolean", "trueValues": ["True"], "falseValues": ["False"]}
    if pd.api.types.is_integer_dtype(dtype):
        return {"type": "integer"}
    if pd.api.types.is_float_dtype(dtype):
        return {"type": "number"}
    if pd.api.types.is_datetime64_any_dtype(dtype) and not isinstance(dtype, pd.DatetimeTZDtype):
        days = column.dropna()
        if (days == days.dt.normalize()).all():
            return {"type": "date"}
    return {"type": "string"}


def schema(frame: pd.DataFrame) -> dict[str, Any]:
    """The Table Schema of a table download: one field per column, its header as name and title."""
    return {"fields": [{"name": str(c), "title": str(c), **field_type(frame[c])} for c in frame.columns],
            "missingValues": [""]}


def _licence_key(text: str) -> tuple[str, str, str | None]:
    """(name, title, address) of a licence named by a source: its SPDX identifier when the tracker knows it."""
    known = licences.find(text)
    if known:
        return known.id, known.title, known.url
    return re.sub(r"[^A-Za-z0-9.+-]+", "-", text).strip("-") or "licence", text, None


def licences_of(meta: ExportMeta) -> list[dict[str, str]]:
    """The licences of a download, each once (no two share a name): the tracker's own, and each its sources name."""
    found: dict[str, dict[str, Any]] = {OWN.id: {"title": OWN.title, "path": OWN.url,
                                                  "who": ["the tracker's own data and compilation"]}}
    for source in meta.sources:
        if not source.licence:
            continue
        name, title, url = _licence_key(source.licence)
        entry = found.setdefault(name, {"title": title, "path": source.licence_url or url, "who": []})
        entry["who"].append(f"rows citing {source.name}")
    return [{"name": name, "title": f"{e['title']}: {'; '.join(e['who'])}",
             **({"path": e["path"]} if e["path"] else {})} for name, e in found.items()]


def _source(s: Cited) -> dict[str, Any]:
    out: dict[str, Any] = {"title": s.name, **({"path": s.url} if s.url else {})}
    out |= {"licence": s.licence, "credit": s.credit, "accessed": s.accessed.isoformat() if s.accessed else None}
    return out


def descriptor(frame: pd.DataFrame, meta: ExportMeta, name: str, data: bytes) -> dict[str, Any]:
    """datapackage.json of one table download (`data`: the CSV's bytes, for their count and hash)."""
    facts = {"indicator": meta.indicator, "unit": meta.unit, "target": meta.target}
    return {
        "name": name, "title": meta.title, "version": meta.as_of.isoformat(), "dataAsOf": meta.as_of.isoformat(),
        "description": " ".join([f"{meta.title}. Data as of {day_words(meta.as_of)}.", *meta.notes]),
        **{k: v for k, v in facts.items() if v},
        "licenses": licences_of(meta), "terms": f"{meta.terms()} {OWN_DATA_TERMS}",
        "citation": citation(meta),
        "sources": [_source(s) for s in meta.sources] or [{"title": TRACKER_NAME}],
        "resources": [{"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
                       "encoding": "utf-8", "title": meta.title, "bytes": len(data),
                       "hash": f"sha256:{hashlib.sha256(data).hexdigest()}", "schema": schema(frame)}]}


def citation(meta: ExportMeta) -> str:
    """How to cite the download."""
    return (f"{TRACKER_NAME} ({meta.as_of.year}), {meta.title}, data as of {day_words(meta.as_of)}. Credit each "
            "source as its credit line asks.")


def readme(frame: pd.DataFrame, meta: ExportMeta, name: str) -> str:
    """README.md of one table download: what it holds, its columns, sources, licences, terms and how to cite it."""
    lines = [f"# {meta.title}", "", f"Data as of {day_words(meta.as_of)}."]
    lines += [f"{label}: {value}." for label, value in (("Indicator", meta.indicator), ("Unit", meta.unit),
                                                        ("Target", meta.target)) if value]
    lines += ["", "## Files", "", f"- `{name}.csv`: the table, {len(frame)} row(s), its header row first (UTF-8).",
              "- `datapackage.json`: the same description for data tools (a Frictionless Data Package: the type of "
              "each column, the sources and licences, the file's size and hash).",
              "- `README.md`: this file.", "", "## Columns", "", "| Column | Holds |", "|---|---|"]
    lines += [f"| {c} | {_WORDS[field_type(frame[c])['type']]} |" for c in frame.columns]
    lines += ["", "An empty cell: no data. A text cell that a spreadsheet would run as a formula starts with an "
              "apostrophe.", "", "## Sources", ""]
    for s in meta.sources:
        lines.append(f"- {s.name}" + (f", {s.url}" if s.url else "") + (f". Licence: {s.licence}" if s.licence
                                                                          else ". Names no licence")
                     + f"; {accessed_words(s.accessed)}.")
        lines += [f"  {s.credit}"] if s.credit else []
    if not meta.sources:
        lines.append(f"- {TRACKER_NAME}: the tracker's own compilation.")
    if meta.notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in meta.notes]]
    lines += ["", "## Licences and terms", "", *[f"- {lic['title']} ({lic['name']}"
                                                   + (f", {lic['path']})" if lic.get("path") else ")")
                                                   for lic in licences_of(meta)],
              "", meta.terms(), "", OWN_DATA_TERMS, "", "## How to cite", "", citation(meta)]
    return "\n".join(lines) + "\n"


def zip_bytes(frame: pd.DataFrame, meta: ExportMeta, name: str) -> bytes:
    """The zip of one table download: `<name>.csv`, `datapackage.json` and `README.md`, dated with its data."""
    data = to_csv_bytes(frame)
    files = {f"{name}.csv": data,
             "datapackage.json": (json.dumps(descriptor(frame, meta, name, data), indent=2, ensure_ascii=False)
                                  + "\n").encode("utf-8"),
             "README.md": readme(frame, meta, name).encode("utf-8")}
    stamp = dt.datetime.combine(meta.as_of, dt.time()).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, content in files.items():
            zf.writestr(zipfile.ZipInfo(path, date_time=stamp), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
