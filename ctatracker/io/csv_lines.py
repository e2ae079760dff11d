"""A CSV file's lines checked before a CSV reader sees them: their number, their length and their endings.

DuckDB answers a file it cannot read with its own words ("Error when sniffing file", "CSV Error on Line: 1" for
a 10 MB cell on line 3), which tell a person nothing about what to fix. This module finds those files first and
names the line: a line far longer than the format's, a file mixing Windows (CRLF) and Unix (LF) line endings, or
more lines than a file of the format holds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

EVERY = 10_000
"""Lines between two looks at the clock."""


@dataclass(frozen=True)
class LineLimits:
    """What a CSV of one format may hold."""

    max_lines: int
    max_line_bytes: int
    typical: str
    """How long the format's lines are, in words, e.g. 'under 200 characters'."""


def problem(path: Path, name: str, limits: LineLimits, deadline: float, seconds: float) -> str | None:
    """Why the CSV at `path` cannot be read as the format's, naming the line; None when its lines are fine.

    Reads the file once, a line at a time (at most max_line_bytes + 1 bytes of any line are kept).
    """
    crlf = lf = 0
    with path.open("rb") as f:
        number = 0
        while line := f.readline(limits.max_line_bytes + 1):
            number += 1
            if len(line) > limits.max_line_bytes and not line.endswith(b"\n"):
                rest = len(line)
                while (more := f.readline(1 << 20)) and not more.endswith(b"\n"):
                    rest += len(more)
                rest += len(more)
                return (f"{name}: line {number:,} is {rest:,} characters long; lines of this file are "
                        f"{limits.typical}, so a cell holds far too much text or the line breaks are missing")
            if line.endswith(b"\r\n"):
                crlf = crlf or number
            elif line.endswith(b"\n"):
                lf = lf or number
            if crlf and lf:
                return (f"{name} mixes Windows (CRLF, line {crlf:,}) and Unix (LF, line {lf:,}) line endings: "
                        "save it again as 'CSV UTF-8' from a spreadsheet program, or give the .xlsx workbook")
            if number > limits.max_lines:
                return f"{name} has more than {limits.max_lines:,} lines; a file of this kind holds far fewer"
            if number % EVERY == 0 and time.monotonic() > deadline:
                return f"{name}: reading took longer than {seconds:.0f} seconds"
    return None
