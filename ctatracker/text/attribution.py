"""Credit lines in words: what a source's licence asks a reader to see beside a figure, a chart or a table."""

from __future__ import annotations


def attribution_line(*, publisher: str, title: str, year: int | None = None, licence: str | None = None,
                     credit: str | None = None) -> str:
    """'Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, CC BY-NC-ND 4.0' from the credit line the source's licence
    asks for (else 'publisher (year), title') and the licence's usual name, when the source names one."""
    plain = f"{publisher} ({year}), {title}" if year else f"{publisher}, {title}"
    who = " ".join(credit.split()) if credit else plain
    return f"Source: {who}" + (f", {licence}" if licence else "")
