"""Dot votes (budget, per-theme limit, hidden tallies, op_id retries) and theme groups."""
from __future__ import annotations

import threading

from .protocol_support import Room, fence, themed_vote

GROUP_KEYS = {"id", "theme_id", "title", "capacity", "members", "notes", "summary"}


def votes_of(snapshot: dict) -> dict[int, int | None]:
    return {theme["id"]: theme["votes"] for theme in snapshot["themes"]}


def test_the_budget_is_checked_before_the_per_theme_limit(server, sockets):
    room = Room(server, sockets, votes_per_participant=3, max_votes_per_theme=2)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    assert phone.ok("vote", {"theme_id": a["id"]})["votes_left"] == 2
    assert phone.ok("vote", {"theme_id": a["id"]})["votes_left"] == 1
    phone.refused("vote", {"theme_id": a["id"]}, "theme_vote_limit")
    assert phone.ok("vote", {"theme_id": b["id"]})["votes_left"] == 0
    phone.refused("vote", {"theme_id": b["id"]}, "vote_budget")
    phone.refused("vote", {"theme_id": a["id"]}, "vote_budget")  # over both: the budget answers first
    me = room.seen_by(phone)["me"]
    assert me["votes_left"] == 0 and me["votes"] == {str(a["id"]): 2, str(b["id"]): 1}
    assert votes_of(room.state()) == {a["id"]: 2, b["id"]: 1}


def test_unvote_gives_a_dot_back_and_without_a_dot_is_a_bad_request(server, sockets):
    room = Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    phone.refused("unvote", {"theme_id": a["id"]}, "bad_request")
    phone.ok("vote", {"theme_id": a["id"]})
    phone.refused("unvote", {"theme_id": b["id"]}, "bad_request")
    answer = phone.ok("unvote", {"theme_id": a["id"]})
    assert answer["votes_left"] == 3
    phone.refused("unvote", {"theme_id": a["id"]}, "bad_request")
    assert room.seen_by(phone)["me"]["votes_left"] == 3
    assert votes_of(room.state()) == {a["id"]: 0, b["id"]: 0}


def test_tallies_are_hidden_from_participants_and_screens_until_revealed(server, sockets):
    room = Room(server, sockets)
    facilitator, phone, screen, other = room.facilitator(), room.phone("Kerstin"), room.screen(), room.phone("Lars")
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    phone.ok("vote", {"theme_id": a["id"]})
    phone.ok("vote", {"theme_id": a["id"]})
    other.ok("vote", {"theme_id": b["id"]})
    assert facilitator.wait_for("tally", lambda t: t == {str(a["id"]): 2, str(b["id"]): 1})
    fence(facilitator, phone, screen, other)
    assert phone.received("tally") == screen.received("tally") == other.received("tally") == []
    for snapshot in (room.seen_by(phone), room.screen().snapshot):
        assert votes_of(snapshot) == {a["id"]: None, b["id"]: None}
    assert room.seen_by(phone)["me"]["votes"] == {str(a["id"]): 2}  # one's own dots are no secret
    assert votes_of(room.state()) == {a["id"]: 2, b["id"]: 1}
    facilitator.ok("rename_theme", {"theme_id": a["id"], "title": "Pengar"})  # a change mid-vote shows no count
    assert facilitator.wait_for("theme_updated", lambda t: t["title"] == "Pengar")["votes"] == 2
    for client in (phone, screen):
        assert client.wait_for("theme_updated", lambda t: t["title"] == "Pengar")["votes"] is None

    facilitator.ok("reveal_tallies")
    for client in (phone, screen, other):
        assert client.wait_for("tally") == {str(a["id"]): 2, str(b["id"]): 1}
    for snapshot in (room.seen_by(phone), room.screen().snapshot):
        assert votes_of(snapshot) == {a["id"]: 2, b["id"]: 1}
    other.refused("vote", {"theme_id": b["id"]}, "voting_closed")  # the room has seen the results: dots stay put
    phone.refused("reveal_tallies", None, "forbidden")


def test_tallies_become_visible_when_the_phase_moves_on(server, sockets):
    room = Room(server, sockets)
    facilitator, phone, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    a, = themed_vote(room, facilitator, ["Ekonomi"])
    phone.ok("vote", {"theme_id": a["id"]})
    facilitator.ok("set_phase", {"phase": "groups"})
    screen.wait_for("phase", lambda p: p["phase"] == "groups")
    assert votes_of(room.screen().snapshot) == {a["id"]: 1}
    assert votes_of(room.seen_by(phone)) == {a["id"]: 1}


def test_a_retried_op_id_answers_the_first_answer_and_spends_one_dot(server, sockets):
    room = Room(server, sockets, votes_per_participant=3, max_votes_per_theme=3)
    facilitator, phone, other = room.facilitator(), room.phone("Kerstin"), room.phone("Lars")
    a, = themed_vote(room, facilitator, ["Ekonomi"])
    first = phone.ok("vote", {"theme_id": a["id"], "op_id": "vote-1"})
    again = phone.ok("vote", {"theme_id": a["id"], "op_id": "vote-1"})
    from_a_second_tab = room.rejoin(phone).ok("vote", {"theme_id": a["id"], "op_id": "vote-1"})
    assert first == again == from_a_second_tab and first["votes_left"] == 2
    assert other.ok("vote", {"theme_id": a["id"], "op_id": "vote-1"})["votes_left"] == 2  # another person
    assert votes_of(room.state()) == {a["id"]: 2}
    phone.ok("unvote", {"theme_id": a["id"], "op_id": "unvote-1"})
    assert phone.ok("unvote", {"theme_id": a["id"], "op_id": "unvote-1"})["votes_left"] == 3
    assert room.seen_by(phone)["me"]["votes_left"] == 3


def test_the_same_op_id_from_two_connections_at_the_same_instant_counts_once(server, sockets):
    room = Room(server, sockets, votes_per_participant=10, max_votes_per_theme=10)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    tabs = [phone, room.rejoin(phone), room.rejoin(phone)]
    a, = themed_vote(room, facilitator, ["Ekonomi"])
    for round_ in range(5):
        start = threading.Barrier(len(tabs))
        answers: list = [None] * len(tabs)

        def send(n: int) -> None:
            start.wait()
            answers[n] = tabs[n].call("vote", {"theme_id": a["id"], "op_id": f"same-{round_}"})

        threads = [threading.Thread(target=send, args=(n,)) for n in range(len(tabs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(15)
        assert all(answer == answers[0] for answer in answers), answers
        assert answers[0]["ok"] and answers[0]["votes_left"] == 10 - (round_ + 1)
    assert votes_of(room.state()) == {a["id"]: 5}
    assert room.seen_by(phone)["me"]["votes_left"] == 5


def test_a_refused_attempt_is_not_remembered(server, sockets):
    room = Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    phone.refused("post_item", {"quadrant": "strengths", "text": "x" * 501, "op_id": "long"}, "too_long")
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "Kort", "op_id": "long"})["item"]
    assert item["text"] == "Kort"
    a = facilitator.ok("create_theme", {"title": "Engagemang", "item_ids": [item["id"]]})["theme"]
    facilitator.ok("set_phase", {"phase": "cluster"})
    phone.refused("vote", {"theme_id": a["id"], "op_id": "early"}, "wrong_phase")
    facilitator.ok("set_phase", {"phase": "vote"})
    assert phone.ok("vote", {"theme_id": a["id"], "op_id": "early"})["votes_left"] == 2
    assert votes_of(room.state()) == {a["id"]: 1}


def test_form_groups_by_top_votes_with_ties_to_the_older_theme(server, sockets):
    room = Room(server, sockets, group_capacity=4)
    facilitator, kerstin, lars, screen = room.facilitator(), room.phone("Kerstin"), room.phone("Lars"), room.screen()
    a, b, c = themed_vote(room, facilitator, ["Ekonomi", "Samverkan", "Kompetens"])
    kerstin.ok("vote", {"theme_id": b["id"]})
    lars.ok("vote", {"theme_id": b["id"]})
    kerstin.ok("vote", {"theme_id": c["id"]})
    lars.ok("vote", {"theme_id": a["id"]})  # a and c tie with one dot each: a is older
    kerstin.refused("form_groups", {"top": 2}, "forbidden")
    groups = facilitator.ok("form_groups", {"top": 2})["groups"]
    assert [g["theme_id"] for g in groups] == [b["id"], a["id"]]
    for group, theme in zip(groups, (b, a)):
        assert set(group) >= GROUP_KEYS
        assert (group["title"], group["capacity"], group["members"], group["notes"]) == (theme["title"], 4, [], [])
    for client in (kerstin, screen):
        assert client.wait_for("groups") == groups
    assert room.state()["groups"] == groups


def test_form_groups_by_chosen_themes_replaces_earlier_groups(server, sockets):
    room = Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    a, b, c = themed_vote(room, facilitator, ["Ekonomi", "Samverkan", "Kompetens"])
    first = facilitator.ok("form_groups", {"theme_ids": [a["id"], b["id"]]})["groups"]
    facilitator.ok("set_phase", {"phase": "groups"})
    phone.ok("join_group", {"group_id": first[0]["id"]})
    phone.ok("add_note", {"group_id": first[0]["id"], "text": "En tidig anteckning"})
    facilitator.refused("form_groups", {"theme_ids": [c["id"], a["id"]]}, "conflict")  # a member and a note: not unasked
    second = facilitator.ok("form_groups", {"theme_ids": [c["id"], a["id"]], "replace": True})["groups"]
    assert [g["theme_id"] for g in second] == [c["id"], a["id"]]
    assert all(g["members"] == [] and g["notes"] == [] for g in second)
    phone.wait_for("groups", lambda gs: [g["id"] for g in gs] == [g["id"] for g in second])
    state = room.state()
    assert state["groups"] == second
    assert room.seen_by(phone)["me"]["group_id"] is None
    facilitator.refused("form_groups", {"theme_ids": []}, "bad_request")
    facilitator.refused("form_groups", {}, "bad_request")
    assert room.state() == state


def test_members_join_switch_and_leave_and_a_full_group_says_so(server, sockets):
    room = Room(server, sockets, group_capacity=1)
    facilitator, kerstin, lars = room.facilitator(), room.phone("Kerstin", organisation="Mini-Maria"), room.phone("Lars")
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    g1, g2 = facilitator.ok("form_groups", {"theme_ids": [a["id"], b["id"]]})["groups"]
    kerstin.refused("join_group", {"group_id": g1["id"]}, "wrong_phase")
    facilitator.ok("set_phase", {"phase": "groups"})
    kerstin_id = kerstin.snapshot["me"]["id"]
    joined = kerstin.ok("join_group", {"group_id": g1["id"]})["group"]
    assert joined["members"] == [{"id": kerstin_id, "name": "Kerstin", "organisation": "Mini-Maria"}]
    lars.wait_for("group_updated", lambda g: g["id"] == g1["id"] and len(g["members"]) == 1)
    lars.refused("join_group", {"group_id": g1["id"]}, "group_full")
    kerstin.ok("join_group", {"group_id": g2["id"]})  # switching leaves the first group
    lars.wait_for("group_updated", lambda g: g["id"] == g1["id"] and g["members"] == [])
    assert lars.ok("join_group", {"group_id": g1["id"]})["group"]["members"][0]["name"] == "Lars"
    groups = {g["id"]: g for g in room.state()["groups"]}
    assert [m["id"] for m in groups[g2["id"]]["members"]] == [kerstin_id]
    kerstin.ok("leave_group")
    facilitator.wait_for("group_updated", lambda g: g["id"] == g2["id"] and g["members"] == [])
    assert room.seen_by(kerstin)["me"]["group_id"] is None
    assert room.seen_by(lars)["me"]["group_id"] == g1["id"]


def test_notes_and_summaries_only_from_members_or_the_facilitator(server, sockets):
    room = Room(server, sockets)
    facilitator, member, outsider, screen = room.facilitator(), room.phone("Kerstin"), room.phone("Lars"), room.screen()
    a, = themed_vote(room, facilitator, ["Ekonomi"])
    group, = facilitator.ok("form_groups", {"top": 1})["groups"]
    facilitator.ok("set_phase", {"phase": "groups"})
    member.ok("join_group", {"group_id": group["id"]})
    note = member.ok("add_note", {"group_id": group["id"], "text": "Gemensam budget", "op_id": "n1"})["note"]
    assert set(note) >= {"id", "text", "author_id", "created_at"}
    assert (note["text"], note["author_id"]) == ("Gemensam budget", member.snapshot["me"]["id"])
    assert member.ok("add_note", {"group_id": group["id"], "text": "Gemensam budget", "op_id": "n1"})["note"] == note
    for client in (facilitator, outsider, screen):
        assert client.wait_for("note_added", lambda n: n["id"] == note["id"])["text"] == "Gemensam budget"
    outsider.refused("add_note", {"group_id": group["id"], "text": "Jag också"}, "forbidden")
    outsider.refused("set_summary", {"group_id": group["id"], "text": "Min sammanfattning"}, "forbidden")
    screen.refused("add_note", {"group_id": group["id"], "text": "Skärm"}, "forbidden")
    facilitator.ok("add_note", {"group_id": group["id"], "text": "Från facilitatorn"})
    member.ok("set_summary", {"group_id": group["id"], "text": "Vi vill ha en gemensam budget."})
    outsider.wait_for("group_updated", lambda g: g["summary"] == "Vi vill ha en gemensam budget.")
    facilitator.ok("set_summary", {"group_id": group["id"], "text": "Gemensam budget 2027."})
    facilitator.ok("rename_group", {"group_id": group["id"], "title": "Pengarna"})
    screen.wait_for("group_updated", lambda g: g["title"] == "Pengarna" and g["summary"] == "Gemensam budget 2027.")
    member.refused("rename_group", {"group_id": group["id"], "title": "Vår"}, "forbidden")
    final, = room.state()["groups"]
    assert [n["text"] for n in final["notes"]] == ["Gemensam budget", "Från facilitatorn"]
    assert (final["title"], final["summary"]) == ("Pengarna", "Gemensam budget 2027.")
    facilitator.ok("set_phase", {"phase": "vote"})
    member.refused("add_note", {"group_id": group["id"], "text": "Sent"}, "wrong_phase")
    member.refused("leave_group", None, "wrong_phase")


def test_an_id_from_before_form_groups_names_no_group(server, sockets):
    room = Room(server, sockets)
    facilitator, phone = room.facilitator(), room.phone("Kerstin")
    a, b = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    old = facilitator.ok("form_groups", {"theme_ids": [a["id"]]})["groups"][0]
    new = facilitator.ok("form_groups", {"theme_ids": [b["id"]]})["groups"][0]
    facilitator.ok("set_phase", {"phase": "groups"})
    assert new["theme_id"] == b["id"]
    phone.refused("join_group", {"group_id": old["id"]}, "not_found")  # not silently the 'Samverkan' group
