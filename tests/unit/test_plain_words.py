"""Words for people: a record's fields and values as a reader says them, the published tables described without
code names, and sources titled in words (never a page's node or story number)."""

from __future__ import annotations

import re

import pandas as pd

from ctatracker.config import PROJECT_ROOT
from ctatracker.io.datapackage import EXPORT_TABLES
from ctatracker.text.naming import TABLE_ABOUT, field_words, table_title, value_words

CODE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|`")


def test_fields_and_codes_in_words() -> None:
    assert field_words("country_iso3") == "country" and field_words("target_year") == "target year"
    assert value_words("powertrains", "bev_and_phev") == "battery-electric and plug-in hybrid"
    assert value_words("mode", "not_applicable") == "no vehicle type"
    assert value_words("stage", "in_policy") == "in policy" and value_words("stage", "proposed") == (
        "proposed / in discussion")
    assert value_words("value", 420.0) == "420" and value_words("value", 7.25) == "7.25"
    assert value_words("note", None) == "empty" and value_words("note", None, empty="") == ""
    assert value_words("alp_supported", True) == "yes"
    assert value_words("note", "proposed") == "proposed"  # free text is left as typed
    assert value_words("source_id", "iea-gev-data-2025") == "iea-gev-data-2025"  # named only with a Namer


def test_every_published_table_is_described_in_words() -> None:
    for table in EXPORT_TABLES:
        assert table in TABLE_ABOUT, table
        assert not CODE.search(TABLE_ABOUT[table]) and not CODE.search(table_title(table)), table


def test_sources_are_titled_in_words() -> None:
    sources = pd.read_csv(PROJECT_ROOT / "data" / "seed" / "sources.csv")
    numbered = sources[sources["title"].str.contains(r"\b(?:node|story|article)\s*\d+", case=False, regex=True)]
    assert numbered.empty, list(numbered["title"])


def test_a_count_says_its_noun_in_the_right_number() -> None:
    from ctatracker.text.naming import counted

    assert [counted(0, "change"), counted(1, "change"), counted(1204, "row"), counted(2, "entry", "entries")] == [
        "0 changes", "1 change", "1,204 rows", "2 entries"]
