"""Helpers for the IEA importer tests: a small tracker database and the workbook layout made from a CSV fixture."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from ctatracker.io.iea import IEA_SOURCE_ID, Summary, run
from ctatracker.model.schema import ActionArea, Country, Indicator, Source
from ctatracker.store import database
from ctatracker.store.permissions import SYSTEM

REAL_2023 = Path(__file__).resolve().parents[2] / "data" / "external" / "iea-global-ev-data-2023-cars.csv"
REAL_2025 = Path(__file__).resolve().parents[2] / "data" / "external" / "EVDataExplorer2025.xlsx"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "iea"
COUNTRIES = (("CHN", "China", "East Asia"), ("IND", "India", "South Asia"), ("IDN", "Indonesia", "Southeast Asia"),
             ("KOR", "Republic of Korea", "East Asia"), ("MYS", "Malaysia", "Southeast Asia"),
             ("THA", "Thailand", "Southeast Asia"), ("VNM", "Viet Nam", "Southeast Asia"))
INDICATORS = (("ev_sales_share", "percent", "electric_vehicles"), ("ev_stock_share", "percent", "electric_vehicles"),
              ("ev_sales", "vehicles", "electric_vehicles"), ("ev_stock", "vehicles", "electric_vehicles"),
              ("public_charging_points", "charging_points", "charging_grid"),
              ("public_fast_charging_points", "charging_points", "charging_grid"),
              ("public_slow_charging_points", "charging_points", "charging_grid"))


def make_db(path: Path) -> Path:
    """A tiny tracker database with the reference rows the importer needs (and the hand-made 2023 source)."""
    con = database.connect(path)
    database.create_schema(con)
    database.write_rows(con, [Source(id=IEA_SOURCE_ID, title="Global EV Data Explorer", publisher="IEA", year=2023,
                                  url="https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer",
                                  family="iea-gev")], SYSTEM)
    database.write_rows(con, [ActionArea(code=code, number=n, name=code, communique_wording="test", display_order=n)
                           for code, n in (("electric_vehicles", 3), ("charging_grid", 4))], SYSTEM)
    database.write_rows(con, [Country(iso3=i, name=n, subregion=s) for i, n, s in COUNTRIES], SYSTEM)
    database.write_rows(con, [Indicator(code=code, name=code.replace("_", " "), unit=unit, higher_is_better=True,
                                     action_area_code=area, definition=f"test {code}")
                           for code, unit, area in INDICATORS], SYSTEM)
    con.close()
    return path


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = database.connect(db, read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def do_import(path: Path | str, db: Path, **kwargs) -> Summary:
    return run(path, db, **kwargs)


def workbook_from_csv(csv_path: Path, out: Path, *, sheet: str = "GEVO_EV_2025", notes: bool = True) -> Path:
    """IEA's workbook layout from a CSV export: the long table with a formula in 'Aggregate group', a Notes sheet
    with the citation placed after it, and the table's values typed (numbers as numbers)."""
    book = Workbook()
    if notes:
        book.active.title = "Notes"
        book.active["A1"] = ("Citation\n\nPlease cite this database as: IEA (2025), Global Electric Vehicle Outlook "
                             "2025, https://www.iea.org/reports/global-ev-outlook-2025 (test workbook)")
        ws = book.create_sheet(sheet, 0)
    else:
        ws = book.active
        ws.title = sheet
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        for i, row in enumerate(csv.reader(f), start=1):
            if i > 1:
                row[5] = int(row[5])
                row[7] = float(row[7]) if "." in row[7] else int(row[7])
                row[8] = f'=IF(A{i}="World","_World","Other")'
            ws.append(row)
    book.save(out)
    return out
