"""Checks on client-sent values: types, enums, and text limits counted after NFC normalisation."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Iterable

from .errors import DomainError

ITEM, NOTE, QUOTE, LONG, SHORT = 500, 2000, 2000, 10_000, 200
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def payload(data: Any) -> dict[str, Any]:
    """The event's payload as a dict; `None` (no payload) counts as empty."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DomainError("bad_request", "The payload must be a JSON object.")
    return data


def text(value: Any, field: str, limit: int, *, required: bool = True) -> str:
    """A text field, NFC-normalised and trimmed; refused when empty (if required) or too long."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DomainError("bad_request", f"'{field}' must be a string.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise DomainError("bad_request", f"'{field}' is not valid Unicode text.") from None
    value = unicodedata.normalize("NFC", value).strip()
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value):
        raise DomainError("bad_request", f"'{field}' contains control characters.")
    if required and not value:
        raise DomainError("bad_request", f"'{field}' must not be empty.")
    if len(value) > limit:
        raise DomainError("too_long", f"'{field}' is longer than {limit} characters.")
    return value


def text_list(value: Any, field: str, limit: int) -> list[str]:
    if not isinstance(value, list):
        raise DomainError("bad_request", f"'{field}' must be a list of strings.")
    if len(value) > 100:
        raise DomainError("too_long", f"'{field}' has more than 100 entries.")
    return [text(v, field, limit) for v in value]


def integer(value: Any, field: str, low: int, high: int, *, nullable: bool = False) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("bad_request", f"'{field}' must be a whole number.")
    if not low <= value <= high:
        raise DomainError("bad_request", f"'{field}' must be between {low} and {high}.")
    return value


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise DomainError("bad_request", f"'{field}' must be true or false.")
    return value


def choice(value: Any, field: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise DomainError("bad_request", f"'{field}' must be one of: {', '.join(allowed)}.")
    return value


def identifier(value: Any, field: str) -> int:
    """An id sent by a client: a positive integer (a numeric string is accepted too)."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise DomainError("bad_request", f"'{field}' must be an id.")
    return value


def identifiers(value: Any, field: str) -> list[int]:
    if not isinstance(value, list):
        raise DomainError("bad_request", f"'{field}' must be a list of ids.")
    if len(value) > 5000:
        raise DomainError("bad_request", f"'{field}' has too many entries.")
    ids = [identifier(v, field) for v in value]
    return list(dict.fromkeys(ids))


def date(value: Any, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DomainError("bad_request", f"'{field}' must be an ISO date (YYYY-MM-DD).")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DomainError("bad_request", f"'{field}' must be an ISO date (YYYY-MM-DD).") from None


def op_id(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise DomainError("bad_request", "'op_id' must be a string of 1 to 64 characters.")
    return value
