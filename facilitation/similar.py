"""Near-identical notes: which earlier note in the same quadrant a note says the same as.

Two notes are alike when, after normalising (case folded, punctuation and runs of white space
made one space), their texts are equal or rapidfuzz's `ratio` (an edit-distance similarity,
0-100) is at least THRESHOLD, and they hold the same negation words: "Vi har inte tillräckligt
med personal" is not "Vi har tillräckligt med personal", though all but one word agree.
`token_set_ratio` is not used: it scores "bra samarbete" and "inte bra samarbete" 100.

A note's `similar_to` is the id of the oldest earlier note in its quadrant that it is alike
(null when there is none); the console shows the notes so linked as one card with a count.
Fuzzy comparison covers the first FUZZY_LIMIT notes of a quadrant (every pair among them);
later ones are linked only to an identical (normalised) earlier text, which keeps the cost of
a 10,000-note workshop bounded (500 notes in every quadrant: about 0.2 s for a snapshot, built once
per change and audience; a single note's link, for an answer or an event, is one pass over its quadrant).
"""
from __future__ import annotations

import re
from typing import Iterable

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from .models import Item

THRESHOLD = 90
FUZZY_LIMIT = 500
NEGATIONS = frozenset({"inte", "ej", "icke", "ingen", "inget", "inga", "aldrig", "utan",
                       "not", "no", "never", "without", "none", "nothing"})
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case folded, punctuation and white space as single spaces: 'Kort väg, mellan!' -> 'kort väg mellan'."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


class _Earlier:
    """The earlier notes of one quadrant with the same negation words: each distinct text once, with its first id."""

    def __init__(self) -> None:
        self.first_id: dict[str, int] = {}
        self.texts: list[str] = []

    def match(self, text: str, fuzzy: bool) -> int | None:
        best = self.first_id.get(text)
        if fuzzy and self.texts:
            for _text, _score, at in process.extract(text, self.texts, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None):
                found = self.first_id[self.texts[at]]
                best = found if best is None else min(best, found)
        return best

    def add(self, item_id: int, text: str) -> None:
        if text not in self.first_id:
            self.first_id[text] = item_id
            self.texts.append(text)


class _Quadrant:
    """The notes of one quadrant seen so far, in id order."""

    def __init__(self) -> None:
        self.count = 0
        self.groups: dict[frozenset[str], _Earlier] = {}

    def _earlier(self, norm: str) -> _Earlier:
        return self.groups.setdefault(NEGATIONS.intersection(norm.split()), _Earlier())

    def match(self, text: str) -> int | None:
        """The oldest note seen so far alike `text`."""
        norm = normalise(text)
        return self._earlier(norm).match(norm, fuzzy=self.count < FUZZY_LIMIT) if norm else None

    def add(self, item_id: int, text: str) -> None:
        norm = normalise(text)
        self._earlier(norm).add(item_id, norm)
        self.count += 1


def links(items: Iterable[tuple[int, str, str]]) -> dict[int, int]:
    """`similar_to` of every note that has one, from (id, quadrant, text) of a workshop's notes."""
    quadrants: dict[str, _Quadrant] = {}
    out: dict[int, int] = {}
    for item_id, quadrant, text in sorted(items):
        seen = quadrants.setdefault(quadrant, _Quadrant())
        found = seen.match(text)
        if found is not None:
            out[item_id] = found
        seen.add(item_id, text)
    return out


def link_for(session: Session, item: Item) -> int | None:
    """`similar_to` of one note, from the earlier notes of its quadrant (as `links` gives it)."""
    rows = session.execute(sa.select(Item.id, Item.text).where(
        Item.workshop_id == item.workshop_id, Item.quadrant == item.quadrant, Item.id < item.id).order_by(Item.id))
    seen = _Quadrant()
    for item_id, text in rows:
        seen.add(item_id, text)
    return seen.match(item.text)
