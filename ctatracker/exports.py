"""Table exports (CSV and Excel) that are safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote (numbers are left alone)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so that Excel reads accents) of a table."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook holding the table on one sheet."""
    buffer = io.BytesIO()
    clean = neutralise_formulas(frame)
    for column in clean.columns:  # Excel cannot store time-zone-aware datetimes
        if isinstance(clean[column].dtype, pd.DatetimeTZDtype):
            clean[column] = clean[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()
