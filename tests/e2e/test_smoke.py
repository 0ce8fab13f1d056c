"""A first walk through the protocol against a real gevent server."""


def test_participant_posts_and_facilitator_sees_it(live_server, sockets):
    ws = live_server.create_workshop(anonymous_items=False)
    facilitator = sockets(live_server.url, {"code": ws["code"], "facilitator_token": ws["facilitator_token"]})
    phone = sockets(live_server.url, {"code": ws["code"], "name": "Kerstin Nordin", "organisation": "Mini-Maria"})
    item = phone.ok("post_item", {"quadrant": "strengths", "text": "Vi har olika glasögon"})["item"]
    seen = facilitator.wait_for("item_added", lambda d: d["id"] == item["id"])
    assert seen["text"] == "Vi har olika glasögon"
    assert seen["author"]["name"] == "Kerstin Nordin"
