"""A table download that tools read: the plain CSV is the table alone, and the "CSV with metadata" zip holds the
same CSV with a datapackage.json Frictionless validates and a README saying what the table is."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import frictionless
import pandas as pd

from ctatracker.io import table_bundle
from ctatracker.io.exports import Cited, ExportMeta, to_csv_bytes
from tests.downloads import assert_reads_back, validate_bundle

HARD = pd.DataFrame({
    "Country": ["Sri Lanka", "Côte, \"quoted\"", "=HYPERLINK(\"x\")", "two\r\nlines"],
    "Year": pd.array([2024, None, 2030, 2019], dtype="Int64"),
    "Value": [12.5, None, -3.0, 1e-05],
    "Count": [1, 2, 3, 4],
    "In line": [True, False, True, False],
    "Supported": pd.array([True, None, False, True], dtype="boolean"),
    "Assessed on": pd.to_datetime(["2024-12-31", None, "2023-01-01", "2022-06-30"]),
    "Changed at": pd.to_datetime(["2024-12-31 10:20:30", None, "2023-01-01 00:00:01", "2022-06-30 08:00:00"]),
    "Mixed": ["12.34", 5, None, "no data"],
})
META = ExportMeta(
    title="Gap analysis: EV share of new vehicle sales", as_of=dt.date(2026, 11, 30),
    indicator="EV share of new vehicle sales", unit="%", target="30% by 2030 (regional)",
    sources=(Cited("IEA (2025), Global EV Data Explorer", "https://www.iea.org/data", "CC BY 4.0",
                   "Source: IEA (2025), Global EV Data Explorer, CC BY 4.0", None, dt.date(2025, 3, 1)),
             Cited("IEA (2023), Global EV Data Explorer", "https://www.iea.org/data", "CC BY 4.0",
                   "Source: IEA (2023), Global EV Data Explorer, CC BY 4.0"),
             Cited("JRC (2024), EDGAR", "https://edgar.jrc.ec.europa.eu", "CC BY-NC-ND 4.0",
                   "Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0"),
             Cited("Ministry (2024), report")),
    notes=("What the figure counts: all vehicles.",))
NAME = "gap-30pct-ev-sales-share-by-2030-2026-11-30"


def test_the_csv_reads_back_as_the_table_with_no_options() -> None:
    assert_reads_back(to_csv_bytes(HARD), HARD)


def test_the_csv_with_metadata_validates_and_holds_the_same_csv(tmp_path: Path) -> None:
    data = table_bundle.zip_bytes(HARD, META, NAME)
    desc = validate_bundle(data, tmp_path)
    [res] = desc["resources"]
    assert res["path"] == f"{NAME}.csv" and (tmp_path / res["path"]).read_bytes() == to_csv_bytes(HARD)
    types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    assert types == {"Country": "string", "Year": "integer", "Value": "number", "Count": "integer",
                     "In line": "boolean", "Supported": "boolean", "Assessed on": "date", "Changed at": "string",
                     "Mixed": "string"}
    assert desc["title"] == META.title and desc["dataAsOf"] == "2026-11-30" and desc["unit"] == "%"
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("README.md").date_time[:3] == (2026, 11, 30)


def test_a_changed_file_fails_validation(tmp_path: Path) -> None:
    validate_bundle(table_bundle.zip_bytes(HARD, META, NAME), tmp_path)
    path = tmp_path / f"{NAME}.csv"
    path.write_bytes(path.read_bytes().replace(b"Sri Lanka", b"Sri Lankb"))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid and "hash-count" in {e[0] for e in report.flatten(["type"])}
    frame = HARD.assign(Year=["2024", "soon", "2030", "2019"])  # text in a column declared whole numbers
    desc = table_bundle.descriptor(frame, META, NAME, to_csv_bytes(frame))
    desc["resources"][0]["schema"] = table_bundle.schema(HARD)
    path.write_bytes(to_csv_bytes(frame))
    (tmp_path / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert "type-error" in {e[0] for e in report.flatten(["type"])}


def test_the_metadata_names_every_source_with_its_licence_credit_line_and_date_read() -> None:
    desc = table_bundle.descriptor(HARD, META, NAME, b"")
    assert [s["credit"] for s in desc["sources"]][:3] == [s.credit for s in META.sources][:3]
    assert desc["sources"][0]["accessed"] == "2025-03-01" and desc["sources"][1]["accessed"] is None
    assert desc["sources"][3] == {"title": "Ministry (2024), report", "licence": None, "credit": None,
                                  "accessed": None}
    names = [lic["name"] for lic in desc["licenses"]]
    assert names == ["CC-BY-4.0", "CC-BY-NC-ND-4.0"]  # one entry per licence: no two share a name
    assert "tracker's own data" in desc["licenses"][0]["title"] and "IEA (2023)" in desc["licenses"][0]["title"]
    assert desc["licenses"][1]["path"] == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert "CC BY 4.0" in desc["terms"] and desc["citation"].startswith("Clean Transport Asia Tracker")


def test_the_readme_says_what_the_table_is_in_words() -> None:
    text = table_bundle.readme(HARD, META, NAME)
    assert text.startswith(f"# {META.title}\n") and "Data as of 30 November 2026." in text
    assert "| Year | whole number |" in text and "| Assessed on | date (YYYY-MM-DD) |" in text
    assert "Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0" in text
    assert "read on 1 March 2025" in text and "date read: not recorded" in text
    assert "Ministry (2024), report. Names no licence" in text
    assert "## How to cite" in text and "What the figure counts: all vehicles." in text
    assert "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International" in text


def test_a_table_from_the_tracker_alone_still_says_so(tmp_path: Path) -> None:
    meta = ExportMeta("Reporting status", dt.date(2026, 1, 2))
    frame = pd.DataFrame({"Country": ["India"], "Status": ["stale"]})
    desc = validate_bundle(table_bundle.zip_bytes(frame, meta, "reporting-status-2026-01-02"), tmp_path)
    assert desc["sources"] == [{"title": "Clean Transport Asia Tracker, Asia LEDS Partnership"}]
    assert [lic["name"] for lic in desc["licenses"]] == ["CC-BY-4.0"]
