"""The base of every row model: strict configuration, shared field types and their validators."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, get_args
from urllib.parse import urlsplit

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

MIN_YEAR = 1990
MAX_YEAR = 2100


def _iso3(code: str) -> str:
    if pycountry.countries.get(alpha_3=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166 alpha-3 country code")
    return code


def _web_link(url: str) -> str:
    """An http(s) address with a host name and nothing hidden in it. http:// stays accepted for records: some
    official pages the tracker cites (ministries, city councils: 17 links in the seed) are served only over http.
    Links typed by the public must be https (SecureLink)."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("a link must start with http:// or https://")
    if any(ch.isspace() for ch in url):
        raise ValueError("a link must not contain spaces")
    if any(not ch.isprintable() or ch == "\\" for ch in url):
        raise ValueError("a link must not contain control characters or backslashes")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError:
        raise ValueError("this is not a well-formed link") from None
    host = parts.hostname or ""
    if "." not in host.strip(".") or not re.fullmatch(r"[\w.-]+|\[[0-9a-f:.]+\]", host):
        raise ValueError("a link needs a site name, such as https://www.iea.org/...")
    if "@" in parts.netloc:
        raise ValueError("a link must not hold a user name or password before its site name (user@site)")
    return url


def _secure_link(url: str) -> str:
    if not url.lower().startswith("https://"):
        raise ValueError("a link must start with https:// (the secure address of the page)")
    return url


def _not_in_future(year: int) -> int:
    if year > dt.date.today().year:
        raise ValueError(f"year {year} is in the future; observations are measured values")
    return year


Iso3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso3)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
PastYear = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR), AfterValidator(_not_in_future)]
WebLink = Annotated[str, Field(max_length=2000), AfterValidator(_web_link)]
SecureLink = Annotated[str, Field(max_length=2000), AfterValidator(_web_link), AfterValidator(_secure_link)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class Row(BaseModel):
    """Base of every table row: strict about unknown fields, lax about CSV text types."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=False)

    __table__: ClassVar[str]
    __primary_key__: ClassVar[tuple[str, ...]]
    __references__: ClassVar[dict[str, tuple[str, str]]] = {}
    __country_column__: ClassVar[str | None] = None
    __audit_redact__: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _plain_value(cls, value: object, info: ValidationInfo) -> object:
        """No NUL characters in text; TRUE/FALSE only where a yes/no belongs (Excel's TRUE is never read as 1)."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("the text holds an invisible NUL character; type it again")
        if isinstance(value, bool) and info.field_name:
            annotation = cls.model_fields[info.field_name].annotation
            if annotation is not bool and bool not in get_args(annotation):
                raise ValueError("TRUE/FALSE is not accepted here; type the value itself")
        return value

    def key(self) -> tuple:
        """The primary-key values of this row."""
        return tuple(getattr(self, col) for col in self.__primary_key__)
