"""Checks on client-sent values: types, enums, and texts (invisible characters stripped, NFC,
limits counted after both)."""
from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, Iterable

import regex

from .errors import DomainError

ITEM, NOTE, QUOTE, LONG, SHORT = 500, 2000, 2000, 10_000, 200
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
_ID_DIGITS = 19  # 2**63 - 1 has 19 digits

# Characters that render as nothing: Unicode's Default_Ignorable_Code_Point (bidi embeddings,
# overrides, isolates and marks, zero-width spaces and joiners, word joiner, BOM, tag characters,
# variation selectors, Hangul fillers, soft hyphen) and the interlinear annotation controls. They
# can reorder, hide or disguise a text on the projector and in the record, so they are stripped,
# except where they have a visible use: a joiner inside an emoji sequence (👩‍💻), a joiner or
# non-joiner between letters of a script that writes with them (Persian, Arabic, Indic), one
# variation selector after a visible character (❤️; an ideographic one after an ideograph),
# and the tags of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
_NO_JOINERS = r"[\p{Latin}\p{Greek}\p{Cyrillic}\p{Common}\p{Inherited}]"
_INVISIBLE = regex.compile(rf"""
    (?P<keep>
        (?<=\U0001F3F4)[\U000E0030-\U000E0039\U000E0061-\U000E007A]{{2,7}}\U000E007F
      | (?<=\p{{Extended_Pictographic}}[\uFE0F\p{{Emoji_Modifier}}]?)\u200D(?=\p{{Extended_Pictographic}})
      | (?<=[\p{{L}}--{_NO_JOINERS}]\p{{M}}*)[\u200C\u200D](?=[\p{{L}}--{_NO_JOINERS}])
      | (?<=[^\p{{Default_Ignorable_Code_Point}}\s\p{{Cc}}])[\uFE00-\uFE0F]
      | (?<=\p{{Ideographic}})[\U000E0100-\U000E01EF]
    )
    | [\p{{Default_Ignorable_Code_Point}}\uFFF9-\uFFFB]
""", regex.VERBOSE | regex.VERSION1)


def visible(value: str) -> str:
    """`value` without the invisible characters that have no visible use where they stand."""
    return _INVISIBLE.sub(lambda match: match["keep"] or "", value)


def payload(data: Any) -> dict[str, Any]:
    """The event's payload as a dict; `None` (no payload) counts as empty."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DomainError("bad_request", "The payload must be a JSON object.")
    return data


def text(value: Any, field: str, limit: int, *, required: bool = True) -> str:
    """A text field without invisible characters, NFC-normalised and trimmed; refused when
    empty (if required: a text of invisible characters only is empty) or too long."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DomainError("bad_request", f"'{field}' must be a string.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise DomainError("bad_request", f"'{field}' is not valid Unicode text.") from None
    value = unicodedata.normalize("NFC", visible(value)).strip()
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
    """An id sent by a client: a positive integer below 2**63 (or one written in ASCII digits)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= _ID_DIGITS:
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
    """A client-made key of 1 to 64 printable characters (no controls, no lone surrogates)."""
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 64 or not value.isprintable():
        raise DomainError("bad_request", "'op_id' must be a string of 1 to 64 printable characters.")
    return value
