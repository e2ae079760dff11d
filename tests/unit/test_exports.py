"""Exports: formula injection is neutralised, the data survives a round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pandas as pd
from openpyxl import load_workbook

from ctatracker.io.exports import (
    Cited,
    ExportMeta,
    as_shown,
    file_name,
    neutralise_formulas,
    neutralise_text,
    to_csv_bytes,
    to_excel_bytes,
)

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


META = ExportMeta(title="Gap analysis: EV share of new vehicle sales", as_of=dt.date(2026, 11, 30),
                  indicator="EV share of new vehicle sales", unit="%", target="30% by 2030 (regional)",
                  sources=(Cited("IEA (2025), Global EV Data Explorer", "https://www.iea.org/data", "CC BY 4.0",
                                 "Source: IEA (2025), Global EV Data Explorer, CC BY 4.0",
                                 "https://creativecommons.org/licenses/by/4.0/", dt.date(2025, 3, 1)),
                           ("=Ministry (2024), report", None, None)))


def test_a_file_is_named_after_what_it_holds_and_the_date_of_its_data() -> None:
    assert file_name("gap", "30%", "ev_sales_share", as_of=dt.date(2026, 11, 30)) == \
        "gap-30pct-ev-sales-share-2026-11-30"
    assert file_name("Euro VI status by 2030") == "euro-vi-status-by-2030"
    assert file_name("gap", None, "ev_sales_share", pd.NA, "by", float("nan")) == "gap-ev-sales-share-by"


def test_a_csv_is_the_table_alone_with_its_header_row_first() -> None:
    frame = pd.DataFrame({"Country": ["India"], "Target year": [2030]})
    text = to_csv_bytes(frame).decode("utf-8-sig")
    assert text.split("\r\n")[0] == "Country,Target year" and "#" not in text
    assert pd.read_csv(io.BytesIO(to_csv_bytes(frame))).equals(frame)


def test_the_description_names_sources_credit_lines_dates_read_and_terms() -> None:
    lines = META.lines()
    about = dict(lines)
    assert about["Title"] == "Gap analysis: EV share of new vehicle sales" and about["Data as of"] == "30 November 2026"
    sources = [text for label, text in lines if label == "Source"]
    assert sources[0] == ("IEA (2025), Global EV Data Explorer; https://www.iea.org/data; licence: CC BY 4.0; read on "
                          "1 March 2025")
    assert sources[1] == "=Ministry (2024), report; date read: not recorded"
    assert [text for label, text in lines if label == "Credit line"] == [
        "Source: IEA (2025), Global EV Data Explorer, CC BY 4.0"]
    assert "CC BY 4.0" in about["Terms"] and "CC BY 4.0" in about["Licence"]
    own = dict(ExportMeta("What changed", dt.date(2026, 1, 2)).lines())
    assert own["Source"].startswith("Clean Transport Asia Tracker") and own["Data as of"] == "2 January 2026"


def test_excel_has_an_about_sheet_and_columns_that_fit() -> None:
    frame = pd.DataFrame({"Country": ["India"], "Explanation": ["x" * 40]})
    book = load_workbook(io.BytesIO(to_excel_bytes(frame, "data", META)))
    assert book.sheetnames == ["data", "About"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Target"] == "30% by 2030 (regional)" and about["Data as of"] == "30 November 2026"
    assert book["data"].column_dimensions["B"].width == 42 and book["data"].column_dimensions["A"].width >= 8
    sources = [row[1].value for row in book["About"].iter_rows(min_row=2) if row[0].value == "Source"]
    assert sources[1].startswith("'=")  # a source name that looks like a formula is neutralised here too
    assert about["Credit line"] == "Source: IEA (2025), Global EV Data Explorer, CC BY 4.0"


def test_as_shown_gives_whole_years_rounded_values_and_percent() -> None:
    frame = pd.DataFrame({"Year": [2030.0, None], "Slope": [0.123456, 1.0], "Growth": [0.0512, None]})
    out = as_shown(frame, years=["Year"], decimals={"Slope": 2, "Growth": 1}, percent=["Growth"])
    assert out["Year"].tolist()[0] == 2030 and str(out["Year"].dtype) == "Int64"
    assert out["Slope"].tolist() == [0.12, 1.0] and out["Growth"].tolist()[0] == 5.1
    assert "2030.0" not in to_csv_bytes(out).decode("utf-8-sig")
