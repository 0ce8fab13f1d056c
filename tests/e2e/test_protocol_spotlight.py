"""The projector's events over the wire (issue 10): the facilitator's spotlight (kept for a projector
that connects later, taken away by a new phase), voting progress on the screens, and the soft
hyphens a screen asks for. A live server and real Socket.IO clients."""
from __future__ import annotations

from .protocol_support import Room, fence, themed_vote

SHY = "\u00ad"


def test_the_spotlight_reaches_the_screens_and_a_projector_that_connects_later(server, sockets):
    room = Room(server, sockets)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    assert screen.snapshot["spotlight"] is None and facilitator.snapshot["spotlight"] is None
    assert "spotlight" not in kerstin.snapshot
    item = kerstin.ok("post_item", {"quadrant": "threats", "text": "Kort väg mellan förvaltningarna"})["item"]
    answer = facilitator.ok("spotlight", {"kind": "item", "id": item["id"]})
    assert answer["spotlight"] == {"kind": "item", "id": item["id"]}
    for client in (screen, facilitator):
        assert client.wait_for("spotlight")["spotlight"] == {"kind": "item", "id": item["id"]}
    later = room.screen()
    assert later.snapshot["spotlight"] == {"kind": "item", "id": item["id"]}
    assert "spotlight" not in room.seen_by(kerstin)

    facilitator.ok("spotlight", {"kind": "quadrant", "quadrant": "threats"})
    assert later.wait_for("spotlight", lambda d: d["spotlight"] and d["spotlight"]["kind"] == "quadrant")["spotlight"] == {
        "kind": "quadrant", "quadrant": "threats"}
    assert facilitator.ok("spotlight", None)["spotlight"] is None  # null takes it away
    assert later.wait_for("spotlight", lambda d: d["spotlight"] is None) == {"spotlight": None}
    fence(facilitator, kerstin)
    assert kerstin.received("spotlight") == []
    assert room.screen().snapshot["spotlight"] is None


def test_a_new_phase_or_a_deleted_theme_takes_the_spotlight_away(server, sockets):
    room = Room(server, sockets)
    facilitator, screen = room.facilitator(), room.screen()
    item = facilitator.ok("post_item", {"quadrant": "strengths", "text": "Engagerade medarbetare"})["item"]
    theme = facilitator.ok("create_theme", {"title": "Samverkan", "item_ids": [item["id"]]})["theme"]
    facilitator.ok("spotlight", {"kind": "theme", "id": theme["id"]})
    facilitator.ok("set_phase", {"phase": "cluster"})
    assert screen.wait_for("spotlight", lambda d: d["spotlight"] is None) == {"spotlight": None}
    assert room.screen().snapshot["spotlight"] is None
    facilitator.ok("set_phase", {"phase": "cluster"})  # the same phase again: nothing to take away
    facilitator.ok("spotlight", {"kind": "theme", "id": theme["id"]})
    facilitator.ok("delete_theme", {"theme_id": theme["id"]})
    assert room.screen().snapshot["spotlight"] is None  # a theme that is gone is shown by no one


def test_a_spotlight_that_cannot_be_shown_is_refused_and_changes_nothing(server, sockets):
    room, other = Room(server, sockets), Room(server, sockets)
    facilitator, kerstin, screen = room.facilitator(), room.phone("Kerstin"), room.screen()
    item = kerstin.ok("post_item", {"quadrant": "weaknesses", "text": "Långa väntetider"})["item"]
    elsewhere = other.facilitator().ok("post_item", {"quadrant": "weaknesses", "text": "Annan workshop"})["item"]
    facilitator.ok("spotlight", {"kind": "quadrant", "quadrant": "weaknesses"})
    kerstin.refused("spotlight", {"kind": "item", "id": item["id"]}, "forbidden")
    facilitator.refused("spotlight", {"kind": "item", "id": elsewhere["id"]}, "not_found")
    facilitator.refused("spotlight", {"kind": "theme", "id": 10**12}, "not_found")
    facilitator.refused("spotlight", {"kind": "note", "id": item["id"]}, "bad_request")
    facilitator.refused("spotlight", {"id": item["id"]}, "bad_request")  # an id without its kind
    facilitator.refused("spotlight", {"kind": "quadrant", "quadrant": "hot"}, "bad_request")
    facilitator.refused("spotlight", {"kind": "item", "id": "x"}, "bad_request")
    facilitator.refused("spotlight", ["item"], "bad_request")
    facilitator.ok("hide_item", {"item_id": item["id"]})
    assert "hidden" in facilitator.refused("spotlight", {"kind": "item", "id": item["id"]}, "bad_request")["message"]
    facilitator.ok("set_phase", {"phase": "closed"})
    facilitator.refused("spotlight", {"kind": "quadrant", "quadrant": "threats"}, "wrong_phase")
    assert room.state()["spotlight"] is None
    screen.wait_for("spotlight", lambda d: d["spotlight"] is None)  # closing took it away
    assert [d["spotlight"] for d in screen.received("spotlight")] == [{"kind": "quadrant", "quadrant": "weaknesses"}, None]


def test_voting_progress_reaches_the_screens_and_not_the_phones(server, sockets):
    room = Room(server, sockets, votes_per_participant=3)
    facilitator, kerstin, lars, screen = room.facilitator(), room.phone("Kerstin"), room.phone("Lars"), room.screen()
    first, second = themed_vote(room, facilitator, ["Ekonomi", "Samverkan"])
    assert room.screen().snapshot["vote_progress"] == {"dots_used": 0, "dots_total": 6, "done": 0, "participants": 2}
    for theme in (first, second, first):
        kerstin.ok("vote", {"theme_id": theme["id"]})
    lars.ok("vote", {"theme_id": second["id"]})
    done = screen.wait_for("vote_progress", lambda p: p["dots_used"] == 4)
    assert done == {"dots_used": 4, "dots_total": 6, "done": 1, "participants": 2}
    assert room.screen().snapshot["vote_progress"] == done
    fence(facilitator, kerstin)
    assert kerstin.received("vote_progress") == [] and "vote_progress" not in room.seen_by(kerstin)


def test_a_screen_learns_where_its_long_words_break(server, sockets):
    room = Room(server, sockets)
    screen, kerstin = room.screen(), room.phone("Kerstin")
    words = screen.ok("hyphenate", {"words": ["förvaltningarna", "Samordningsförbundet", "och"], "language": "sv"})["words"]
    assert words["förvaltningarna"].replace(SHY, "") == "förvaltningarna"
    assert words["förvaltningarna"].count(SHY) >= 3 and not words["förvaltningarna"].endswith(SHY)
    assert f"ning{SHY}ar{SHY}na" not in words["förvaltningarna"]  # never a two-letter piece at the end
    assert words["Samordningsförbundet"].split(SHY)[0] == "Sam" and words["och"] == "och"
    english = screen.ok("hyphenate", {"words": ["organisations"], "language": "en"})["words"]["organisations"]
    assert SHY in english and english.replace(SHY, "") == "organisations"
    kerstin.refused("hyphenate", {"words": ["förvaltningarna"]}, "forbidden")
    for bad in ({"words": "förvaltningarna"}, {"words": ["x" * 65]}, {"words": [""]}, {"words": ["a\u00adb"]},
                {"words": ["ord"] * 501}, {"words": ["ord"], "language": "de"}, {"words": [3]}, None):
        screen.refused("hyphenate", bad, "bad_request")
