"""Exports: formula injection is neutralised, the data survives a round trip."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from openpyxl import load_workbook

from ctatracker.exports import neutralise_formulas, neutralise_text, to_csv_bytes, to_excel_bytes

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


HOSTILE = ["Partial year\r=cmd|' /C calc'!A0", "Partial year\n=1+1", "ok\r\n@SUM(A1)", "  =1+1", "\n=1",
           "\t=1", "\r\n  -2+3", "\u3000=1", "\uff1dHYPERLINK(\"http://x\")", "a\r\rb\r +c", "\x07=1",
           "two lines\rno formula"]


def _lines(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def _formula_like(line: str) -> bool:
    return bool(re.match(r"[\s\x00-\x1f\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]", line))


def test_no_line_of_a_text_cell_can_start_a_formula() -> None:
    for value in HOSTILE:
        safe = neutralise_text(value)
        assert not any(_formula_like(line) for line in _lines(safe)), repr(safe)
        assert safe.replace("'", "") == value.replace("'", "") or safe.startswith("'")  # only quotes added
    assert neutralise_text("Partial year\r=cmd") == "Partial year\r'=cmd"
    assert neutralise_text("two lines\rno formula") == "two lines\rno formula"  # harmless text is kept as it is


def test_csv_quotes_every_field_with_a_line_break_and_no_physical_line_starts_a_formula() -> None:
    frame = pd.DataFrame({"note": HOSTILE, "value": range(len(HOSTILE))})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    for value in HOSTILE:
        safe = neutralise_text(value)
        if "\r" in safe or "\n" in safe:
            assert f'"{safe}"' in text, repr(safe)  # quoted: the line break stays inside its cell
    for line in _lines(text):  # even a reader that breaks rows at every CR or LF sees no formula
        assert not _formula_like(line.lstrip('"')), repr(line)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert [row[0] for row in back[1:]] == [neutralise_text(v) for v in HOSTILE]
    assert len(back) == len(HOSTILE) + 1


def test_excel_cells_are_text_and_no_line_starts_a_formula() -> None:
    frame = pd.DataFrame({"note": HOSTILE})
    sheet = load_workbook(io.BytesIO(to_excel_bytes(frame, "notes")))["notes"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(HOSTILE)
    for cell in cells:
        assert cell.data_type == "s", (cell.value, cell.data_type)
        assert not any(_formula_like(line) for line in _lines(cell.value)), repr(cell.value)
