"""The licences the tracker knows by their terms: what each lets others do with the data it covers.

A source names its licence (`Source.licence_id`, an SPDX identifier such as CC-BY-4.0); for a licence listed here
the source's title, address and permissions are filled from this table, so a seed file only needs the licence's
usual name ('CC BY 4.0') or its identifier. A licence not listed here keeps what the source row says; an unknown
permission counts as not given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    """One licence's terms, as far as publishing the tracker's data depends on them."""

    id: str  # SPDX identifier
    short: str  # as people write it: 'CC BY 4.0'
    title: str
    url: str
    redistribution: bool  # copies may be shared
    derivatives: bool  # changed or combined versions may be shared
    commercial: bool  # commercial use is allowed


def _cc(code: str, name: str, *, derivatives: bool = True, commercial: bool = True) -> Licence:
    return Licence(id=f"CC-{code.upper()}-4.0", short=f"CC {code.upper()} 4.0",
                   title=f"Creative Commons {name} 4.0 International",
                   url=f"https://creativecommons.org/licenses/{code}/4.0/", redistribution=True,
                   derivatives=derivatives, commercial=commercial)


KNOWN: dict[str, Licence] = {lic.id: lic for lic in (
    _cc("by", "Attribution"),
    _cc("by-sa", "Attribution-ShareAlike"),
    _cc("by-nc", "Attribution-NonCommercial", commercial=False),
    _cc("by-nd", "Attribution-NoDerivatives", derivatives=False),
    _cc("by-nc-sa", "Attribution-NonCommercial-ShareAlike", commercial=False),
    _cc("by-nc-nd", "Attribution-NonCommercial-NoDerivatives", derivatives=False, commercial=False),
    Licence("CC0-1.0", "CC0 1.0", "Creative Commons Zero 1.0 Universal (public domain dedication)",
            "https://creativecommons.org/publicdomain/zero/1.0/", True, True, True),
    Licence("ODbL-1.0", "ODbL 1.0", "Open Data Commons Open Database License 1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/", True, True, True),
)}
"""Licences known by their terms, by SPDX identifier."""

_LOOSE = re.compile(r"[\s_-]+")


def find(text: str | None) -> Licence | None:
    """The known licence an identifier or a usual name stands for ('CC BY-NC-ND 4.0', 'CC-BY-4.0', 'cc by 4.0'),
    else None."""
    if not text:
        return None
    wanted = _LOOSE.sub("-", text.strip()).casefold()
    return next((lic for lic in KNOWN.values() if wanted in (lic.id.casefold(), _LOOSE.sub("-", lic.short).casefold())),
                None)


def fill_terms(values: dict) -> dict:
    """A source row's values with its licence's usual name, identifier, title, address and permissions filled in
    when the licence is known (by its identifier, else by its usual name); what the row states itself is kept."""
    known = find(values.get("licence_id")) or (None if values.get("licence_id") else find(values.get("licence")))
    if known is None:
        return values
    filled = {"licence": known.short, "licence_id": known.id, "licence_title": known.title,
              "licence_url": known.url, "licence_redistribution": known.redistribution,
              "licence_derivatives": known.derivatives, "licence_commercial": known.commercial}
    return {**values, **{k: v for k, v in filled.items() if values.get(k) in (None, "")}}


def compatible_with(licence: Licence | None, package: Licence) -> bool:
    """Whether data under `licence` may be passed on under `package`'s terms (None: facts taken from a publication
    that names no licence, which the tracker states in its own words)."""
    if licence is None:
        return True
    if not licence.redistribution:
        return False
    return (licence.derivatives or not package.derivatives) and (licence.commercial or not package.commercial)
