"""A raw Engine.IO 4 / Socket.IO 5 client over aiohttp WebSockets, cheap enough for 2,000 phones on one core.

Frames are not decoded unless asked: an `item_added` is reduced to the number between the
`#B` and `#` of its text (the benchmark's marker), an ack to its id and raw text; only
connections with `parse_events` (the facilitator) decode `tally` and `snapshot` as JSON.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

MARK = "#B"  # posts' texts carry "#B<seq>#"


def marker_text(seq: int) -> str:
    return f"Synpunkt {MARK}{seq}# från en telefon"


def markers(text: str) -> list[int]:
    """Every marker number in a frame (a snapshot holds many)."""
    found, at = [], text.find(MARK)
    while at >= 0:
        end = text.find("#", at + 2)
        if end < 0:
            break
        digits = text[at + 2:end]
        if digits.isdigit():
            found.append(int(digits))
        at = text.find(MARK, end + 1)
    return found


class Phone:
    """One Socket.IO connection: connects with `auth`, answers pings, sends events with acks."""

    frames = 0  # frames received by every phone together: the generator's throughput

    def __init__(self, url: str, auth: dict, *, parse_events: bool = False, keep_times: bool = False) -> None:
        self.url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.auth = auth
        self.parse_events, self.keep_times = parse_events, keep_times
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None
        self.pending: dict[int, asyncio.Future] = {}
        self.next_id = 0
        self.snapshot_at: float | None = None
        self.snapshot: dict | None = None  # only with parse_events
        self.refused: str | None = None
        self.seen: set[int] = set()  # markers of item_added received
        self.duplicates = 0
        self.seen_at: dict[int, float] = {}  # marker -> arrival time (keep_times)
        self.tallies: list[tuple[float, dict]] = []  # (arrival, tally) with parse_events
        self.presences: list[dict] = []  # with parse_events
        self.closed = self.silent = False
        self._joined = asyncio.Event()

    async def connect(self, session: aiohttp.ClientSession, timeout: float = 30, compress: int = 0) -> float:
        """Open, connect to the namespace, wait for the snapshot; answers seconds taken (raises on failure)."""
        start = time.perf_counter()
        self.ws = await session.ws_connect(self.url, compress=compress, autoping=True, max_msg_size=0,
                                           timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5))
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._joined.wait(), timeout)
        if self.refused:
            raise ConnectionRefusedError(self.refused)
        if self.snapshot_at is None:
            raise ConnectionError("closed before the snapshot")
        return self.snapshot_at - start

    async def _read(self) -> None:
        ws = self.ws
        try:
            while True:
                msg = await ws.receive()
                if msg.type is not aiohttp.WSMsgType.TEXT:
                    break
                Phone.frames += 1
                self._frame(msg.data)
                if msg.data == "2":
                    await ws.send_str("3")
        except (asyncio.CancelledError, ConnectionError, aiohttp.ClientError):
            pass
        finally:
            self.closed = True
            self._joined.set()
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("closed"))

    def _frame(self, data: str) -> None:
        kind = data[:2]
        if kind == "42":
            if data.startswith('42["item_added"'):
                for seq in markers(data):
                    if seq in self.seen:
                        self.duplicates += 1
                    else:
                        self.seen.add(seq)
                        if self.keep_times:
                            self.seen_at[seq] = time.perf_counter()
            elif data.startswith('42["snapshot"'):
                self.snapshot_at = time.perf_counter()
                if self.parse_events:
                    self.snapshot = json.loads(data[2:])[1]
                self._joined.set()
            elif self.parse_events and data.startswith('42["tally"'):
                self.tallies.append((time.perf_counter(), json.loads(data[2:])[1]))
            elif self.parse_events and data.startswith('42["presence"'):
                self.presences.append(json.loads(data[2:])[1])
        elif kind == "43":
            bracket = data.index("[")
            future = self.pending.pop(int(data[2:bracket]), None)
            if future is not None and not future.done():
                future.set_result((time.perf_counter(), data[bracket:]))
        elif data[0] == "0":
            asyncio.ensure_future(self.ws.send_str("40" + json.dumps(self.auth)))
        elif kind == "44":
            self.refused = data[2:]
            self._joined.set()

    async def call(self, event: str, data: Any = None, timeout: float = 60) -> tuple[float, str]:
        """Send an event with an ack id; answers (ms until the ack, the ack's raw JSON list)."""
        self.next_id += 1
        ack_id = self.next_id
        future = asyncio.get_running_loop().create_future()
        self.pending[ack_id] = future
        payload = [event] if data is None else [event, data]
        start = time.perf_counter()
        await self.ws.send_str(f"42{ack_id}{json.dumps(payload, separators=(',', ':'))}")
        arrived, raw = await asyncio.wait_for(future, timeout)
        return (arrived - start) * 1000, raw

    def go_silent(self) -> None:
        """Stop reading the socket (and so stop answering pings), as a phone whose screen went dark."""
        self.silent = True
        if self.reader:
            self.reader.cancel()
        if self.transport() is not None:
            self.transport().pause_reading()

    def transport(self) -> asyncio.Transport | None:
        connection = self.ws._response.connection if self.ws else None
        return connection.transport if connection is not None else None

    async def close(self) -> None:
        if self.silent:  # a close handshake would wait on a socket nobody reads
            if self.transport() is not None:
                self.transport().abort()
            return
        if self.ws is not None and not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except (asyncio.TimeoutError, ConnectionError, aiohttp.ClientError):
                pass
        if self.reader:
            self.reader.cancel()


def ok(raw: str) -> bool:
    """True when an ack's raw text answers {"ok": true, ...}."""
    return raw.startswith('[{"ok":true') or raw.startswith('[{"ok": true')


def answer(raw: str) -> dict:
    return json.loads(raw)[0]
