"""Near-identical notes (issue 10): which earlier note a note says the same as (`similar_to`), in
Swedish; the same link in the snapshots, the answer to post_item and item_added, on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from facilitation import broadcast, similar, snapshot
from facilitation.models import Workshop
from facilitation.operations import access, perform, workshops
from facilitation.operations.changes import ItemAdded, ItemHidden, ItemUpdated
from facilitation.operations.guards import Actor


def linked(*notes: tuple[str, str]) -> dict[int, int]:
    """similar.links of notes numbered from 1 in the order given."""
    return similar.links((n, quadrant, text) for n, (quadrant, text) in enumerate(notes, start=1))


def test_normalising_folds_case_punctuation_and_white_space():
    assert similar.normalise("  Kort väg, mellan\n förvaltningarna!! ") == "kort väg mellan förvaltningarna"
    assert similar.normalise("ÅTERKOPPLING saknas…") == "återkoppling saknas"
    assert similar.normalise("— ! —") == ""


def test_the_same_note_typed_again_links_to_the_first():
    notes = [("strengths", "Kort väg mellan förvaltningarna"), ("strengths", "kort väg mellan förvaltningarna!"),
             ("strengths", "Kort  väg mellan Förvaltningarna."), ("strengths", "Korta vägar mellan förvaltningarna")]
    assert linked(*notes) == {2: 1, 3: 1, 4: 1}


def test_notes_that_say_something_else_stay_apart():
    assert linked(("weaknesses", "Stor brist på personal inom vården"),
                  ("weaknesses", "Stor brist på personal inom skolan"),
                  ("weaknesses", "God samverkan"), ("weaknesses", "Dålig samverkan")) == {}


def test_a_negation_is_never_near_identical_to_its_opposite():
    # ratio 95: all but one word agree; token_set_ratio would even score the second pair 100.
    assert fuzz.ratio("vi har inte tillräckligt med personal", "vi har tillräckligt med personal") > similar.THRESHOLD
    assert linked(("strengths", "Vi har tillräckligt med personal"), ("strengths", "Vi har inte tillräckligt med personal"),
                  ("strengths", "Bra samarbete"), ("strengths", "Inte bra samarbete"),
                  ("strengths", "Inte bra samarbete!")) == {5: 4}


def test_only_notes_of_the_same_quadrant_are_alike():
    assert linked(("strengths", "Engagerad personal"), ("weaknesses", "Engagerad personal"),
                  ("strengths", "engagerad personal")) == {3: 1}


def test_a_note_of_only_punctuation_is_like_nothing():
    assert linked(("threats", "?"), ("threats", "?"), ("threats", "!!")) == {}


def test_beyond_the_fuzzy_limit_only_identical_texts_are_linked(monkeypatch):
    monkeypatch.setattr(similar, "FUZZY_LIMIT", 2)
    notes = [("strengths", "Tydliga rutiner"), ("strengths", "Tydliga rutiner!"), ("strengths", "Tydligare rutiner"),
             ("strengths", "tydliga RUTINER")]
    assert linked(*notes) == {2: 1, 4: 1}


WORDS = ["kort", "väg", "mellan", "förvaltningarna", "inte", "brist", "på", "tid", "Tid", "personal", "ingen", "samverkan"]


def by_definition(notes: list[tuple[int, str, str]]) -> dict[int, int]:
    """similar_to as the module's docstring defines it, pair by pair."""
    out = {}
    for position, (item_id, quadrant, text) in enumerate(notes):
        earlier = [(i, q, t) for i, q, t in notes[:position] if q == quadrant]
        norm = similar.normalise(text)
        negations = similar.NEGATIONS.intersection(norm.split())
        alike = [i for i, _q, t in earlier if norm and similar.NEGATIONS.intersection(similar.normalise(t).split()) == negations
                 and (similar.normalise(t) == norm
                      or len(earlier) < similar.FUZZY_LIMIT and fuzz.ratio(similar.normalise(t), norm) >= similar.THRESHOLD)]
        if alike:
            out[item_id] = min(alike)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["strengths", "threats"]),
                          st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)), max_size=30))
def test_links_are_the_oldest_alike_note_as_defined(notes):
    numbered = [(n, quadrant, text) for n, (quadrant, text) in enumerate(notes, start=1)]
    assert similar.links(numbered) == by_definition(numbered)


# The link as the console receives it: in the facilitator's snapshot and with every item event.

@pytest.fixture
def db(migrated_database):
    return migrated_database


def do(db, actor: Actor, event: str, data: dict[str, Any]) -> dict[str, Any]:
    with db.write() as s:
        return perform(s, actor, event, data).answer


def test_the_console_gets_the_same_link_in_its_snapshot_and_in_item_added(db):
    with db.write() as s:
        workshop, _ = workshops.create(s, {"title": "Lika lappar"})
        fac = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
        person = access.admit(s, {"code": workshop.code, "name": "Kerstin"})[0]
    texts = ["Kort väg mellan förvaltningarna", "Tydliga mål", "kort väg mellan förvaltningarna!", "Tydliga mål saknas",
             "Korta vägar mellan förvaltningarna"]
    answers = [do(db, person, "post_item", {"quadrant": "strengths", "text": text})["item"] for text in texts]
    ids = [item["id"] for item in answers]
    sent = {}
    with db.read() as s:
        for item_id in ids:
            messages = broadcast.render(s, ItemAdded(item_id))
            assert {m.data["similar_to"] for m in messages} == {m.data["similar_to"] for m in messages[:1]}
            sent[item_id] = messages[0].data["similar_to"]
        console = snapshot.shared(s, s.get(Workshop, workshop.id), "facilitator").data["items"]
        phones = snapshot.shared(s, s.get(Workshop, workshop.id), "viewer").data["items"]
    assert sent == {ids[0]: None, ids[1]: None, ids[2]: ids[0], ids[3]: None, ids[4]: ids[0]}
    assert {item["id"]: item["similar_to"] for item in answers} == sent
    assert {i["id"]: i["similar_to"] for i in console} == sent
    assert {i["id"]: i["similar_to"] for i in phones} == sent  # the same item everywhere

    do(db, fac, "hide_item", {"item_id": ids[2]})
    do(db, person, "edit_item", {"item_id": ids[3], "text": "Tydliga mål!"})
    with db.read() as s:
        shown = broadcast.render(s, ItemHidden(ids[2]))
        edited = broadcast.render(s, ItemUpdated(ids[3]))
    assert {m.data["similar_to"] for m in shown if m.event == "item_updated"} == {ids[0]}
    assert {m.data["similar_to"] for m in edited} == {ids[1]}
