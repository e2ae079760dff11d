"""Pages to HTML with Jinja2 (autoescape on): the shared layout, the link-preview and canonical tags, the sources
and licences of what each page shows, and each chart's figure as JSON for the local plotly.js."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ctatracker.analysis.euro import EuroStatus
from ctatracker.charts.gaps import EURO_STATUS_COLOURS
from ctatracker.charts.overview import CO2_COLOURS
from ctatracker.charts.style import CHART_CONFIG, STATUS_COLOURS, credit_line, titled
from ctatracker.edition.cards import POSTER_WIDTH
from ctatracker.edition.chart_files import ChartFiles
from ctatracker.edition.model import CARD_SIZE, SITE_NAME, Chart, Page, Source
from ctatracker.edition.sources import CHARTS_CREDIT, MAP_CREDIT, OWN_LICENCE, OWN_LICENCE_URL
from ctatracker.findings.model import CO2_GROUP_LABELS, Co2Finding, EuroFinding, Finding
from ctatracker.io.exports import file_name

NAV = (("overview", "Overview", "index.html"), ("gaps", "Gap analysis", "gaps.html"),
       ("countries", "Countries", "countries/index.html"), ("euro", "Euro VI", "euro-vi.html"),
       ("co2", "Transport CO₂", "co2.html"), ("support", "Support", "support.html"),
       ("reporting", "Reporting status", "reporting.html"), ("changes", "What changed", "changes.html"),
       ("methodology", "Methodology", "methodology.html"), ("data", "Download data", "data.html"))
GENERIC_CARD = "card.png"
"""The generic preview image, an asset (its path in an edition holds its hash)."""
GENERIC_ALT = f"{SITE_NAME}: where Asian countries stand on clean transport by 2030."
TOPOJSON_NAME = "asia_50m"
"""The map's topology (the coverage map draws Asia at 1:50m), fetched by a map page while plotly.js loads."""
EMBED_EXTRA_HEIGHT = 110
"""Room an embedded chart's frame needs beyond the chart: its title and its source line."""


def json_for_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: '<', '>' and '&' written as escapes."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def day(value: dt.date | dt.datetime) -> str:
    """'5 Mar 2025'."""
    return f"{value.day} {value:%b %Y}"


def status_colour(f: Finding | EuroFinding | Co2Finding) -> str:
    """The colour the charts give a finding's status (shown as a swatch beside its label, never alone)."""
    if isinstance(f, Finding):
        return STATUS_COLOURS.get(f.status.value, "#BBBBBB")
    if isinstance(f, EuroFinding):
        return EURO_STATUS_COLOURS.get(EuroStatus(f.status), "#BBBBBB")
    return CO2_COLOURS.get(CO2_GROUP_LABELS[f.group], "#BBBBBB")


def _outside(href: object) -> bool:
    return isinstance(href, str) and href.startswith(("http://", "https://"))


def environment() -> Environment:
    """The templates, autoescaped, undefined names refused."""
    env = Environment(loader=PackageLoader("ctatracker.edition", "templates"), autoescape=select_autoescape(
        enabled_extensions=("html", "xml"), default=True), undefined=StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    env.filters["figure_json"] = json_for_script
    env.filters["day"] = day
    env.filters["link"] = lambda href, root: href if _outside(href) or str(href).startswith("#") else root + href
    env.tests["outside"] = _outside
    env.globals["status_colour"] = status_colour
    return env


@dataclass(frozen=True)
class Site:
    """What every page of one edition shares: its address, the date of its data, its charts' credits."""

    base_url: str
    as_of: dt.date
    built: dt.datetime
    root_path: str
    """The path part of the base URL ('/', '/tracker/'): the 404 page's root, wherever it is served."""

    def url(self, path: str) -> str:
        """The page's address: the base URL for the home page, the folder for a folder's index."""
        return self.base_url + ("" if path == "index.html" else path.removesuffix("index.html"))


class Renderer:
    """Renders the pages of one edition."""

    def __init__(self, site: Site, sources_of: dict[str, list[Source]], chart_sources: dict[str, list[Source]],
                 cards: dict[str, str], posters: dict[str, str] | None = None,
                 assets: dict[str, str] | None = None, chart_files: dict[str, ChartFiles] | None = None) -> None:
        self.env = environment()
        self.site = site
        self.sources_of = sources_of
        self.chart_sources = chart_sources
        self.cards = cards
        """Chart key -> path of its link-preview image."""
        self.posters = posters or {}
        """Chart key -> path of its poster (the chart as an image, shown until plotly.js has drawn it)."""
        self.assets = assets or {}
        """Plain name of a loaded file ('site.css', 'topojson/') -> its content-hashed path in the edition."""
        self.chart_files = chart_files or {}
        """Chart key -> the files of its figures (CSV, and zip with its sources and licences)."""
        self._saved: dict[tuple, str] = {}
        """What `saved` returned for a chart, by everything it depends on (a chart is on its page and its embed)."""

    def asset(self, name: str) -> str:
        """The path of a loaded file in the edition (its plain one under assets/ when not hashed)."""
        return self.assets.get(name, f"assets/{name}")

    def embed_code(self, c: Chart) -> str:
        """The iframe a reader copies to show the chart on another site."""
        return (f'<iframe src="{self.site.base_url}{c.embed_path}" title="{html.escape(c.title)}" width="100%" '
                f'height="{c.height + EMBED_EXTRA_HEIGHT}" style="border:0" loading="lazy"></iframe>')

    def saved(self, c: Chart) -> str:
        """What a chart saved as PNG or SVG adds to the figure on screen: its title, notes and the credit line of
        its sources (with the date of the data) in the figure, the margin and height they take (JSON)."""
        key = (c.key, c.title, tuple(c.notes), c.height, c.figure)
        if key not in self._saved:
            self._saved[key] = self._saved_layout(c)
        return self._saved[key]

    def _saved_layout(self, c: Chart) -> str:
        credit = credit_line([s.credit for s in self.chart_sources.get(c.key, [])], self.site.as_of)
        layout = json.loads(c.figure).get("layout", {})
        kept = ("title", "margin", "height")  # all the title needs (the whole layout's template is slow to check)
        fig = titled(go.Figure(layout={k: v for k, v in layout.items() if k in kept}), c.title, credit,
                     " ".join(c.notes) or None)
        keep = {k: v for k, v in fig.layout.to_plotly_json().items() if k in kept}
        keep.setdefault("height", c.height)
        return json.dumps(keep, ensure_ascii=False, separators=(",", ":"))

    def card(self, page: Page) -> dict[str, Any]:
        """The page's link-preview image: its main chart's PNG, else the generic card."""
        chart = next((c for c in page.charts if c.key == page.card), None)
        path = self.cards.get(page.card or "")
        if chart is None or path is None:
            return {"url": self.site.base_url + self.asset(GENERIC_CARD), "alt": GENERIC_ALT, "width": CARD_SIZE[0],
                    "height": CARD_SIZE[1]}
        return {"url": self.site.base_url + path, "alt": chart.alt, "width": CARD_SIZE[0], "height": CARD_SIZE[1]}

    def render(self, page: Page) -> str:
        """One page as HTML."""
        root = self.site.root_path if page.path == "404.html" else page.root
        config = {**CHART_CONFIG, "responsive": True, "topojsonURL": root + self.asset("topojson/")}
        return self.env.get_template(page.template).render(
            page=page, root=root, site=SITE_NAME, canonical=self.site.url(page.path), card=self.card(page),
            nav=NAV, charts={c.key: c for c in page.charts}, sources=self.sources_of.get(page.path, []),
            chart_sources=self.chart_sources, embed_code=self.embed_code, as_of=self.site.as_of,
            built=self.site.built, own_licence=OWN_LICENCE, own_licence_url=OWN_LICENCE_URL,
            has_map=any(c.map for c in page.charts), map_credit=MAP_CREDIT, charts_credit=CHARTS_CREDIT,
            plotly_config=json_for_script(config), topojson=TOPOJSON_NAME, posters=self.posters,
            poster_width=POSTER_WIDTH, asset=self.asset, chart_files=self.chart_files, saved=self.saved,
            file_stem=lambda c: file_name(c.title, as_of=self.site.as_of),
            first_key=page.charts[0].key if page.charts else None)
