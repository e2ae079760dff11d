"""AppTest: methodology and sources page, and the app's behaviour without a database."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP


def test_methodology_and_sources_render(open_page) -> None:
    at = open_page("views/methodology.py")
    assert at.title[0].value == "Methodology and sources"
    assert any("Progress status" in m.value or "progress" in m.value.lower() for m in at.markdown)
    assert len(at.dataframe) == 1
    total = len(at.dataframe[0].value)
    assert total > 20


def test_source_search_filters_the_bibliography(open_page) -> None:
    at = open_page("views/methodology.py")
    total = len(at.dataframe[0].value)
    at.text_input(key="source_search").input("IEA").run()
    shown = at.dataframe[0].value
    assert 0 < len(shown) < total
    assert shown["publisher"].str.contains("IEA").any()


def test_missing_database_gives_the_build_command(point_at, tmp_path: Path) -> None:
    point_at(tmp_path / "nothing-here.duckdb")
    at = AppTest.from_file(APP).run()
    assert not at.exception
    assert "has not been built yet" in at.error[0].value
    assert "python -m pipelines build" in at.error[0].value


def test_empty_database_gives_the_build_command(point_at, tmp_path: Path) -> None:
    from ctatracker.store.database import connect, create_schema

    empty = tmp_path / "empty.duckdb"
    con = connect(empty)
    create_schema(con)
    con.close()
    point_at(empty)
    at = AppTest.from_file(APP).run()
    assert not at.exception
    assert "is empty" in at.error[0].value and "python -m pipelines build" in at.error[0].value
