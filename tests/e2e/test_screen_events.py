"""The events added for the screens: timer, hiding an item, merging themes, over real sockets."""


def room(server, sockets, **fields):
    ws = server.create_workshop(**fields)
    fac = sockets(server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    screen = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    phones = [sockets(server.url, {"code": ws["code"], "name": n}) for n in ("Anna", "Bo")]
    return ws, fac, screen, phones


def test_timer_reaches_every_screen_and_the_snapshot(server, sockets):
    ws, fac, screen, (anna, _bo) = room(server, sockets)
    anna.refused("start_timer", {"seconds": 60}, "forbidden")
    fac.refused("start_timer", {"seconds": 0}, "bad_request")
    fac.refused("start_timer", {"seconds": "ten"}, "bad_request")
    timer = fac.ok("start_timer", {"seconds": 300})["timer"]
    assert timer["seconds"] == 300 and 295 <= timer["remaining"] <= 300
    for client in (screen, anna):
        got = client.wait_for("timer", lambda d: d["timer"] is not None)
        assert got["timer"]["seconds"] == 300 and got["timer"]["ends_at"].endswith("Z")
    late = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    assert late.snapshot["timer"]["seconds"] == 300
    assert fac.ok("stop_timer")["timer"] is None
    screen.wait_for("timer", lambda d: d["timer"] is None)
    assert sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]}).snapshot["timer"] is None
    fac.ok("set_phase", {"phase": "closed"})
    fac.refused("start_timer", {"seconds": 60}, "wrong_phase")


def test_hidden_item_leaves_the_board_but_stays_with_its_author(server, sockets):
    ws, fac, screen, (anna, bo) = room(server, sockets, anonymous_items=False)
    item = anna.ok("post_item", {"quadrant": "threats", "text": "Olämpligt"})["item"]
    screen.wait_for("item_added", lambda d: d["id"] == item["id"])
    anna.refused("hide_item", {"item_id": item["id"]}, "forbidden")
    fac.refused("hide_item", {"item_id": item["id"], "hidden": "yes"}, "bad_request")
    assert fac.ok("hide_item", {"item_id": item["id"]})["item"]["hidden"] is True
    screen.wait_for("item_deleted", lambda d: d["id"] == item["id"])
    bo.wait_for("item_deleted", lambda d: d["id"] == item["id"])
    assert anna.wait_for("item_updated", lambda d: d["id"] == item["id"])["hidden"] is True
    assert not [d for d in anna.received("item_deleted") if d["id"] == item["id"]]
    # An edit by the author while hidden reaches nobody else.
    anna.ok("edit_item", {"item_id": item["id"], "text": "Omskrivet"})
    fac.wait_for("item_updated", lambda d: d["id"] == item["id"] and d["text"] == "Omskrivet")
    assert not [d for d in screen.received("item_updated") if d["id"] == item["id"]]
    fresh_screen = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]})
    assert item["id"] not in [i["id"] for i in fresh_screen.snapshot["items"]]
    mine = sockets(server.url, {"code": ws["code"], "participant_token": anna.snapshot["me"]["token"]})
    assert [i["hidden"] for i in mine.snapshot["items"] if i["id"] == item["id"]] == [True]
    fac.ok("hide_item", {"item_id": item["id"], "hidden": False})
    shown = screen.wait_for("item_added", lambda d: d["id"] == item["id"] and d["text"] == "Omskrivet")
    assert shown["hidden"] is False


def test_merge_moves_items_and_gives_dots_back(server, sockets):
    ws, fac, screen, (anna, _bo) = room(server, sockets)
    ids = [anna.ok("post_item", {"quadrant": "strengths", "text": f"Sak {n}"})["item"]["id"] for n in range(3)]
    keep = fac.ok("create_theme", {"title": "Samverkan", "item_ids": ids[:1]})["theme"]
    gone = fac.ok("create_theme", {"title": "Samarbete", "item_ids": ids[1:]})["theme"]
    fac.ok("set_phase", {"phase": "vote"})
    anna.ok("vote", {"theme_id": gone["id"]})
    fac.refused("merge_themes", {"theme_id": keep["id"], "source_ids": [keep["id"]]}, "bad_request")
    fac.refused("merge_themes", {"theme_id": keep["id"], "source_ids": []}, "bad_request")
    fac.refused("merge_themes", {"theme_id": keep["id"], "source_ids": [999999]}, "not_found")
    anna.refused("merge_themes", {"theme_id": keep["id"], "source_ids": [gone["id"]]}, "forbidden")
    merged = fac.ok("merge_themes", {"theme_id": keep["id"], "source_ids": [gone["id"]]})["theme"]
    assert merged["item_ids"] == ids and merged["title"] == "Samverkan"
    screen.wait_for("theme_deleted", lambda d: d["id"] == gone["id"])
    screen.wait_for("theme_updated", lambda d: d["id"] == keep["id"] and d["item_ids"] == ids)
    assert anna.wait_for("my_votes", lambda d: d["votes_left"] == 3)["votes"] == {}
    after = sockets(server.url, {"code": ws["code"], "role": "screen", "screen_key": ws["screen_key"]}).snapshot
    assert [t["id"] for t in after["themes"]] == [keep["id"]]
