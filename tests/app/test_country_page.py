"""AppTest: country profile (header, groupings with sources, one section per action area, sources list)."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.safe_text import as_shown

PAGE = "views/country.py"
SHARE_NAME = "EV share of new vehicle sales"


def _text(at: AppTest) -> str:
    """The text a reader sees (database text is escaped in the Markdown)."""
    return as_shown("\n".join([m.value for m in at.markdown] + [c.value for c in at.caption]
                               + [i.value for i in at.info]))


def test_sri_lanka_profile_from_the_url(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    assert at.selectbox(key="w_country").value == "LKA"
    assert at.header[0].value == "Sri Lanka"
    text = _text(at)
    assert "**Subregion:** South Asia" in text
    assert "LG-CTA membership:** not recorded (the secretariat maintains membership)" in text
    assert "**Focal institution:** not recorded" in text
    assert "ALP Clean Mobility Community of Practice:** member (source: Asia LEDS Partnership ([" in text
    assert "**Last update:**" in text


def test_one_section_per_action_area_with_stage_or_no_data(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    labels = [e.label for e in at.expander]
    assert len(labels) == 7
    assert labels[2].startswith("3. Electric vehicles — Proposed / in discussion")
    assert labels[0].endswith("— no data")
    text = _text(at)
    assert "no data: no implementation stage recorded" in text
    assert "National E-Mobility Policy framework" in text  # a policy in the EV area
    assert "Euro VI, Light-duty vehicles:** Euro 4" in text  # Euro VI status in the standards area
    assert "Framework for Electric Mobility Policy in Sri Lanka (completed, 2019)" in text  # an activity
    assert "Insufficient data" in text  # gap row: no all-vehicle EV share for Sri Lanka


def test_sources_used_on_the_page_are_listed(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    assert at.subheader[-1].value == "Sources used on this page"
    sources = as_shown(at.markdown[-1].value)
    assert "Sunday Observer (Sri Lanka) 2023" in sources
    assert "Climate Analytics 2022" in sources


def test_choosing_another_country_changes_the_profile(open_page) -> None:
    at = open_page(PAGE, params={"country": "LKA"})
    at.selectbox(key="w_country").set_value("CHN").run()
    assert not at.exception
    assert at.header[0].value == "China"
    assert "**Subregion:** East Asia" in _text(at)
    figures = pd.concat([d.value for d in at.dataframe if "trend" in d.value])
    share = figures[(figures["indicator"] == SHARE_NAME) & (figures["scope"].str.lower() == "cars")]
    iea = share[share["source"] == "IEA (2023)"].iloc[0]
    assert (iea["latest"], iea["year"]) == ("29%", 2022)  # the IEA file's last value
    assert len(iea["trend"]) == 13  # 2010-2022 as a sparkline
    assert "IEA 2023" in at.markdown[-1].value


def test_a_recorded_need_shows_in_its_action_area(built_db, tmp_path, point_at) -> None:
    from ctatracker.enums import Role
    from ctatracker.permissions import Actor
    from ctatracker.schema import Need
    from ctatracker.store import connect, write_rows
    from tests.app.conftest import APP

    path = tmp_path / "tracker.duckdb"
    path.write_bytes(built_db.read_bytes())
    con = connect(path)
    need = Need(country_iso3="LKA", action_area_code="charging_grid",
                need="Grid studies for fast charging on the southern expressway.", submitted_by="sec@alp.example")
    write_rows(con, [need], Actor(name="sec@alp.example", role=Role.SECRETARIAT))
    con.close()
    point_at(path)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["country"] = "LKA"
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    section = next(e for e in at.expander if e.label.startswith("4. "))
    said = as_shown("\n".join(m.value for m in section.markdown))
    assert "Needs and challenges, as the country states them:** Grid studies for fast charging" in said
    others = "\n".join(m.value for e in at.expander if not e.label.startswith("4. ") for m in e.markdown)
    assert "Needs and challenges" not in others  # only where one is recorded
