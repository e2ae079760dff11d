"""The attribution each source's licence asks for, read from the sources table (for pages, chart images, the deck
and the brief)."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from ctatracker.text.attribution import attribution_line


def attributions(cur: duckdb.DuckDBPyConnection, source_ids: Iterable[str]) -> list[str]:
    """One credit line per source among `source_ids`, e.g. 'Source: EDGAR 2024 (JRC/IEA), IEA-EDGAR CO2, EDGAR
    CH4 and EDGAR N2O, CC BY-NC-ND 4.0' or 'Source: IEA (2025), Global EV Data Explorer (Global EV Outlook 2025
    edition), CC BY 4.0': sorted, each line once; ids the tracker does not hold are left out."""
    ids = sorted({str(i) for i in source_ids if i})
    if not ids:
        return []
    rows = cur.execute(f"""SELECT publisher, title, year, coalesce(licence, licence_id), attribution FROM sources
                           WHERE id IN ({', '.join('?' for _ in ids)})""", ids).fetchall()
    return sorted({attribution_line(publisher=p, title=t, year=y, licence=lic, credit=credit)
                   for p, t, y, lic, credit in rows})
