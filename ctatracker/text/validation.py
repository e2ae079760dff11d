"""Validation errors in plain words, keyed by the field they belong to (for forms and upload previews)."""

from __future__ import annotations

from pydantic import ValidationError

ISO3_PATTERN = r"^[A-Z]{3}$"
"""Country codes are upper case; a lower-case code is refused with this rule named (never silently changed)."""

_PLAIN = {
    "missing": "this is required",
    "float_parsing": "type a number, such as 12.5",
    "float_type": "type a number, such as 12.5",
    "finite_number": "type an ordinary number",
    "int_parsing": "type a whole number, such as 2023",
    "int_type": "type a whole number, such as 2023",
    "int_from_float": "type a whole number, such as 2023",
    "date_parsing": "type a date as YYYY-MM-DD",
    "date_from_datetime_parsing": "type a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "type a date as YYYY-MM-DD, without a time",
    "date_type": "type a date as YYYY-MM-DD",
    "bool_parsing": "answer true or false",
    "string_pattern_mismatch": "use only lowercase letters, digits and - _ . (no spaces)",
    "string_too_short": "this is required",
    "extra_forbidden": "this column is not part of the template",
}


def plain_message(error: dict) -> str:
    """One pydantic error as a short sentence a focal point understands."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    shown = f" (got '{value}')" if isinstance(value, str | int | float) and 0 < len(str(value)) <= 60 else ""
    if value is None and kind.endswith(("_type", "_parsing")):
        return _PLAIN["missing"]
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ISO3_PATTERN:
        return f"a country code is three capital letters, such as IND{shown}"
    if kind in _PLAIN:
        return _PLAIN[kind] + (shown if kind not in ("missing", "string_too_short") else "")
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}{shown}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}{shown}"
    if kind == "string_too_long":
        return f"too long: at most {ctx.get('max_length')} characters"
    if kind == "enum":
        return f"choose one of: {ctx.get('expected', '')}{shown}"
    return error["msg"].removeprefix("Value error, ") + shown


def field_messages(exc: ValidationError) -> dict[str, str]:
    """Field name -> message ('' for errors about the whole record)."""
    out: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        out.setdefault(name, plain_message(error))
    return out
