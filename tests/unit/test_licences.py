"""Licence terms on sources: known licences fill their terms, older databases are filled from their licence column,
the credit line each licence asks for."""

from __future__ import annotations

import pytest

from ctatracker.model import licences
from ctatracker.model.schema import Source
from ctatracker.store.attribution import attributions
from ctatracker.store.database import connect, create_schema, write_rows
from ctatracker.store.migrate import upgrade_schema
from ctatracker.store.permissions import SYSTEM
from ctatracker.text.attribution import attribution_line

LICENCE_COLUMNS = ("licence_id", "licence_title", "licence_url", "licence_redistribution", "licence_derivatives",
                   "licence_commercial", "attribution")


@pytest.mark.parametrize(("text", "expected"), [
    ("CC BY 4.0", ("CC-BY-4.0", True, True, True)), ("cc-by-4.0", ("CC-BY-4.0", True, True, True)),
    ("CC BY-NC-ND 4.0", ("CC-BY-NC-ND-4.0", True, False, False)),
    ("CC-BY-NC-ND-4.0", ("CC-BY-NC-ND-4.0", True, False, False)), ("CC BY-SA 4.0", ("CC-BY-SA-4.0", True, True, True)),
])
def test_a_known_licence_brings_its_terms(text: str, expected: tuple) -> None:
    source = Source(id="s", title="A dataset", publisher="A publisher", licence=text)
    assert (source.licence_id, source.licence_redistribution, source.licence_derivatives,
            source.licence_commercial) == expected
    assert source.licence_url.startswith("https://creativecommons.org/licenses/")
    assert source.licence == text  # as the row gives it
    by_id = Source(id="s", title="A dataset", publisher="A publisher", licence_id=expected[0])
    assert by_id.licence == licences.KNOWN[expected[0]].short and by_id.licence_derivatives == expected[2]


def test_what_a_source_states_itself_is_kept_and_unknown_licences_stay_unknown() -> None:
    own = Source(id="s", title="t", publisher="p", licence="CC BY 4.0", licence_title="As the publisher names it")
    assert own.licence_title == "As the publisher names it" and own.licence_id == "CC-BY-4.0"
    unknown = Source(id="s", title="t", publisher="p", licence="Publisher's own terms")
    assert (unknown.licence_id, unknown.licence_redistribution) == (None, None)
    with pytest.raises(ValueError, match="licence_id"):
        Source(id="s", title="t", publisher="p", licence_id="CC BY 4.0 or so")


def test_compatibility_with_the_packages_licence() -> None:
    by, nc_nd = licences.KNOWN["CC-BY-4.0"], licences.KNOWN["CC-BY-NC-ND-4.0"]
    assert licences.compatible_with(None, by) and licences.compatible_with(by, by)
    assert not licences.compatible_with(nc_nd, by) and not licences.compatible_with(licences.KNOWN["CC-BY-NC-4.0"], by)
    assert licences.compatible_with(nc_nd, nc_nd)


def test_an_older_database_gets_the_licence_columns_filled_from_its_licence_column() -> None:
    old = connect(":memory:")
    create_schema(old)
    for column in LICENCE_COLUMNS:
        old.execute(f"ALTER TABLE sources DROP COLUMN {column}")
    old.execute("INSERT INTO sources (id, title, publisher, licence) VALUES ('iea', 'Data', 'IEA', 'CC BY 4.0'), "
                "('edgar', 'Data', 'JRC', 'CC BY-NC-ND 4.0'), ('news', 'A story', 'A paper', NULL), "
                "('odd', 'Data', 'X', 'its own terms')")
    assert upgrade_schema(old) == [f"sources.{c}" for c in LICENCE_COLUMNS]
    got = old.execute("SELECT id, licence_id, licence_derivatives, licence_commercial FROM sources ORDER BY id"
                      ).fetchall()
    assert got == [("edgar", "CC-BY-NC-ND-4.0", False, False), ("iea", "CC-BY-4.0", True, True),
                   ("news", None, None, None), ("odd", None, None, None)]
    assert upgrade_schema(old) == []


def test_attribution_lines() -> None:
    assert attribution_line(publisher="IEA", title="Global EV Data Explorer", year=2025, licence="CC BY 4.0") == \
        "Source: IEA (2025), Global EV Data Explorer, CC BY 4.0"
    assert attribution_line(publisher="A paper", title="A story") == "Source: A paper, A story"
    con = connect(":memory:")
    create_schema(con)
    write_rows(con, [
        Source(id="edgar-ghg-2024", title="EDGAR Community GHG Database", publisher="JRC and IEA", year=2024,
               licence="CC BY-NC-ND 4.0", attribution="EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2"),
        Source(id="iea-gev-data-2025", title="Global EV Data Explorer (Global EV Outlook 2025 edition)",
               publisher="IEA", year=2025, licence="CC BY 4.0"),
        Source(id="news", title="A story", publisher="A paper")], SYSTEM)
    assert attributions(con, {"edgar-ghg-2024", "iea-gev-data-2025", "news", "not-held", None}) == [
        "Source: A paper, A story",
        "Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0",
        "Source: IEA (2025), Global EV Data Explorer (Global EV Outlook 2025 edition), CC BY 4.0"]
    assert attributions(con, []) == [] and attributions(con, ["edgar-ghg-2024", "edgar-ghg-2024"]) == [
        "Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0"]
