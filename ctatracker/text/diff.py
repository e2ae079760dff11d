"""A word-level difference between two texts, for a reviewer: what was removed and what was added."""

from __future__ import annotations

import difflib
import html
import re

_TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(before: object, after: object) -> list[tuple[str, str]]:
    """(kind, text) pieces, kind one of 'same', 'removed', 'added'; whitespace is kept with the words."""
    old = _TOKEN.findall("" if before is None else str(before))
    new = _TOKEN.findall("" if after is None else str(after))
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", "".join(old[a0:a1])))
            continue
        if a1 > a0:
            out.append(("removed", "".join(old[a0:a1])))
        if b1 > b0:
            out.append(("added", "".join(new[b0:b1])))
    return [(k, t) for k, t in out if t]


def diff_html(before: object, after: object) -> str:
    """The difference as escaped HTML: removed words struck through on red, added ones underlined on green."""
    tags = {"same": ("", ""),
            "removed": ("<del style='background:#fde0dc;text-decoration:line-through'>", "</del>"),
            "added": ("<ins style='background:#d7f5dd;text-decoration:underline'>", "</ins>")}
    pieces = [tags[k][0] + html.escape(t).replace("\n", "<br>") + tags[k][1] for k, t in word_diff(before, after)]
    return "".join(pieces) or "<em>empty</em>"
