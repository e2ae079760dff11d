"""AppTest: the public open-data pages (Download all data)."""

from __future__ import annotations

from ctatracker.datapackage import EXPORT_TABLES


def test_download_page_lists_every_table_with_its_rows(open_page) -> None:
    at = open_page("views/download.py")
    assert at.title[0].value == "Download all data"
    shown = at.dataframe[0].value
    assert len(shown) == len(EXPORT_TABLES)
    assert "Observations" in set(shown["Table"]) and (shown["Rows"] > 0).any()
    assert not any("_" in name for name in shown["Table"])  # plain words, not table names
    assert any("CC BY 4.0" in m.value for m in at.markdown)
