"""AppTest: the public open-data pages (Download all data)."""

from __future__ import annotations

from ctatracker.io.datapackage import EXPORT_TABLES


def test_download_page_lists_every_table_with_its_rows(open_page) -> None:
    at = open_page("views/download.py")
    assert at.title[0].value == "Download all data"
    shown = at.dataframe[0].value
    assert len(shown) == len(EXPORT_TABLES)
    assert "Observations" in set(shown["Table"]) and (shown["Rows"] > 0).any()
    assert not any("_" in name for name in shown["Table"])  # plain words, not table names
    assert any("CC BY 4.0" in m.value for m in at.markdown)


def _reporting_db(seed_copy, point_at):
    from ctatracker.store import auth
    from ctatracker.store.database import connect

    path = seed_copy
    con = connect(path)
    auth.add_user(con, "fp@lka.example", "focal_point", country="LKA", password="correct horse battery")
    con.close()
    point_at(path)
    return path


def test_reporting_status_for_a_viewer(open_page) -> None:
    at = open_page("views/reporting_status.py")
    assert at.title[0].value == "Reporting status"
    grid = at.dataframe[0].value
    assert "Country" in grid.columns and len(grid) > 10
    assert grid["Country"].tolist() == sorted(grid["Country"])  # nobody's row first
    assert (grid.drop(columns="Country") == "no data").any().any()
    assert not any("add a figure" in m.value for m in at.markdown)  # links to the forms are for focal points
    assert any("more than 3 years old" in m.value for m in at.markdown)


def test_a_focal_point_sees_their_row_first_with_links_to_the_forms(seed_copy, point_at) -> None:
    from tests.app.conftest import open_signed_in

    _reporting_db(seed_copy, point_at)
    at = open_signed_in("views/reporting_status.py", "fp@lka.example")
    assert at.dataframe[0].value["Country"].iloc[0] == "Sri Lanka"
    assert at.dataframe[1].value["Country"].iloc[0] == "Sri Lanka"
    gaps = "\n".join(m.value for m in at.markdown)
    assert "What Sri Lanka can fill" in "\n".join(h.value for h in at.header)
    assert "[add a figure](/my_country?tab=Observation)" in gaps


def test_the_stale_setting_is_stated_and_used(open_page, monkeypatch) -> None:
    from ctatracker.config import settings

    monkeypatch.setenv("CTA_STALE_AFTER_YEARS", "30")
    settings.cache_clear()
    at = open_page("views/reporting_status.py")
    assert any("more than 30 years old" in m.value for m in at.markdown)
    assert not (at.dataframe[0].value.drop(columns="Country").map(lambda c: "stale" in c)).any().any()


def test_what_changed_lists_an_approved_change_without_emails(seed_copy, point_at) -> None:
    from ctatracker.model.enums import Role
    from ctatracker.model.schema import Observation
    from ctatracker.store import review
    from ctatracker.store.database import connect, current_record
    from ctatracker.store.permissions import Actor
    from tests.app.conftest import open_signed_in

    path = _reporting_db(seed_copy, point_at)
    con = connect(path)
    key = ("IND", "ev_sales_share", "all_vehicles", 2024, "business-standard-2025-ind-niti")
    row = Observation.model_validate(current_record(con, Observation, key) | {"value": 12.34})
    author = Actor(name="fp@ind.example", role=Role.FOCAL_POINT, country_iso3="IND")
    batch = review.propose(con, author, [review.change_now(con, row)])
    review.approve(con, batch, Actor(name="sec@alp.example", role=Role.SECRETARIAT))
    con.close()
    at = open_signed_in("views/what_changed.py", None)
    table = at.dataframe[0].value
    assert "12.34" in set(table["new value"]) and set(table["country"]) == {"India"}
    assert "@" not in table.astype(str).to_csv()
    at.selectbox(key="changed_country").set_value("LKA").run()
    assert not at.dataframe and "No approved change" in at.info[0].value
