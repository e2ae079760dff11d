"""Checks shared by the tests of table downloads: a CSV read back as the table it was made from, and a "CSV with
metadata" zip that Frictionless validates."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from pathlib import Path

import frictionless
import pandas as pd

from ctatracker.io.exports import neutralise_text


def _expected(value: object) -> object:
    """A cell as the CSV should give it back: text neutralised, a midnight timestamp as its day, None when empty
    (missing, or an empty text)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, str):  # an empty text is an empty cell, as CSV has no other way to write it
        return neutralise_text(value) or None
    if isinstance(value, pd.Timestamp | dt.datetime) and value == pd.Timestamp(value).normalize():
        return pd.Timestamp(value).date().isoformat()
    return value


def assert_reads_back(data: bytes, frame: pd.DataFrame) -> None:
    """`pandas.read_csv` (no options) of the CSV gives `frame`: its columns, its rows, each cell."""
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == [str(c) for c in frame.columns]
    assert len(back) == len(frame)
    for column, read_col in zip(frame.columns, back.columns, strict=True):
        for i, (want, got) in enumerate(zip(frame[column].tolist(), back[read_col].tolist(), strict=True)):
            want = _expected(want)
            if want is None:
                assert pd.isna(got), (column, i, got)
            elif isinstance(want, bool):
                assert got in (want, str(want)), (column, i, want, got)
            elif isinstance(want, int | float):  # to 12 significant digits: pandas 2.2's default float parser
                # ('high', not 'round_trip') may miss the last digits of the value written
                assert math.isclose(float(got), float(want), rel_tol=1e-12, abs_tol=0), (column, i, want, got)
            else:
                assert str(got) == str(want), (column, i, want, got)


def validate_bundle(data: bytes, where: Path) -> dict:
    """Unzip a "CSV with metadata" download into `where`, check it with Frictionless and return its descriptor."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(where)
        names = set(zf.namelist())
    desc = json.loads((where / "datapackage.json").read_text(encoding="utf-8"))
    assert names == {desc["resources"][0]["path"], "datapackage.json", "README.md"}
    report = frictionless.validate(str(where / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    return desc
