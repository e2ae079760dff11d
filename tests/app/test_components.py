"""Shared building blocks: the headline cards put text on the page as text, never as markup."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _cards_page() -> None:
    from ctatracker.analysis.headline import HeadlineFigure
    from dashboard import components

    components.figure_cards([
        HeadlineFigure("Countries covered", "17", ("Asian countries",), "…"),
        HeadlineFigure("<script>alert(1)</script> & co", "3 < 4", ("a 'quoted' note", "second"), "…"),
    ])


def test_figure_cards_escape_their_text_and_keep_every_note() -> None:
    at = AppTest.from_function(_cards_page).run()
    assert not at.exception
    body = at.html[0].value
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body
    assert "<dd class='value'>3 &lt; 4</dd>" in body
    assert body.count("<dt>") == 2 and body.count("class='note'") == 3
    assert "a &#x27;quoted&#x27; note" in body


def test_charts_show_their_toolbar_on_hover_with_only_the_png_download() -> None:
    """Before: the full toolbar sat over chart titles and labels on a phone."""
    from ctatracker.charts.style import CHART_CONFIG, MAP_CONFIG

    for config in (CHART_CONFIG, MAP_CONFIG):
        assert config["displayModeBar"] == "hover" and config["modeBarButtons"] == [["toImage"]]
        assert config["toImageButtonOptions"]["format"] == "png"


def test_the_terms_line_names_iea_terms_only_when_an_iea_source_is_cited() -> None:
    import pandas as pd

    from dashboard.chart_panel import terms_line

    iea = pd.DataFrame({"source_publisher": ["IEA"], "source_title": ["Global EV Outlook"], "source_url": [None]})
    other = pd.DataFrame({"source_publisher": ["Ministry"], "source_title": ["Report"], "source_url": [None]})
    assert "CC BY 4.0" in terms_line(iea) and "Clean Transport Asia Tracker" in terms_line(iea)
    assert "CC BY 4.0" not in terms_line(other) and "each figure stays under its source" in terms_line(other).lower()


def test_headers_are_words_from_the_column_config_or_the_name() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard.components import headers

    frame = pd.DataFrame({"country_name": ["India"], "source_year": [2024], "cited_by": [3]})
    labels = headers(frame, {"country_name": "Country", "cited_by": st.column_config.NumberColumn("Cited by")})
    assert labels == {"country_name": "Country", "source_year": "Source year", "cited_by": "Cited by"}
