"""Where the projector's long words may break: soft hyphens from pyphen's Swedish and English
dictionaries (LibreOffice's, shipped inside the package: nothing is downloaded), so that
"förvaltningarna" breaks as "förvalt-ningarna", never "förvaltningarn-a". Only on the way out to
a projector: texts are stored without soft hyphens (validate.text strips them from input)."""
from __future__ import annotations

from functools import cache
from typing import Any

import pyphen

from .operations.errors import DomainError

SOFT_HYPHEN = "\u00ad"
DICTIONARIES = {"sv": "sv", "en": "en_GB"}
MOST_WORDS = 500
LONGEST_WORD = 64


@cache
def dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=DICTIONARIES[language], left=3, right=3)  # no two-letter piece on either side


def hyphenate(word: str, language: str = "sv") -> str:
    """`word` with a soft hyphen at each place it may break."""
    return dictionary(language).inserted(word, hyphen=SOFT_HYPHEN)


def hyphenated(data: Any) -> dict[str, str]:
    """The answer to a projector's `hyphenate` ({words: [...], language}): each word with its soft hyphens."""
    if not isinstance(data, dict):
        raise DomainError("bad_request", "The payload must be a JSON object.")
    language, words = data.get("language", "sv"), data.get("words")
    if language not in DICTIONARIES:
        raise DomainError("bad_request", f"'language' must be one of: {', '.join(DICTIONARIES)}.")
    if not isinstance(words, list) or len(words) > MOST_WORDS:
        raise DomainError("bad_request", f"'words' must be a list of at most {MOST_WORDS} words.")
    if not all(isinstance(w, str) and 0 < len(w) <= LONGEST_WORD and w.isprintable() and SOFT_HYPHEN not in w
               for w in words):
        raise DomainError("bad_request", f"Each word must be printable text of 1 to {LONGEST_WORD} characters.")
    return {word: hyphenate(word, language) for word in words}
