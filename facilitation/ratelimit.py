"""Token buckets in each server process: slow a join-code guesser without refusing the room, and
hold one person, one address or one workshop to a pace no real workshop comes near.

A guesser is told apart from the room by what it asks for: every code an address has been
admitted to is remembered for that address (for 12 hours), and asking for a remembered code,
or bringing a valid token or key, is never refused. Only new codes cost: each miss (an unknown
code, a wrong token or key) takes one of the address's `code_miss` tokens, and once they are
gone that address gets `rate_limited` for every code it does not already know, whether or not
the code exists, so the answer tells the guesser nothing.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flask import Flask, current_app, request

from .operations import access
from .operations.errors import DomainError

T = TypeVar("T")

# kind -> (burst, refill per second).
LIMITS = {
    "code_miss": (20, 0.2),  # unknown codes or wrong tokens from one address: 20, then one every 5 s
    "join_address": (200, 5.0),  # new participants from one address: 200 at once, then 5 a second
    "join_workshop": (500, 10.0),  # new participants in one workshop, from everywhere: 500, then 10 a second
    "create_workshop": (200, 1.0),  # workshops created or imported from one address: 200, then one a second
    "event": (200, 20.0),  # events of one person, all their connections together: 200, then 20 a second
    "post": (30, 0.5),  # items and notes one person writes: 30, then one every 2 s (30 a minute)
}
POSTS = frozenset({"post_item", "add_note"})
MISSES = frozenset({"not_found", "forbidden"})  # the refusals a guess gets
KNOWN_FOR = 12 * 3600  # seconds an address keeps a code it was admitted to
KNOWN_PER_ADDRESS = 64
MOST_KEYS = 100_000  # buckets or addresses kept; beyond, the full (or oldest) ones are forgotten


class RateLimited(DomainError):
    """`rate_limited`, with the whole seconds after which another try can succeed."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__("rate_limited", message)
        self.retry_after = max(1, math.ceil(retry_after))

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "retry_after": self.retry_after}


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    def __init__(self, enabled: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = enabled
        self.clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._known: dict[str, dict[str, float]] = {}  # address -> {code: when it is forgotten}
        self._lock = threading.Lock()

    def _bucket(self, kind: str, key: str, now: float) -> _Bucket:
        burst, rate = LIMITS[kind]
        bucket = self._buckets.get((kind, key))
        if bucket is None:
            if len(self._buckets) >= MOST_KEYS:
                self._forget_buckets(now)
            bucket = self._buckets[(kind, key)] = _Bucket(float(burst), now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        return bucket

    def _forget_buckets(self, now: float) -> None:
        """Drop the buckets that have filled up again (they hold nothing to remember), else the older half."""
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.stamp) * LIMITS[k[0]][1] >= LIMITS[k[0]][0]]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= MOST_KEYS:
            for key, _ in sorted(self._buckets.items(), key=lambda kv: kv[1].stamp)[: len(self._buckets) // 2]:
                del self._buckets[key]

    def take(self, kind: str, key: str) -> float:
        """Take one token: 0 when there was one, else the seconds until there is."""
        if not self.enabled:
            return 0.0
        with self._lock:
            bucket = self._bucket(kind, key, self.clock())
            if bucket.tokens < 1:
                return (1 - bucket.tokens) / LIMITS[kind][1]
            bucket.tokens -= 1
            return 0.0

    def allow(self, kind: str, key: str) -> bool:
        """Take one token; False when the bucket is empty."""
        return self.take(kind, key) == 0.0

    def wait(self, kind: str, key: str) -> float:
        """The seconds until the bucket has a token (0 when it has one), without taking it."""
        if not self.enabled:
            return 0.0
        with self._lock:
            bucket = self._bucket(kind, key, self.clock())
            return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / LIMITS[kind][1]

    def knows(self, address: str, code: str) -> bool:
        """True when `address` was admitted to `code` within KNOWN_FOR."""
        with self._lock:
            return self._known.get(address, {}).get(code, 0.0) > self.clock()

    def learn(self, address: str, code: str) -> None:
        """Remember that `address` was admitted to `code`: from now on it never costs that address."""
        now = self.clock()
        with self._lock:
            codes = self._known.get(address)
            if codes is None:
                if len(self._known) >= MOST_KEYS:
                    self._known = {a: c for a, c in self._known.items() if max(c.values(), default=0) > now}
                    if len(self._known) >= MOST_KEYS:
                        self._known.clear()
                codes = self._known[address] = {}
            codes[code] = now + KNOWN_FOR
            if len(codes) > KNOWN_PER_ADDRESS:
                del codes[min(codes, key=codes.__getitem__)]

    # The policies, as the routes and the socket handlers ask for them.

    def guessing(self, address: str, code: str) -> RateLimited | None:
        """The refusal for `address` asking for `code`, when the code is new to it and its misses are
        used up; None when it may be told whether the code exists."""
        if not self.enabled or self.knows(address, code):
            return None
        wait = self.wait("code_miss", address)
        if not wait:
            return None
        return RateLimited("Too many wrong codes from your network; wait a little and try again.", wait)

    def missed(self, address: str) -> None:
        self.take("code_miss", address)

    def joining(self, address: str, code: str) -> RateLimited | None:
        """Take a new participant's place in the address's and the workshop's join budgets."""
        for kind, key in (("join_address", address), ("join_workshop", code)):
            wait = self.take(kind, key)
            if wait:
                return RateLimited("Many people are joining right now; trying again in a moment.", wait)
        return None

    def acting(self, participant_id: int, event: str) -> RateLimited | None:
        """Take one of a participant's event tokens (and, for an item or a note, a post token)."""
        person = f"p{participant_id}"
        wait = self.take("event", person) or (self.take("post", person) if event in POSTS else 0.0)
        if wait:
            return RateLimited("Too many at once; slow down a little.", wait)
        return None


def init_app(app: Flask) -> None:
    app.extensions["facilitation.ratelimit"] = RateLimiter(app.config["RATE_LIMITS"])


def limiter() -> RateLimiter:
    return current_app.extensions["facilitation.ratelimit"]


def client_address() -> str:
    return request.remote_addr or "?"


def looked_up(code: str, find: Callable[[str], T], proof: Callable[[str], Any] | None = None) -> T:
    """`find(code)` (a lookup raising not_found or forbidden) for this request's client, counted:
    a guesser out of misses gets RateLimited for every code it has not been admitted to, unless
    `proof(code)` shows the request holds a valid token or key for it (raises DomainError or
    answers False when it does not): a key or token cannot be guessed, so it is never slowed."""
    address, rate = client_address(), limiter()
    code = access.normalise_code(code)
    refusal = rate.guessing(address, code)
    if refusal is not None and not _proven(proof, code):
        raise refusal
    try:
        found = find(code)
    except DomainError as error:
        if error.code in MISSES:
            rate.missed(address)
        raise
    rate.learn(address, code)
    return found


def _proven(proof: Callable[[str], Any] | None, code: str) -> bool:
    if proof is None:
        return False
    try:
        return proof(code) is not False
    except DomainError:
        return False
