"""The Socket.IO packet as this server reads it: one whose data cannot be read is still answered.

python-socketio drops a packet whose JSON it cannot decode (invalid, nested deeper than the
decoder goes, an integer of more than 100 digits), so the client's acknowledgement never comes.
Here the packet's type, namespace and id, read before its data, are kept, and the data is
replaced by an `Unreadable` reason: an event is handed on as the event UNREADABLE (answered
`bad_request` by events.py), a connect is refused with `bad_request`. A string holding a lone
surrogate (`"\\ud800"`, which no text can store) makes the data unreadable too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from engineio import json as engineio_json  # json with integers of at most 100 digits
from socketio import packet

UNREADABLE = "\x00unreadable"  # the event name an unreadable event is handed on under

# A \uD800-\uDFFF escape that is not half of a pair (or a literal "\\uD800": the walk decides).
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


@dataclass(frozen=True)
class Unreadable:
    """Why a packet's data could not be read, as the client is told."""

    message: str


class UnreadableData(ValueError):
    """A packet's data that cannot be read; a ValueError, as python-socketio's callers expect."""


def _valid_unicode(data: Any) -> bool:
    """True when no string in `data` (keys included) holds a lone surrogate; no recursion."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(value, dict):
            pending += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            pending += value
    return True


class StrictJson:
    """python-engineio's json; every way of failing to read raises UnreadableData with the reason."""

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(text: Any, **kwargs: Any) -> Any:
        try:
            data = engineio_json.loads(text, **kwargs)
        except RecursionError:
            raise UnreadableData("The data is nested too deeply to be read.") from None
        except ValueError:
            raise UnreadableData("The data is not JSON that can be read "
                                 "(numbers have at most 100 digits).") from None
        if isinstance(text, str) and _LONE_SURROGATE.search(text) and not _valid_unicode(data):
            raise UnreadableData("The data holds a lone surrogate (\\ud800-\\udfff), which is not text.")
        return data


class Packet(packet.Packet):
    """socketio's packet, answering what it cannot read (pass as the server's `serializer`)."""

    json = StrictJson

    def decode(self, encoded_packet: Any) -> int:
        try:
            attachments = super().decode(encoded_packet)
        except UnreadableData as error:
            if self.packet_type not in (packet.EVENT, packet.CONNECT):
                raise
            self.data, attachments = Unreadable(str(error)), 0
        if self.packet_type == packet.EVENT and not _named(self.data):
            reason = self.data if isinstance(self.data, Unreadable) else Unreadable(
                "An event is a JSON array that starts with the event's name.")
            self.data = [UNREADABLE, reason]
        return attachments


def _named(data: Any) -> bool:
    """True for an event's data as python-socketio dispatches it: [name, *arguments]."""
    return isinstance(data, list) and bool(data) and isinstance(data[0], str)
