"""Filters that live in the URL (so a link reproduces the view) and survive page switches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st


def _kept(param: str) -> str:
    return f"kept_{param}"


def _widget(param: str) -> str:
    return f"w_{param}"


def _initial(param: str, options: Sequence[Any], many: bool) -> list[Any] | None:
    wanted = st.query_params.get_all(param) if param in st.query_params else st.session_state.get(_kept(param))
    if wanted is None:
        return None
    as_text = {str(o): o for o in options}
    values = [as_text[str(w)] for w in (wanted if isinstance(wanted, list) else [wanted]) if str(w) in as_text]
    return values if (values or many) else None


def _remember(param: str, values: list[Any]) -> None:
    st.session_state[_kept(param)] = [str(v) for v in values]
    st.query_params[param] = [str(v) for v in values]


def url_multiselect(label: str, options: Sequence[Any], param: str, default: Sequence[Any],
                    format_func: Callable[[Any], str] = str, **kwargs: Any) -> list[Any]:
    """A multiselect whose selection is kept in the URL query parameter `param`."""
    initial = _initial(param, options, many=True)
    chosen = st.multiselect(label, options, default=initial if initial is not None else list(default),
                            format_func=format_func, key=_widget(param), **kwargs)
    _remember(param, chosen)
    return chosen


def url_selection(param: str, options: Sequence[Any]) -> list[Any]:
    """The selection kept for `param` without drawing its widget (e.g. while the popover holding it is shut).

    Its multiselect's value when it was just changed, else the URL, else the choice made on an earlier page;
    kept in the URL either way. Empty means nothing chosen.
    """
    if _widget(param) in st.session_state:
        values = [v for v in st.session_state[_widget(param)] if v in options]
    else:
        values = _initial(param, options, many=True) or []
    _remember(param, values)
    return values


def url_selectbox(label: str, options: Sequence[Any], param: str, default: Any = None,
                  format_func: Callable[[Any], str] = str, **kwargs: Any) -> Any:
    """A selectbox whose choice is kept in the URL query parameter `param`."""
    if not options:
        return None
    initial = _initial(param, options, many=False)
    start = initial[0] if initial else (default if default in options else options[0])
    chosen = st.selectbox(label, options, index=list(options).index(start), format_func=format_func,
                          key=_widget(param), **kwargs)
    _remember(param, [chosen])
    return chosen
