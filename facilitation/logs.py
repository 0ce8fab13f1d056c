"""The server's log: one line per request, as text or JSON (`FACILITATION_LOG_FORMAT`).

At the default level (INFO) a request line names the route, never the address asked for:
`GET /console/<code> 302 3 ms 0 B`: no query string (the console key, a screen key), no join
code, no client address, no cookie. At DEBUG (`FACILITATION_LOG_LEVEL=DEBUG`) the path and the
client's address are added, still without the query string. The HTTP server's own access log
is off (gevent's would print the whole request line); what it reports as errors is scrubbed.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
from typing import Any, Callable, Iterable, Mapping

from flask.logging import default_handler
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect
from werkzeug.wsgi import ClosingIterator

REQUESTS = logging.getLogger("facilitation.requests")
SERVER = logging.getLogger("facilitation.server")
FORMATS = ("text", "json")
LEVELS = ("INFO", "DEBUG", "WARNING", "ERROR")


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and a request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "request", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(config: Mapping[str, Any], *, quiet: bool = False) -> None:
    """Send the app's log to standard error in the configured format and level (`quiet`: no request lines)."""
    handler = logging.StreamHandler(sys.stderr)
    if config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config.get("LOG_LEVEL") or "INFO")
    REQUESTS.setLevel(logging.WARNING if quiet else logging.NOTSET)
    for noisy in ("werkzeug", "geventwebsocket"):  # their access lines print the whole request
        logging.getLogger(noisy).setLevel(logging.ERROR)
    for own in ("engineio.server", "socketio.server"):  # their own handler (added while the root had none)
        for old in list(logging.getLogger(own).handlers):  # would print a second, unformatted line
            logging.getLogger(own).removeHandler(old)


def route_of(url_map: Map, method: str, path: str) -> str:
    """The route a path matched (`/console/<code>`), never the path itself: no code, no key."""
    if path.startswith("/socket.io/"):
        return "/socket.io/"
    try:
        rule, _args = url_map.bind("localhost").match(path, method=method, return_rule=True)
    except RequestRedirect:
        return "(redirect)"
    except HTTPException:
        return "(no route)"
    return rule.rule


# What the HTTP server reports may hold a request line or an address: keep neither.
_QUERY = re.compile(r"\?[^\s\"']*")
_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\[?[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?")
_CODE_PATH = re.compile(r"(/(?:j|screen|console|api/workshops)/)[^/\s?\"']+")


def scrub(text: str) -> str:
    """`text` without query strings, client addresses and the codes in workshop paths."""
    return _CODE_PATH.sub(r"\1<code>", _ADDRESS.sub("<address>", _QUERY.sub("?…", text)))


class ServerErrors:
    """gevent's `error_log`: its messages scrubbed, into our log."""

    def write(self, message: str) -> None:
        if message.strip():
            SERVER.warning("%s", scrub(message.strip()))

    def flush(self) -> None:
        pass


class Scrubbed(logging.Filter):
    """For Flask's own logger, whose "Exception on <path>" names the path asked for."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = scrub(record.getMessage()), ()
        return True


def init_app(app: Any) -> None:
    """Log every request (outermost, so Socket.IO's are counted too) and scrub Flask's own lines."""
    app.wsgi_app = RequestLog(app.wsgi_app, app.url_map)
    app.logger.addFilter(Scrubbed())
    # Flask's own handler writes to the request's wsgi.errors, which under `serve` is ServerErrors,
    # which logs to facilitation.server, a child of app.logger ("facilitation"): a record logged in a
    # request went round for ever (RecursionError, a 500). The root's handler (configure) is the one.
    app.logger.removeHandler(default_handler)


class RequestLog:
    """WSGI middleware (outermost): one line when a response has been sent (a WebSocket's when it closes)."""

    def __init__(self, app: Callable, url_map: Map) -> None:
        self.app = app
        self.url_map = url_map

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        status: list[str] = ["-"]
        sent = [0]

        def start(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            status[0] = line.split(" ", 1)[0]
            write = start_response(line, headers, exc_info)

            def counted(data: bytes) -> None:
                sent[0] += len(data)
                write(data)
            return counted

        def counting(body: Iterable[bytes]) -> Iterable[bytes]:
            for chunk in body:
                sent[0] += len(chunk)
                yield chunk

        def done() -> None:
            if REQUESTS.isEnabledFor(logging.INFO):
                self.log(environ, status[0], time.perf_counter() - started, sent[0])

        body = self.app(environ, start)
        return ClosingIterator(counting(body), [getattr(body, "close", lambda: None), done])

    def log(self, environ: dict[str, Any], status: str, seconds: float, size: int) -> None:
        method = environ.get("REQUEST_METHOD", "-")
        fields: dict[str, Any] = {"method": method, "route": route_of(self.url_map, method, environ.get("PATH_INFO", "")),
                                  "status": int(status) if status.isdigit() else None,
                                  "ms": round(seconds * 1000, 1), "bytes": size}
        if REQUESTS.isEnabledFor(logging.DEBUG):
            fields.update(path=environ.get("PATH_INFO", ""), client=environ.get("REMOTE_ADDR", ""))
        line = f"{method} {fields['route']} {status} {fields['ms']:g} ms {size} B"
        if "path" in fields:
            line += f" ({fields['path']} from {fields['client']})"
        REQUESTS.info("%s", line, extra={"request": fields})
