"""Safe by default (issue 10): groups are not replaced over people's work without `replace`,
clustering is undone step by step from a stack kept in the database, quotes and group notes can
be mended, voting closes once the results are shown (and can be reopened). Each test calls
`operations.perform` in one write transaction, as the socket handlers do, on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from facilitation import broadcast, snapshot
from facilitation.database import Database
from facilitation.models import Item, Note, Participant, Theme, ThemeGroup, UndoStep, Vote, Workshop
from facilitation.operations import DomainError, perform
from facilitation.operations import access, undo, workshops
from facilitation.operations.changes import UndoChanged
from facilitation.operations.guards import Actor


@pytest.fixture
def db(migrated_database):
    return migrated_database


class Room:
    """A workshop with its facilitator and three participants, driven through `perform`."""

    def __init__(self, db: Database, **settings: Any) -> None:
        self.db = db
        with db.write() as s:
            workshop, _ = workshops.create(s, {"title": "Trygg som standard", **settings})
            self.id = workshop.id
            self.fac = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
            self.people = [access.admit(s, {"code": workshop.code, "name": name})[0] for name in ("Kerstin", "Lars", "Maja")]

    def do(self, actor: Actor, event: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.db.write() as s:
            return perform(s, actor, event, data or {}).answer

    def refused(self, actor: Actor, event: str, data: dict[str, Any], code: str) -> str:
        """Assert the event is refused with `code` and that no row of the workshop changed."""
        before = self.rows()
        with pytest.raises(DomainError) as refusal:
            self.do(actor, event, data)
        assert refusal.value.code == code, refusal.value.message
        assert self.rows() == before
        return refusal.value.message

    def rows(self) -> dict[str, Any]:
        with self.db.read() as s:
            group_ids = sa.select(ThemeGroup.id).where(ThemeGroup.workshop_id == self.id)
            return {
                "items": s.execute(sa.select(Item.id, Item.theme_id, Item.hidden).where(Item.workshop_id == self.id)
                                   .order_by(Item.id)).all(),
                "themes": s.execute(sa.select(Theme.id, Theme.title).where(Theme.workshop_id == self.id).order_by(Theme.id)).all(),
                "groups": s.execute(sa.select(ThemeGroup.id, ThemeGroup.theme_id, ThemeGroup.summary)
                                    .where(ThemeGroup.workshop_id == self.id).order_by(ThemeGroup.id)).all(),
                "members": s.execute(sa.select(Participant.id, Participant.group_id, Participant.votes_used)
                                     .where(Participant.workshop_id == self.id).order_by(Participant.id)).all(),
                "notes": s.execute(sa.select(Note.id, Note.text).where(Note.group_id.in_(group_ids)).order_by(Note.id)).all(),
                "votes": s.execute(sa.select(Vote.participant_id, Vote.theme_id).join(Participant)
                                   .where(Participant.workshop_id == self.id).order_by(Vote.id)).all(),
                "undo": s.scalar(sa.select(sa.func.count(UndoStep.id)).where(UndoStep.workshop_id == self.id)),
            }

    def board(self) -> dict[str, Any]:
        """What the facilitator's console shows of the clustering: themes with their items, hidden items."""
        with self.db.read() as s:
            data = snapshot.shared(s, s.get(Workshop, self.id), "facilitator").data
        return {"themes": {t["title"]: sorted(t["item_ids"]) for t in data["themes"]},
                "hidden": sorted(i["id"] for i in data["items"] if i["hidden"]), "undo": data["undo"]}

    def snapshot_of(self, actor: Actor) -> dict[str, Any]:
        with self.db.read() as s:
            shared = snapshot.shared(s, s.get(Workshop, self.id), snapshot.audience(actor.role))
            return snapshot.personal(s, shared, actor.role, actor.participant_id)

    def post(self, *texts: str) -> list[int]:
        return [self.do(self.fac, "post_item", {"quadrant": "strengths", "text": text})["item"]["id"] for text in texts]


# --- form_groups never wipes people's work without `replace` --------------------------------

def _grouped(room: Room) -> tuple[list[dict], list[int]]:
    items = room.post("Samverkan", "Kontinuitet")
    themes = [room.do(room.fac, "create_theme", {"title": t, "item_ids": [i]})["theme"]["id"] for t, i in zip("AB", items)]
    room.do(room.fac, "set_phase", {"phase": "groups"})
    return room.do(room.fac, "form_groups", {"theme_ids": themes})["groups"], themes


@pytest.mark.parametrize("work", ["member", "note", "summary"])
def test_forming_groups_over_groups_with_work_in_them_is_a_conflict_unless_replaced(db, work):
    room = Room(db)
    groups, themes = _grouped(room)
    first = groups[0]["id"]
    kerstin = room.people[0]
    room.do(kerstin, "join_group", {"group_id": first})
    if work == "note":
        room.do(room.fac, "add_note", {"group_id": first, "text": "Gemensamma rutiner"})
        room.do(kerstin, "leave_group")
    if work == "summary":
        room.do(room.fac, "set_summary", {"group_id": first, "text": "Vi enades om rutiner."})
        room.do(kerstin, "leave_group")
    message = room.refused(room.fac, "form_groups", {"top": 1}, "conflict")
    assert "replace" in message
    room.refused(room.fac, "form_groups", {"theme_ids": themes[::-1], "replace": False}, "conflict")
    room.refused(room.fac, "form_groups", {"top": 1, "replace": "yes"}, "bad_request")
    replaced = room.do(room.fac, "form_groups", {"theme_ids": [themes[1]], "replace": True})["groups"]
    assert [g["theme_id"] for g in replaced] == [themes[1]] and replaced[0]["members"] == replaced[0]["notes"] == []
    rows = room.rows()
    assert [g.id for g in rows["groups"]] == [replaced[0]["id"]] and rows["notes"] == []
    assert all(m.group_id is None for m in rows["members"])


def test_groups_nobody_has_used_yet_are_replaced_without_asking(db):
    room = Room(db)
    groups, themes = _grouped(room)
    again = room.do(room.fac, "form_groups", {"theme_ids": [themes[1]]})["groups"]
    assert [g["theme_id"] for g in again] == [themes[1]] and again[0]["id"] not in {g["id"] for g in groups}


# --- undo, several steps back, kept in the database -----------------------------------------

def test_each_clustering_step_is_undone_newest_first_back_to_the_start(db, database_url):
    room = Room(db)
    a, b, c, d = room.post("Personalen känner deltagarna", "Gemensam matlagning", "Saknar systematik", "Korta projekt")
    states = [room.board()]
    samverkan = room.do(room.fac, "create_theme", {"title": "Samverkan", "item_ids": [a, b]})["theme"]["id"]
    states.append(room.board())
    struktur = room.do(room.fac, "create_theme", {"title": "Struktur", "item_ids": [c]})["theme"]["id"]
    states.append(room.board())
    room.do(room.fac, "assign_items", {"theme_id": struktur, "item_ids": [b, d]})
    states.append(room.board())
    room.do(room.fac, "assign_items", {"theme_id": None, "item_ids": [a]})
    states.append(room.board())
    room.do(room.fac, "rename_theme", {"theme_id": samverkan, "title": "Samverkan i vardagen"})
    states.append(room.board())
    room.do(room.fac, "hide_item", {"item_id": c})
    states.append(room.board())
    room.do(room.fac, "merge_themes", {"theme_id": samverkan, "source_ids": [struktur]})
    states.append(room.board())
    room.do(room.fac, "delete_theme", {"theme_id": samverkan})
    assert room.board()["themes"] == {} and room.board()["undo"] == {
        "steps": 8, "next": {"event": "delete_theme", "label": "Samverkan i vardagen"}}
    undone = []
    room.db = Database()  # a reload, a restart: the stack is in the database, not in this process
    room.db.configure(database_url)
    while states:
        expected = states.pop()
        answer = room.do(room.fac, "undo")
        undone.append(answer["undone"]["event"])
        board = room.board()
        assert {k: board[k] for k in ("themes", "hidden")} == {k: expected[k] for k in ("themes", "hidden")}, undone
        assert answer["undo"] == board["undo"] == expected["undo"]
    assert undone == ["delete_theme", "merge_themes", "hide_item", "rename_theme", "assign_items", "assign_items",
                      "create_theme", "create_theme"]
    room.refused(room.fac, "undo", {}, "nothing_to_undo")
    room.db.dispose()


def test_a_deleted_theme_comes_back_under_its_id_with_its_notes_and_its_group_but_not_its_dots(db):
    room = Room(db, votes_per_participant=2)
    a, b = room.post("Samverkan", "Kontinuitet")
    theme = room.do(room.fac, "create_theme", {"title": "Samverkan", "item_ids": [a, b]})["theme"]["id"]
    room.do(room.fac, "set_phase", {"phase": "vote"})
    room.do(room.people[0], "vote", {"theme_id": theme})
    room.do(room.fac, "set_phase", {"phase": "groups"})
    group = room.do(room.fac, "form_groups", {"top": 1})["groups"][0]["id"]
    room.do(room.fac, "delete_theme", {"theme_id": theme})
    assert room.rows()["groups"][0].theme_id is None
    room.do(room.fac, "undo")
    rows = room.rows()
    assert [(t.id, t.title) for t in rows["themes"]] == [(theme, "Samverkan")]
    assert [(i.id, i.theme_id) for i in rows["items"]] == [(a, theme), (b, theme)]
    assert [(g.id, g.theme_id) for g in rows["groups"]] == [(group, theme)]
    assert rows["votes"] == [] and rows["members"][1].votes_used == 0  # the dot went back to Kerstin and stays hers


def test_undo_skips_what_is_gone_and_puts_notes_of_a_gone_theme_nowhere(db):
    room = Room(db)
    a, b = room.post("Samverkan", "Kontinuitet")
    first = room.do(room.fac, "create_theme", {"title": "Först", "item_ids": [a, b]})["theme"]["id"]
    room.do(room.fac, "create_theme", {"title": "Sedan", "item_ids": [a, b]})
    room.do(room.fac, "delete_item", {"item_id": b})
    with room.db.write() as s:  # the first theme's own step is forgotten (as beyond the stack's depth), the theme removed
        s.execute(sa.delete(UndoStep).where(UndoStep.workshop_id == room.id, UndoStep.event == "create_theme",
                                            UndoStep.label == "Först"))
        s.execute(sa.update(Item).where(Item.theme_id == first).values(theme_id=None))
        s.execute(sa.delete(Theme).where(Theme.id == first))
    room.do(room.fac, "undo")
    rows = room.rows()
    assert rows["themes"] == [] and [(i.id, i.theme_id) for i in rows["items"]] == [(a, None)]


def test_the_stack_keeps_the_newest_fifty_steps(db):
    room = Room(db)
    theme = room.do(room.fac, "create_theme", {"title": "0"})["theme"]["id"]
    for n in range(1, undo.KEEP + 10):
        room.do(room.fac, "rename_theme", {"theme_id": theme, "title": str(n)})
    assert room.board()["undo"]["steps"] == undo.KEEP
    for _ in range(undo.KEEP):
        room.do(room.fac, "undo")
    assert room.rows()["themes"][0].title == "9"  # the ten oldest steps were forgotten
    room.refused(room.fac, "undo", {}, "nothing_to_undo")


def test_only_the_facilitator_undoes_and_not_once_closed(db):
    room = Room(db)
    room.do(room.fac, "create_theme", {"title": "Samverkan"})
    room.refused(room.people[0], "undo", {}, "forbidden")
    assert "undo" not in room.snapshot_of(room.people[0])
    room.do(room.fac, "set_phase", {"phase": "closed"})
    room.refused(room.fac, "undo", {}, "wrong_phase")


def test_the_console_is_told_what_undo_would_undo_next(db):
    room = Room(db)
    with room.db.write() as s:
        messages = broadcast.render(s, UndoChanged(room.id))
    assert [(m.event, m.to, m.data) for m in messages] == [("undo_state", f"w{room.id}:fac", {"steps": 0, "next": None})]
    room.do(room.fac, "create_theme", {"title": "Samverkan"})
    with room.db.write() as s:
        assert broadcast.render(s, UndoChanged(room.id))[0].data == {
            "steps": 1, "next": {"event": "create_theme", "label": "Samverkan"}}


# --- quotes and group notes mended ----------------------------------------------------------

def test_the_facilitator_edits_and_deletes_quotes_also_after_closing(db):
    room = Room(db)
    quote = room.do(room.fac, "add_quote", {"text": "Vi har olika glasögon", "speaker": "Kerstin"})["quote"]
    room.refused(room.people[0], "edit_quote", {"quote_id": quote["id"], "text": "Nej"}, "forbidden")
    room.refused(room.fac, "edit_quote", {"quote_id": quote["id"]}, "bad_request")
    room.refused(room.fac, "edit_quote", {"quote_id": quote["id"], "text": "x" * 2001}, "too_long")
    room.refused(room.fac, "edit_quote", {"quote_id": quote["id"], "text": "  "}, "bad_request")
    room.refused(room.fac, "edit_quote", {"quote_id": 10**9, "text": "Nej"}, "not_found")
    room.do(room.fac, "set_phase", {"phase": "closed"})
    edited = room.do(room.fac, "edit_quote", {"quote_id": quote["id"], "text": "Vi har olika glasögon på oss", "role": "Mini-Maria"})
    assert edited["quote"] == {"id": quote["id"], "text": "Vi har olika glasögon på oss", "speaker": "Kerstin", "role": "Mini-Maria"}
    assert room.snapshot_of(room.fac)["quotes"] == [edited["quote"]]
    room.refused(room.people[0], "delete_quote", {"quote_id": quote["id"]}, "forbidden")
    assert room.do(room.fac, "delete_quote", {"quote_id": quote["id"]}) == {"quote_id": quote["id"]}
    assert room.snapshot_of(room.fac)["quotes"] == []
    room.refused(room.fac, "delete_quote", {"quote_id": quote["id"]}, "not_found")


def test_another_workshops_quote_or_note_is_not_found(db):
    room, other = Room(db), Room(db)
    quote = other.do(other.fac, "add_quote", {"text": "Annan"})["quote"]
    groups, _ = _grouped(other)
    note = other.do(other.fac, "add_note", {"group_id": groups[0]["id"], "text": "Annan"})["note"]
    room.refused(room.fac, "edit_quote", {"quote_id": quote["id"], "text": "Min"}, "not_found")
    room.refused(room.fac, "delete_quote", {"quote_id": quote["id"]}, "not_found")
    room.refused(room.fac, "delete_note", {"note_id": note["id"]}, "not_found")
    assert other.rows()["notes"] == [(note["id"], "Annan")]


def test_the_facilitator_removes_a_group_note_members_cannot(db):
    room = Room(db)
    groups, _ = _grouped(room)
    kerstin = room.people[0]
    room.do(kerstin, "join_group", {"group_id": groups[0]["id"]})
    note = room.do(kerstin, "add_note", {"group_id": groups[0]["id"], "text": "Namn på en brukare"})["note"]
    keep = room.do(kerstin, "add_note", {"group_id": groups[0]["id"], "text": "Gemensamma rutiner"})["note"]
    room.refused(kerstin, "delete_note", {"note_id": note["id"]}, "forbidden")
    room.refused(room.fac, "delete_note", {"note_id": "x"}, "bad_request")
    assert room.do(room.fac, "delete_note", {"note_id": note["id"]}) == {"note_id": note["id"], "group_id": groups[0]["id"]}
    assert [n["text"] for n in room.snapshot_of(kerstin)["groups"][0]["notes"]] == ["Gemensamma rutiner"]
    room.do(room.fac, "set_phase", {"phase": "closed"})
    room.do(room.fac, "delete_note", {"note_id": keep["id"]})
    assert room.rows()["notes"] == []


# --- voting closes when the results are shown -----------------------------------------------

def test_voting_closes_once_the_results_are_shown_and_the_facilitator_can_reopen_it(db):
    room = Room(db, votes_per_participant=2)
    item, = room.post("Samverkan")
    theme = room.do(room.fac, "create_theme", {"title": "Samverkan", "item_ids": [item]})["theme"]["id"]
    room.refused(room.fac, "reopen_voting", {}, "wrong_phase")
    room.do(room.fac, "set_phase", {"phase": "vote"})
    kerstin, lars = room.people[:2]
    room.do(kerstin, "vote", {"theme_id": theme})
    room.do(room.fac, "reveal_tallies")
    room.refused(kerstin, "vote", {"theme_id": theme}, "voting_closed")
    room.refused(kerstin, "unvote", {"theme_id": theme}, "voting_closed")
    room.refused(lars, "vote", {"theme_id": theme}, "voting_closed")
    room.refused(kerstin, "reopen_voting", {}, "forbidden")
    assert room.do(room.fac, "reopen_voting") == {"phase": "vote", "tallies_revealed": False}
    seen = room.snapshot_of(lars)
    assert seen["workshop"]["tallies_revealed"] is False and seen["themes"][0]["votes"] is None  # hidden again
    assert room.do(lars, "vote", {"theme_id": theme})["votes_left"] == 1
    assert room.do(kerstin, "unvote", {"theme_id": theme})["votes_left"] == 2
    room.do(room.fac, "set_phase", {"phase": "closed"})
    room.refused(room.fac, "reopen_voting", {}, "wrong_phase")


def test_the_facilitator_sees_how_far_the_room_has_come_with_its_dots(db):
    room = Room(db, votes_per_participant=2)
    a, b = room.post("Samverkan", "Kontinuitet")
    themes = [room.do(room.fac, "create_theme", {"title": t, "item_ids": [i]})["theme"]["id"] for t, i in zip("AB", (a, b))]
    room.do(room.fac, "set_phase", {"phase": "vote"})
    kerstin, lars, _maja = room.people
    assert room.snapshot_of(room.fac)["vote_progress"] == {"dots_used": 0, "dots_total": 6, "done": 0, "participants": 3}
    room.do(kerstin, "vote", {"theme_id": themes[0]})
    room.do(kerstin, "vote", {"theme_id": themes[1]})
    room.do(lars, "vote", {"theme_id": themes[0]})
    assert room.snapshot_of(room.fac)["vote_progress"] == {"dots_used": 3, "dots_total": 6, "done": 1, "participants": 3}
    room.do(room.fac, "update_workshop", {"votes_per_participant": 1})  # Kerstin's second dot stays, counted up to the budget
    assert room.snapshot_of(room.fac)["vote_progress"] == {"dots_used": 2, "dots_total": 3, "done": 2, "participants": 3}
    assert "vote_progress" not in room.snapshot_of(lars)
    with room.db.read() as s:
        messages = broadcast.tally(s, room.id)
    sent = [(m.event, m.to) for m in messages]
    assert ("vote_progress", f"w{room.id}:fac") in sent
    assert not {(e, to) for e, to in sent if e == "vote_progress"} & {("vote_progress", f"w{room.id}"),
                                                                      ("vote_progress", f"w{room.id}:view")}  # not the phones'
    assert [m.data for m in messages if m.event == "vote_progress"][0] == room.snapshot_of(room.fac)["vote_progress"]
