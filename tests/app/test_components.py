"""Shared building blocks: the headline cards put text on the page as text, never as markup."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _cards_page() -> None:
    from ctatracker.headline import HeadlineFigure
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
