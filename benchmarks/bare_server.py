"""A bare Flask-SocketIO gevent server speaking the benchmark's part of the protocol, in memory.

The yardstick for `benchmarks.suite`: our event names, payloads, rooms and naive emits, no storage:
the framework's own speed. Run: `python -m benchmarks.bare_server --port P`."""
from gevent import monkey

monkey.patch_all()

import argparse, datetime as dt, itertools, os, secrets, socket  # noqa: E401,E402

from flask import Flask, jsonify, request  # noqa: E402
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room  # noqa: E402
from gevent import pywsgi  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", ping_interval=int(os.environ.get("FACILITATION_PING_INTERVAL", "20")),
                    ping_timeout=int(os.environ.get("FACILITATION_PING_TIMEOUT", "20")), max_http_buffer_size=1_000_000)
workshops: dict[str, dict] = {}
connections: dict[str, tuple[str, str, int | None]] = {}  # sid -> (code, role, person id)
ids = itertools.count(1)


def new_workshop(title: str, items: list | None = None) -> tuple[str, str]:
    """A workshop in memory; answers (code, facilitator token)."""
    code = "".join(secrets.choice("ACDEFHJKMNPQRTWXY3479") for _ in range(6))
    token = secrets.token_urlsafe(24)
    workshops[code] = {"title": title, "token": token, "phase": "collect", "revealed": False, "items": items or [],
                       "themes": {}, "counts": {}, "people": 0, "dots": {}, "online": set()}
    return code, token


def info(code: str) -> dict:
    texts = dict.fromkeys(("organisation", "location", "purpose", "introduction", "conclusion"), "")
    return {"code": code, "title": workshops[code]["title"], "date": None, "language": "sv", **texts, "questions": [],
            "facilitators": [], "votes_per_participant": 3, "max_votes_per_theme": 3, "group_capacity": None,
            "anonymous_items": False, "tallies_revealed": workshops[code]["revealed"]}


def presence(code: str) -> None:
    w = workshops[code]  # every join and leave goes to everyone, as in our server
    socketio.emit("presence", {"participants": w["people"], "online": len(w["online"])}, to=code)


@app.post("/api/workshops")
def create():
    code, token = new_workshop((request.get_json(silent=True) or {}).get("title", ""))
    return jsonify(code=code, facilitator_token=token, join_url=f"/j/{code}", console_url=f"/console/{code}?key={token}",
                   projector_url=f"/screen/{code}"), 201


@app.post("/api/workshops/import")
def import_archive():
    archive = request.get_json(silent=True) or {}
    code, token = new_workshop(archive["workshop"]["title"], [{**i, "author": None} for i in archive["items"]])
    return jsonify(code=code, facilitator_token=token), 201


@app.get("/api/workshops/<code>/export.<fmt>")
def export(code: str, fmt: str):
    w = workshops.get(code)
    if w is None or request.headers.get("Authorization") != f"Bearer {w['token']}":
        return jsonify(error={"code": "forbidden", "message": "Refused."}), 403
    return f"# {w['title']}\n\n{len(w['items'])} items\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@socketio.on("connect")
def connect(auth=None):
    auth = auth if isinstance(auth, dict) else {}
    code = auth.get("code")
    w = workshops.get(code)
    if w is None or auth.get("facilitator_token", w["token"]) != w["token"]:
        raise ConnectionRefusedError({"code": "not_found" if w is None else "forbidden", "message": "Refused."})
    person, role = None, "facilitator" if "facilitator_token" in auth else auth.get("role") or "participant"
    if role == "facilitator":
        join_room(f"{code}:facilitator")
    elif role == "participant":
        w["people"] += 1
        person = next(ids)
        w["online"].add(person)
        w["dots"][person] = {}
    join_room(code)
    connections[request.sid] = (code, role, person)
    me = {"id": person, "role": role, "name": auth.get("name"), "organisation": auth.get("organisation"),
          "table": auth.get("table"), "token": secrets.token_urlsafe(24) if person else None,
          "votes_left": 3 if person else 0, "votes": {}, "group_id": None}
    show = role == "facilitator" or w["revealed"]
    themes = [{**t, "votes": w["counts"][str(t["id"])] if show else None} for t in w["themes"].values()]
    emit("snapshot", {"workshop": info(code), "phase": w["phase"], "me": me, "items": w["items"], "themes": themes,
                      "groups": [], "quotes": [], "timer": None, "participants": w["people"], "online": len(w["online"])})
    presence(code)


@socketio.on("disconnect")
def disconnect(*_):
    code, _role, person = connections.pop(request.sid, (None, None, None))
    if person is not None:
        workshops[code]["online"].discard(person)
        presence(code)


def caller() -> tuple[str, dict, int | None]:
    code, _, person = connections[request.sid]
    return code, workshops[code], person


@socketio.on("post_item")
def post_item(data):
    code, w, person = caller()
    if w["phase"] != "collect":
        return {"ok": False, "error": {"code": "wrong_phase", "message": "Not now."}}
    moment = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    item = {"id": next(ids), "quadrant": data["quadrant"], "text": data["text"], "author": {"id": person, "name": None},
            "table": None, "theme_id": None, "hidden": False, "created_at": moment}
    w["items"].append(item)
    socketio.emit("item_added", item, to=code)
    return {"ok": True, "item": item}


@socketio.on("create_theme")
def create_theme(data):
    code, w, _person = caller()
    theme = {"id": next(ids), "title": data["title"], "item_ids": list(data.get("item_ids", []))}
    w["themes"][theme["id"]] = theme
    w["counts"][str(theme["id"])] = 0
    socketio.emit("theme_updated", {**theme, "votes": None}, to=code)
    return {"ok": True, "theme": {**theme, "votes": 0}}


@socketio.on("set_phase")
def set_phase(data):
    code, w, _person = caller()
    w["phase"] = data["phase"]
    socketio.emit("phase", {"phase": w["phase"], "tallies_revealed": w["revealed"]}, to=code)
    return {"ok": True, "phase": w["phase"]}


def change_vote(data, step: int) -> dict:
    code, w, person = caller()
    dots = w["dots"].get(person)
    theme_id = int(data["theme_id"])
    if dots is None or theme_id not in w["themes"]:
        return {"ok": False, "error": {"code": "not_found", "message": "No such theme."}}
    if step > 0 and (sum(dots.values()) >= 3 or dots.get(theme_id, 0) >= 3):
        return {"ok": False, "error": {"code": "vote_budget", "message": "No dots left."}}
    if step < 0 and not dots.get(theme_id):
        return {"ok": False, "error": {"code": "bad_request", "message": "No dot there."}}
    dots[theme_id] = dots.get(theme_id, 0) + step
    w["counts"][str(theme_id)] += step
    mine = {"votes_left": 3 - sum(dots.values()), "votes": {str(t): n for t, n in dots.items() if n}}
    socketio.emit("tally", dict(w["counts"]), to=f"{code}:facilitator")
    emit("my_votes", mine)
    return {"ok": True, **mine}


socketio.on_event("vote", lambda data: change_vote(data, 1))
socketio.on_event("unvote", lambda data: change_vote(data, -1))


@socketio.on("reveal_tallies")
def reveal_tallies(*_):
    code, w, _person = caller()
    w["revealed"] = True
    counts = dict(w["counts"])
    socketio.emit("phase", {"phase": w["phase"], "tallies_revealed": True}, to=code)
    socketio.emit("tally", counts, to=code)
    return {"ok": True, "tally": counts}


def listener(host: str, port: int) -> socket.socket:
    """A listening socket with TCP_NODELAY (inherited by accepted sockets), as `facilitation serve` has."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


class ClosingHandler(pywsgi.WSGIHandler):
    """Closes the connection once its WebSocket ended, as `facilitation serve`'s handler does."""

    def run_application(self) -> None:
        try:
            super().run_application()
        finally:
            if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                self.close_connection = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    args = parser.parse_args()
    pywsgi.WSGIServer(listener(args.host, args.port), app, log=None, handler_class=ClosingHandler).serve_forever()


if __name__ == "__main__":
    main()
