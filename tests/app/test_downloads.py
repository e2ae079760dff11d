"""AppTest: every download the public pages offer, collected as each page makes it. Their names are unique across
the pages and carry the date of the data; each table's CSV reads back with `pandas.read_csv` as the table given to
the download, its "CSV with metadata" zip passes `frictionless validate`, and its Excel file has an About sheet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.downloads import assert_reads_back, validate_bundle

PAGES = [("views/overview.py", None), ("views/progress.py", None), ("views/gaps.py", None),
         ("views/cooperation.py", {"country": "IND"}), ("views/activities.py", None), ("views/catalogue.py", None),
         ("views/methodology.py", None), ("views/reporting_status.py", None), ("views/what_changed.py", None),
         ("views/download.py", None)]
DATED = re.compile(r"-(\d{4}-\d{2}-\d{2})\.(csv|zip|xlsx|xml)$")


def _with_a_change(seed_copy: Path) -> None:
    """One approved change, so that What changed has a table to offer."""
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Observation
    from ctatracker.store import review
    from ctatracker.store.database import connect, current_record
    from ctatracker.store.permissions import Actor

    con = connect(seed_copy)
    key = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
    row = Observation.model_validate(current_record(con, Observation, key) | {"value": 12.34})
    author = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
    batch = review.propose(con, author, [review.change_now(con, row)])
    review.approve(con, batch, Actor(name="sec@alp.example", role=Role.SECRETARIAT))
    con.close()


@pytest.fixture()
def offered(seed_copy: Path, point_at, monkeypatch: pytest.MonkeyPatch) -> tuple[list[dict], list[dict], object]:
    """Open every page with downloads; returns the buttons (page, label, file name, data), the tables given to
    `components.downloads` (page, frame, name, meta) and the date of the data."""
    import streamlit

    from ctatracker.store import queries
    from ctatracker.store.database import connect
    from dashboard import components

    _with_a_change(seed_copy)
    point_at(seed_copy)
    con = connect(seed_copy, read_only=True)
    as_of = queries.last_update(con).date()
    con.close()
    buttons: list[dict] = []
    tables: list[dict] = []
    page = {"name": None}

    def record(original):
        def button(*args, **kwargs):
            names = ("label", "data", "file_name")
            given = dict(zip(names, args[1:] if args and isinstance(args[0], DeltaGenerator) else args,
                             strict=False)) | {k: v for k, v in kwargs.items() if k in names}
            if page["name"]:  # the page opened, not the home page run before it
                buttons.append({"page": page["name"], **given})
            return original(*args, **kwargs)
        return button

    downloads = components.downloads

    def table_downloads(frame, name, key, meta=None):
        if page["name"]:
            tables.append({"page": page["name"], "frame": frame, "name": name, "key": key})
        return downloads(frame, name, key, meta)

    monkeypatch.setattr(DeltaGenerator, "download_button", record(DeltaGenerator.download_button))
    monkeypatch.setattr(streamlit, "download_button", record(streamlit.download_button))
    monkeypatch.setattr(components, "downloads", table_downloads)
    for path, params in PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        for name, value in (params or {}).items():
            at.query_params[name] = value
        page["name"] = None
        at.run()
        page["name"] = path
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return buttons, tables, as_of


def test_every_download_has_a_unique_dated_name_and_tools_read_it(offered, tmp_path: Path) -> None:
    buttons, tables, as_of = offered
    pages = {b["page"] for b in buttons}
    assert pages == {p for p, _ in PAGES}, set(p for p, _ in PAGES) - pages  # every page offers something
    names = [b["file_name"] for b in buttons]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    tabled = [b for b in buttons if b["label"] in ("CSV", "CSV with metadata", "Excel")]
    assert len(tabled) == 3 * len(tables) and len(tables) >= 15
    assert {"clean-transport-asia-tracker-data", "activities-iati-2.03"} <= {DATED.sub("", n) for n in names}
    for b in buttons:
        match = DATED.search(b["file_name"])
        assert match and match.group(1) == as_of.isoformat(), b["file_name"]  # named with the date of the data
    for i, table in enumerate(tables):
        csv, bundle, excel = tabled[3 * i: 3 * i + 3]
        assert (csv["label"], bundle["label"], excel["label"]) == ("CSV", "CSV with metadata", "Excel")
        assert csv["file_name"].removesuffix(".csv") == bundle["file_name"].removesuffix(".zip")
        assert_reads_back(csv["data"](), table["frame"])
        where = tmp_path / str(i)
        desc = validate_bundle(bundle["data"](), where)
        assert desc["title"] and desc["dataAsOf"] == as_of.isoformat() and desc["sources"] and desc["terms"]
        assert (where / desc["resources"][0]["path"]).read_bytes() == csv["data"]()  # the same CSV, beside its metadata
        book = load_workbook(io.BytesIO(excel["data"]()))
        about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
        assert about["Data as of"] == f"{as_of.day} {as_of:%B %Y}" and about["Terms"], excel["file_name"]
        assert pd.read_excel(io.BytesIO(excel["data"]()), sheet_name="data").shape == table["frame"].shape


def test_the_three_downloads_that_had_no_date_now_describe_themselves(offered, tmp_path: Path) -> None:
    buttons, _tables, as_of = offered
    for stem in ("reporting-status", "what-changed", "cooperation-matching"):
        [bundle] = [b for b in buttons if b["file_name"] == f"{stem}-{as_of.isoformat()}.zip"]
        desc = validate_bundle(bundle["data"](), tmp_path / stem)
        readme = (tmp_path / stem / "README.md").read_text(encoding="utf-8")
        assert desc["title"].lower() == stem.replace("-", " ") and "## Licences and terms" in readme
    [changed] = [b for b in buttons if b["file_name"] == f"what-changed-{as_of.isoformat()}.zip"]
    desc = validate_bundle(changed["data"](), tmp_path / "changed")
    assert any("Business Standard" in s["title"] for s in desc["sources"])  # the changed figure's source
