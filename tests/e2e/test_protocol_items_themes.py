"""Items (post, edit, delete, anonymity) and themes (create, assign, move, rename, delete)."""
from __future__ import annotations

from .protocol_support import Room

ITEM_KEYS = {"id", "quadrant", "text", "author", "table", "theme_id", "created_at"}
THEME_KEYS = {"id", "title", "item_ids", "votes"}


def items_of(snapshot: dict) -> dict[int, dict]:
    return {item["id"]: item for item in snapshot["items"]}


def themes_of(snapshot: dict) -> dict[int, dict]:
    return {theme["id"]: theme for theme in snapshot["themes"]}


def test_an_item_reaches_everyone_in_an_open_workshop_with_its_author(server, sockets):
    room = Room(server, sockets, anonymous_items=False)
    facilitator, screen, other = room.facilitator(), room.screen(), room.phone("Lars")
    kerstin = room.phone("Kerstin Nordin", table="3")
    item = kerstin.ok("post_item", {"quadrant": "strengths", "text": "Vi har olika glasögon"})["item"]
    assert set(item) >= ITEM_KEYS
    assert (item["quadrant"], item["text"], item["table"], item["theme_id"]) == ("strengths", "Vi har olika glasögon", "3", None)
    assert item["author"] == {"id": kerstin.snapshot["me"]["id"], "name": "Kerstin Nordin"}
    assert isinstance(item["created_at"], str)
    for client in (facilitator, screen, other, kerstin):
        assert client.wait_for("item_added", lambda i: i["id"] == item["id"]) == item
    for viewer in (room.state(), room.seen_by(other), room.screen().snapshot):
        assert items_of(viewer)[item["id"]] == item


def test_anonymous_items_show_the_author_only_to_the_author(server, sockets):
    room = Room(server, sockets)  # anonymous_items is the default
    facilitator, screen, other = room.facilitator(), room.screen(), room.phone("Lars")
    kerstin = room.phone("Kerstin Nordin", table="3")
    second_tab = room.rejoin(kerstin)
    me = {"id": kerstin.snapshot["me"]["id"], "name": "Kerstin Nordin"}
    item = kerstin.ok("post_item", {"quadrant": "threats", "text": "Ekonomin är osäker"})["item"]
    assert item["author"] == me
    for own in (kerstin, second_tab):
        assert own.wait_for("item_added", lambda i: i["id"] == item["id"])["author"] == me
    for stranger in (facilitator, screen, other):
        seen = stranger.wait_for("item_added", lambda i: i["id"] == item["id"])
        assert seen["author"] is None and seen["text"] == "Ekonomin är osäker"
    assert items_of(room.seen_by(kerstin))[item["id"]]["author"] == me
    for snapshot in (room.state(), room.seen_by(other), room.screen().snapshot):
        assert items_of(snapshot)[item["id"]]["author"] is None
    edited = kerstin.ok("edit_item", {"item_id": item["id"], "text": "Ekonomin är mycket osäker"})["item"]
    assert edited["author"] == me
    assert second_tab.wait_for("item_updated", lambda i: i["id"] == item["id"])["author"] == me
    assert facilitator.wait_for("item_updated", lambda i: i["id"] == item["id"])["author"] is None
    # Changed by the facilitator: still nobody but the author learns who wrote it.
    facilitator.ok("edit_item", {"item_id": item["id"], "text": "Osäker ekonomi"})
    assert screen.wait_for("item_updated", lambda i: i["text"] == "Osäker ekonomi")["author"] is None
    assert kerstin.wait_for("item_updated", lambda i: i["text"] == "Osäker ekonomi")["author"] == me


def test_the_author_edits_and_deletes_in_collect_others_may_not(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin, lars = room.facilitator(), room.phone("Kerstin"), room.phone("Lars")
    item = kerstin.ok("post_item", {"quadrant": "weaknesses", "text": "För lite tid"})["item"]
    lars.refused("edit_item", {"item_id": item["id"], "text": "Kapat"}, "forbidden")
    lars.refused("delete_item", {"item_id": item["id"]}, "forbidden")
    room.screen().refused("edit_item", {"item_id": item["id"], "text": "Kapat"}, "forbidden")
    edited = kerstin.ok("edit_item", {"item_id": item["id"], "text": "För lite tid för samverkan"})["item"]
    assert edited["text"] == "För lite tid för samverkan" and edited["id"] == item["id"]
    lars.wait_for("item_updated", lambda i: i["text"] == "För lite tid för samverkan")
    assert items_of(room.state())[item["id"]]["text"] == "För lite tid för samverkan"
    assert kerstin.ok("delete_item", {"item_id": item["id"]})
    for client in (facilitator, lars, kerstin):
        client.wait_for("item_deleted", lambda d: d["id"] == item["id"])
    assert room.state()["items"] == []
    kerstin.refused("delete_item", {"item_id": item["id"]}, "not_found")


def test_after_collect_only_the_facilitator_changes_items_and_in_closed_nobody(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin = room.facilitator(), room.phone("Kerstin")
    first = kerstin.ok("post_item", {"quadrant": "opportunities", "text": "Digitala möten"})["item"]
    second = kerstin.ok("post_item", {"quadrant": "opportunities", "text": "Gemensam utbildning"})["item"]
    for phase in ("cluster", "vote", "groups"):
        facilitator.ok("set_phase", {"phase": phase})
        kerstin.refused("post_item", {"quadrant": "threats", "text": "Sent"}, "wrong_phase")
        kerstin.refused("edit_item", {"item_id": first["id"], "text": "Ändrat"}, "wrong_phase")
        kerstin.refused("delete_item", {"item_id": first["id"]}, "wrong_phase")
        facilitator.ok("edit_item", {"item_id": first["id"], "text": f"Digitala möten ({phase})"})
    posted = facilitator.ok("post_item", {"quadrant": "threats", "text": "Facilitatorns lapp"})["item"]
    assert (posted["quadrant"], posted["text"]) == ("threats", "Facilitatorns lapp")
    facilitator.ok("delete_item", {"item_id": second["id"]})
    facilitator.ok("set_phase", {"phase": "closed"})
    before = room.state()
    facilitator.refused("post_item", {"quadrant": "threats", "text": "Efteråt"}, "wrong_phase")
    facilitator.refused("edit_item", {"item_id": first["id"], "text": "Efteråt"}, "wrong_phase")
    facilitator.refused("delete_item", {"item_id": first["id"]}, "wrong_phase")
    kerstin.refused("edit_item", {"item_id": first["id"], "text": "Efteråt"}, "wrong_phase")
    assert room.state() == before
    texts = sorted(i["text"] for i in before["items"])
    assert texts == ["Digitala möten (groups)", "Facilitatorns lapp"]


def test_themes_are_made_assigned_moved_renamed_and_broadcast(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    ids = [kerstin.ok("post_item", {"quadrant": "strengths", "text": f"Lapp {n}"})["item"]["id"] for n in range(4)]
    facilitator.ok("set_phase", {"phase": "cluster"})
    kerstin.refused("create_theme", {"title": "Min egen"}, "forbidden")
    screen.refused("create_theme", {"title": "Skärmens"}, "forbidden")
    money = facilitator.ok("create_theme", {"title": "Ekonomi", "item_ids": ids[:2]})["theme"]
    assert set(money) >= THEME_KEYS
    assert (money["title"], money["item_ids"], money["votes"]) == ("Ekonomi", ids[:2], 0)
    for client in (kerstin, screen):
        seen = client.wait_for("theme_updated", lambda t: t["id"] == money["id"])
        assert (seen["title"], seen["item_ids"]) == ("Ekonomi", ids[:2])
    empty = facilitator.ok("create_theme", {"title": "Samverkan"})["theme"]
    assert empty["item_ids"] == []

    facilitator.ok("assign_items", {"theme_id": empty["id"], "item_ids": [ids[1], ids[2]]})  # one moves, one joins
    kerstin.wait_for("theme_updated", lambda t: t["id"] == money["id"] and t["item_ids"] == [ids[0]])
    kerstin.wait_for("theme_updated", lambda t: t["id"] == empty["id"] and t["item_ids"] == [ids[1], ids[2]])
    facilitator.ok("assign_items", {"theme_id": None, "item_ids": [ids[0]]})
    screen.wait_for("theme_updated", lambda t: t["id"] == money["id"] and t["item_ids"] == [])
    facilitator.ok("rename_theme", {"theme_id": empty["id"], "title": "Samverkan över gränser"})
    screen.wait_for("theme_updated", lambda t: t["id"] == empty["id"] and t["title"] == "Samverkan över gränser")

    state = room.state()
    assert {i: item["theme_id"] for i, item in items_of(state).items()} == {
        ids[0]: None, ids[1]: empty["id"], ids[2]: empty["id"], ids[3]: None}
    assert themes_of(state)[empty["id"]] == {**themes_of(state)[empty["id"]], "title": "Samverkan över gränser",
                                             "item_ids": [ids[1], ids[2]]}
    assert themes_of(state)[money["id"]]["item_ids"] == []
    kerstin.refused("rename_theme", {"theme_id": money["id"], "title": "Nej"}, "forbidden")
    kerstin.refused("assign_items", {"theme_id": money["id"], "item_ids": ids}, "forbidden")
    facilitator.refused("assign_items", {"theme_id": money["id"], "item_ids": [ids[3], 10**9]}, "not_found")
    assert room.state() == state


def test_deleting_a_theme_unassigns_its_items_and_gives_dots_back(server, sockets):
    room = Room(server, sockets, votes_per_participant=3, max_votes_per_theme=3)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    ids = [kerstin.ok("post_item", {"quadrant": "threats", "text": f"Hot {n}"})["item"]["id"] for n in range(3)]
    doomed = facilitator.ok("create_theme", {"title": "Hot", "item_ids": ids[:2]})["theme"]
    kept = facilitator.ok("create_theme", {"title": "Övrigt", "item_ids": ids[2:]})["theme"]
    facilitator.ok("set_phase", {"phase": "vote"})
    kerstin.ok("vote", {"theme_id": doomed["id"]})
    kerstin.ok("vote", {"theme_id": doomed["id"]})
    assert kerstin.ok("vote", {"theme_id": kept["id"]})["votes_left"] == 0
    facilitator.ok("delete_theme", {"theme_id": doomed["id"]})
    for client in (facilitator, kerstin, screen):
        gone = client.wait_for("theme_deleted", lambda d: d["id"] == doomed["id"])
        assert sorted(gone["item_ids"]) == ids[:2]
    mine = room.seen_by(kerstin)
    assert mine["me"]["votes_left"] == 2 and mine["me"]["votes"] == {str(kept["id"]): 1}
    assert [t["id"] for t in mine["themes"]] == [kept["id"]]
    assert [items_of(mine)[i]["theme_id"] for i in ids] == [None, None, kept["id"]]
    assert themes_of(room.state())[kept["id"]]["votes"] == 1
    assert kerstin.ok("vote", {"theme_id": kept["id"]})["votes_left"] == 1  # the dots are really back
    facilitator.refused("delete_theme", {"theme_id": doomed["id"]}, "not_found")


def test_a_retried_post_makes_one_item_for_a_phone_and_for_the_facilitator(server, sockets):
    room = Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    firsts = []
    for client in (phone, facilitator):  # the same op_id for two people: two different operations
        payload = {"quadrant": "opportunities", "text": "Lapp", "op_id": "post-1"}
        firsts.append(client.ok("post_item", payload)["item"])
        assert client.ok("post_item", payload)["item"] == firsts[-1]
        assert client.ok("post_item", {**payload, "text": "Något annat"})["item"] == firsts[-1]  # same op: first answer
    assert firsts[0]["id"] != firsts[1]["id"]
    second_tab = room.rejoin(phone)
    assert second_tab.ok("post_item", {"quadrant": "threats", "text": "x", "op_id": "post-1"})["item"] == firsts[0]
    assert sorted(i["id"] for i in room.state()["items"]) == sorted(i["id"] for i in firsts)


def test_the_facilitators_own_item_names_the_facilitator_not_a_numbered_participant(server, sockets):
    room = Room(server, sockets, anonymous_items=False)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    item = facilitator.ok("post_item", {"quadrant": "opportunities", "text": "Gemensamma plandagar"})["item"]
    assert item["author"]["name"] == "Processledare"
    assert phone.wait_for("item_added", lambda d: d["id"] == item["id"])["author"]["name"] == "Processledare"
