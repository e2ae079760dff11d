"""The escaping helper: contributed text becomes Markdown that shows exactly its text and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.safe_text import DOMAIN_PATTERN, JOINER, bullets, domain, link, md, safe_url

CORPUS = Path(__file__).parent.parent / "fixtures" / "hostile_text.txt"
HOSTILE = [line.replace("\\n", "\n") for line in CORPUS.read_text(encoding="utf-8").splitlines()
           if line and not line.startswith("# ")]
ACTIVE = "\\`*_[]()!:<>#~|$&@{}^"
"""Characters that start Markdown (or a Streamlit directive, shortcode or math) anywhere in a line."""


def _shown(markdown: str) -> str:
    """What CommonMark shows for escaped text: each backslash escape is its character; the joiner is invisible."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n")).replace(JOINER, "")


def _active(markdown: str) -> list[str]:
    """Characters left unescaped that could start Markdown: anywhere, or a block at the start of a line."""
    found = []
    for line in markdown.split("  \n"):
        bare = re.sub(r"\\.", "", line)
        found += [c for c in bare if c in ACTIVE]
        if re.match(r"[-+=]|\d+[.)](\s|$)", line):
            found.append(line[:3])
    return found


def test_the_corpus_holds_every_kind_of_attack() -> None:
    joined = "\n".join(HOSTILE)
    for attack in ("![x](http://evil", ":red[", "<img", "www.", "@evil", ":material/", "$x^2$", "javascript:"):
        assert attack in joined


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_shows_exactly_the_text(text: str) -> None:
    assert _shown(md(text)) == " ".join(text.split())
    lines = [" ".join(line.split()) for line in re.split(r"\r\n|\r|\n", text)]
    assert _shown(md(text, lines=True)) == "\n".join(line for line in lines if line)


@pytest.mark.parametrize("text", HOSTILE)
def test_no_markdown_character_is_left_active(text: str) -> None:
    for out in (md(text), md(text, lines=True)):
        assert _active(out) == [], out
        assert "\n" not in out.replace("  \n", "")  # a line break only as a hard break, never a new block
        for line in out.split("  \n"):
            assert not line.startswith(" ")  # no indented code block


@pytest.mark.parametrize("text", HOSTILE)
def test_autolinks_shortcodes_and_directives_are_broken_after_parsing(text: str) -> None:
    """Autolinks, :shortcodes: and :directives[] are found in the parsed text, where escapes are gone."""
    parsed = re.sub(r"\\(.)", r"\1", md(text, lines=True))  # the text nodes a Markdown parser produces
    assert not re.search(r"https?://|www\.|[\w.+-]@\w|:[\w/-]", parsed, re.IGNORECASE), parsed
    assert not re.search(r":[a-z_-]+\[", parsed)


def test_missing_values_are_empty_and_other_values_are_text() -> None:
    assert md(None) == md(float("nan")) == ""
    assert md("nan") == "nan" and md(7.5) == "7.5" and md("  a \t b  ") == "a b"
    assert md("2024. A year") == "2024\\. A year" and md("- x") == "\\- x" and md("a - b, c.") == "a - b, c."
    assert md("a\x00b\x1bc") == "abc"


def test_links_only_from_http_urls_and_shown_by_their_domain() -> None:
    assert link("https://www.iea.org/reports/x", "IEA 2024") == "IEA 2024 ([iea.org](https://www.iea.org/reports/x))"
    assert link("http://evil.example/a(b)<c>") == "[evil.example](http://evil.example/a%28b%29%3Cc%3E)"
    assert link("https://x.example/[y] z", "label") == "label"  # a space: not a URL to follow
    for bad in ("javascript:alert(1)", "data:text/html,<b>", "http://", "https:///x", "ftp://x.example",
                "//evil.example", "evil.example", "https://evil.example\\@good.example", None, float("nan"), ""):
        assert safe_url(bad) is None, bad
        assert link(bad, "![x](y)") == md("![x](y)")
    assert link("https://evil.example/", "[spoof](https://good.example)").startswith("\\[spoof\\]")
    assert domain("HTTPS://WWW.Example.ORG:8443/x") == "example.org"


def test_bullets_escape_every_item() -> None:
    assert bullets(["*a*", None, "b"], "*none*") == "- \\*a\\*\n- b"
    assert bullets([], "*none*") == "*none*"


def test_link_columns_show_the_domain() -> None:
    assert re.match(DOMAIN_PATTERN, "https://www.iea.org/reports/x").group(1) == "iea.org"
