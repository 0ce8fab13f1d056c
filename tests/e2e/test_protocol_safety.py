"""Safe by default over the wire (issue 10): what each screen receives when the facilitator forms
groups over people's work, undoes clustering steps, mends quotes and notes, and when voting
closes with the results and is reopened. A live server and real Socket.IO clients."""
from __future__ import annotations

from .protocol_support import Room, fence, themed_vote


def test_groups_with_work_in_them_are_kept_until_the_facilitator_confirms(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    facilitator.ok("set_phase", {"phase": "groups"})
    first, _ = facilitator.ok("form_groups", {"theme_ids": [a["id"], b["id"]]})["groups"]
    kerstin.ok("join_group", {"group_id": first["id"]})
    kerstin.ok("add_note", {"group_id": first["id"], "text": "Gemensam budget"})
    error = facilitator.refused("form_groups", {"top": 1}, "conflict")
    assert "replace" in error["message"]
    fence(facilitator, kerstin, screen)
    assert len(kerstin.received("groups")) == len(screen.received("groups")) == 1  # the refused one sent nothing
    assert room.seen_by(kerstin)["me"]["group_id"] == first["id"]
    assert [n["text"] for n in room.state()["groups"][0]["notes"]] == ["Gemensam budget"]
    replaced = facilitator.ok("form_groups", {"top": 1, "replace": True})["groups"]
    for client in (kerstin, screen):
        assert client.wait_for("groups", lambda gs: [g["id"] for g in gs] == [replaced[0]["id"]])[0]["notes"] == []
    assert room.seen_by(kerstin)["me"]["group_id"] is None


def test_undo_goes_back_step_by_step_on_every_screen_and_survives_a_restart(live_server, sockets):
    room = Room(live_server, sockets)
    facilitator, phone, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    assert facilitator.snapshot["undo"] == {"steps": 0, "next": None} and "undo" not in phone.snapshot
    one = phone.ok("post_item", {"quadrant": "strengths", "text": "Personalen känner deltagarna"})["item"]
    two = phone.ok("post_item", {"quadrant": "threats", "text": "Korta projekt"})["item"]
    theme = facilitator.ok("create_theme", {"title": "Samverkan", "item_ids": [one["id"]]})["theme"]
    facilitator.ok("assign_items", {"theme_id": theme["id"], "item_ids": [two["id"]]})
    facilitator.ok("rename_theme", {"theme_id": theme["id"], "title": "Samverkan i vardagen"})
    facilitator.ok("hide_item", {"item_id": two["id"]})
    facilitator.ok("delete_theme", {"theme_id": theme["id"]})
    assert facilitator.wait_for("undo_state", lambda u: u["steps"] == 5) == {
        "steps": 5, "next": {"event": "delete_theme", "label": "Samverkan i vardagen"}}
    phone.refused("undo", None, "forbidden")
    fence(facilitator, phone, screen)
    assert phone.received("undo_state") == screen.received("undo_state") == []  # the facilitator's alone

    live_server.restart()  # the stack is in the database
    facilitator, screen = room.facilitator(), room.screen()
    assert facilitator.snapshot["undo"]["steps"] == 5

    answer = facilitator.ok("undo")
    assert answer["undone"] == {"event": "delete_theme", "label": "Samverkan i vardagen"}
    assert answer["undo"] == {"steps": 4, "next": {"event": "hide_item", "label": "Korta projekt"}}
    restored = screen.wait_for("theme_updated", lambda t: t["id"] == theme["id"])
    assert (restored["title"], restored["item_ids"]) == ("Samverkan i vardagen", [one["id"], two["id"]])
    facilitator.wait_for("undo_state", lambda u: u["steps"] == 4)
    facilitator.ok("undo")  # the hidden item is shown again
    assert screen.wait_for("item_added", lambda i: i["id"] == two["id"])["text"] == "Korta projekt"
    facilitator.ok("undo")
    assert screen.wait_for("theme_updated", lambda t: t["title"] == "Samverkan")["id"] == theme["id"]
    facilitator.ok("undo")
    assert screen.wait_for("theme_updated", lambda t: t["item_ids"] == [one["id"]])["id"] == theme["id"]
    facilitator.ok("undo")
    assert screen.wait_for("theme_deleted", lambda t: t["id"] == theme["id"])["item_ids"] == [one["id"]]
    facilitator.wait_for("undo_state", lambda u: u == {"steps": 0, "next": None})
    facilitator.refused("undo", None, "nothing_to_undo")
    assert room.screen().snapshot["themes"] == []
    assert {i["id"] for i in room.screen().snapshot["items"]} == {one["id"], two["id"]}


def test_quotes_and_group_notes_are_mended_where_everyone_sees_them(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    quote = facilitator.ok("add_quote", {"text": "Vi har olika glasgon", "speaker": "Kerstin"})["quote"]
    kerstin.refused("edit_quote", {"quote_id": quote["id"], "text": "Nej"}, "forbidden")
    fixed = facilitator.ok("edit_quote", {"quote_id": quote["id"], "text": "Vi har olika glasögon på oss"})["quote"]
    assert fixed == {**quote, "text": "Vi har olika glasögon på oss"}
    for client in (kerstin, screen):
        assert client.wait_for("quote_updated") == fixed
    facilitator.ok("delete_quote", {"quote_id": quote["id"]})
    for client in (kerstin, screen):
        assert client.wait_for("quote_deleted") == {"id": quote["id"]}
    assert room.screen().snapshot["quotes"] == []

    a, = themed_vote(room, facilitator, ["Ekonomi"])
    facilitator.ok("set_phase", {"phase": "groups"})
    group, = facilitator.ok("form_groups", {"top": 1})["groups"]
    kerstin.ok("join_group", {"group_id": group["id"]})
    note = kerstin.ok("add_note", {"group_id": group["id"], "text": "Brukarens namn, skrivet av misstag"})["note"]
    kerstin.refused("delete_note", {"note_id": note["id"]}, "forbidden")
    assert facilitator.ok("delete_note", {"note_id": note["id"]}) == {"ok": True, "note_id": note["id"], "group_id": group["id"]}
    for client in (kerstin, screen):
        assert client.wait_for("note_deleted") == {"id": note["id"], "group_id": group["id"]}
    assert room.seen_by(kerstin)["groups"][0]["notes"] == []

    closing = facilitator.ok("add_quote", {"text": "Sista ordet"})["quote"]
    facilitator.ok("set_phase", {"phase": "closed"})  # the record is still mended; phones and screens learn nothing of it
    facilitator.ok("edit_quote", {"quote_id": closing["id"], "speaker": "Lars"})
    facilitator.wait_for("quote_updated", lambda q: q["speaker"] == "Lars")
    facilitator.ok("delete_quote", {"quote_id": closing["id"]})
    facilitator.wait_for("quote_deleted", lambda q: q["id"] == closing["id"])
    facilitator.ok("update_workshop", {"conclusion": "Tack"})  # a fence for the viewers of a closed workshop
    for client in (kerstin, screen):
        client.wait_for("workshop_updated")
        assert [q for q in client.received("quote_updated") if q["id"] == closing["id"]] == []
        assert client.received("quote_deleted") == [{"id": quote["id"]}]


def test_voting_closes_with_the_results_and_reopens_with_them_hidden(server, sockets):
    room = Room(server, sockets, votes_per_participant=2)
    facilitator, kerstin, lars, screen = room.facilitator(), room.phone("Kerstin"), room.phone("Lars"), room.screen()
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    assert room.state()["vote_progress"] == {"dots_used": 0, "dots_total": 4, "done": 0, "participants": 2}
    kerstin.ok("vote", {"theme_id": a["id"]})
    kerstin.ok("vote", {"theme_id": b["id"]})
    lars.ok("vote", {"theme_id": a["id"]})
    assert facilitator.wait_for("vote_progress", lambda p: p["dots_used"] == 3) == {
        "dots_used": 3, "dots_total": 4, "done": 1, "participants": 2}
    facilitator.ok("reveal_tallies")
    screen.wait_for("tally", lambda t: t == {str(a["id"]): 2, str(b["id"]): 1})
    lars.refused("vote", {"theme_id": b["id"]}, "voting_closed")
    kerstin.refused("unvote", {"theme_id": a["id"]}, "voting_closed")
    lars.refused("reopen_voting", None, "forbidden")
    assert facilitator.ok("reopen_voting") == {"ok": True, "phase": "vote", "tallies_revealed": False}
    for client in (kerstin, screen):
        client.wait_for("phase", lambda p: p == {"phase": "vote", "tallies_revealed": False})
    assert {t["votes"] for t in room.screen().snapshot["themes"]} == {None}
    lars.ok("vote", {"theme_id": b["id"]})
    facilitator.wait_for("vote_progress", lambda p: p["done"] == 2)
    fence(facilitator, kerstin, lars)
    assert kerstin.received("vote_progress") == lars.received("vote_progress") == []  # the phones' screens stay calm
    assert "vote_progress" not in room.seen_by(kerstin)
