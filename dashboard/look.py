"""What every page shares to be usable by anyone (WCAG 2.1 AA): readable contrast, a visible focus, a sidebar that
is out of the keyboard's way when it is closed, and the navigation's section names. Pages head their sections with
st.header (h2) and what is inside a section with st.subheader (h3), so no heading level is skipped; the sizes here
keep a section heading below the page title.

The navigation is one flat list (a list of links, as screen readers expect; Streamlit's sections would put other
elements between the list and its items), so each section's name is drawn above its first link here.
"""

from __future__ import annotations

import streamlit as st

FOCUS = "#0072B2"
"""The focus ring: the theme's blue, 5.1:1 on white (WCAG asks 3:1 of a focus indicator)."""
MUTED_TEXT = "rgba(47, 45, 43, 0.8)"
"""Captions and help text: the body text at 80% (about 7:1 on white; Streamlit's own 60% gives 3.9:1)."""


def _section_labels(sections: dict[str, str]) -> str:
    """CSS drawing each section's name above the link of its first page (`sections`: URL path -> name)."""
    rules = []
    for path, name in sections.items():
        ending = f'a[href$="/{path}"]' if path else 'a[href$="/"]'
        rules.append(f'[data-testid="stSidebarNavItems"] > li:has({ending})::before{{content:"{name}"}}')
    return "\n".join(rules)


_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {opacity: 1 !important;
  color: MUTED !important}
[data-testid="stCaptionContainer"] a {color: inherit; text-decoration: underline}
[data-testid="stWidgetLabel"] [data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"] {opacity: 1}
a:focus-visible, button:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
[role="button"]:focus-visible, [tabindex]:focus-visible, input:focus-visible, textarea:focus-visible,
[data-testid="stSidebarNavLink"]:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible {
  outline: 3px solid FOCUS !important; outline-offset: 2px !important; border-radius: 4px}
[data-testid="stSkipToContent"]:focus {outline: 3px solid FOCUS !important}
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"],
[data-testid="stSidebar"][data-collapsed="true"] [data-testid="stSidebarContent"] * {visibility: hidden !important}
[data-testid="stMain"] h2 {font-size: 1.75rem !important}
[data-testid="stMain"] h3 {font-size: 1.3rem !important}
[data-testid="stSidebarNavItems"] > li::before {display: block; margin: .9rem 0 .2rem .5rem; font-size: .8rem;
  font-weight: 600; color: MUTED}
[data-testid="stSidebarNavItems"] > li:first-child::before {margin-top: .2rem}
"""


def apply(sections: dict[str, str]) -> None:
    """The shared style, once per run (a style element only: it takes no room on the page)."""
    css = _CSS.replace("MUTED", MUTED_TEXT).replace("FOCUS", FOCUS)
    st.html(f"<style>{css}{_section_labels(sections)}</style>")
