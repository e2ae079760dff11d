"""Exports: formula injection is neutralised, the data survives a round trip."""

from __future__ import annotations

import io

import pandas as pd

from ctatracker.exports import neutralise_formulas, to_csv_bytes, to_excel_bytes

FRAME = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "India"],
                      "value": [-1.5, 2.0, 3.0, 4.0, 5.0]})


def test_text_cells_that_look_like_formulas_get_a_quote() -> None:
    out = neutralise_formulas(FRAME)
    assert out["name"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "India"]
    assert out["value"].tolist() == FRAME["value"].tolist()  # negative numbers stay numbers


def test_csv_round_trip() -> None:
    back = pd.read_csv(io.BytesIO(to_csv_bytes(FRAME)), encoding="utf-8-sig")
    assert back["name"].iloc[4] == "India" and back["name"].iloc[0].startswith("'=")
    assert back["value"].tolist() == FRAME["value"].tolist()


def test_excel_round_trip() -> None:
    back = pd.read_excel(io.BytesIO(to_excel_bytes(FRAME, "gaps")), sheet_name="gaps")
    assert back.shape == FRAME.shape and back["name"].iloc[1] == "'+1"
