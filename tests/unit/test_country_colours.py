"""One fixed colour per country, the same in the dashboard's progress chart and in the deck."""

from __future__ import annotations

import pandas as pd

from ctatracker.charts.progress import _colours
from ctatracker.charts.style import COUNTRY_COLOURS


def test_every_covered_country_has_its_own_colour(seed_dir) -> None:
    countries = pd.read_csv(seed_dir / "countries.csv")
    assert set(countries["iso3"]) <= set(COUNTRY_COLOURS)
    assert len(set(COUNTRY_COLOURS.values())) == len(COUNTRY_COLOURS)


def test_a_country_keeps_its_colour_whatever_else_is_shown() -> None:
    alone = _colours(pd.DataFrame({"country_iso3": ["LKA"], "country_name": ["Sri Lanka"]}))
    many = _colours(pd.DataFrame({"country_iso3": ["BGD", "IND", "LKA"],
                                  "country_name": ["Bangladesh", "India", "Sri Lanka"]}))
    assert alone["LKA"] == many["LKA"] == COUNTRY_COLOURS["LKA"]
