"""The site's public address (FACILITATION_BASE_URL) and the hosts it answers to.

Links (join, QR code, console, projector) and the CSP's socket sources are built from BASE_URL
when it is set, never from the request's `Host`, which the client chooses. Flask refuses a `Host`
outside TRUSTED_HOSTS on pages and the API (400); Socket.IO requests never reach Flask, so
`SocketHostCheck` applies the same check to them. Without the settings links follow the request's
`Host` (local use).
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute address of `endpoint`: under BASE_URL when it is set, else the request's host."""
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def socket_sources() -> str:
    """The CSP's connect-src for the Socket.IO WebSocket: the site's own host, or none for a
    request whose Host is refused (its error page needs no socket)."""
    base = current_app.config.get("BASE_URL")
    if base:
        parts = urlsplit(base)
        return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    try:
        host = request.host
    except SecurityError:
        return ""
    return f"ws://{host} wss://{host}"


class SocketHostCheck:
    """WSGI middleware: a Socket.IO request (polling or WebSocket) whose Host is not trusted gets 400."""

    def __init__(self, app: Any, trusted_hosts: Iterable[str], path: str = "/socket.io") -> None:
        self.app, self.trusted_hosts, self.path = app, list(trusted_hosts), path

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(self.path):
            try:
                get_host(environ, self.trusted_hosts)
            except SecurityError as error:
                return error(environ, start_response)
        return self.app(environ, start_response)
