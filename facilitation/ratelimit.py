"""In-process token buckets: refused join-code guesses, workshop creation, a phone's event rate."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

# kind -> (burst, refill per second). Generous enough for test suites and scripts run from
# one address; tight enough that guessing join codes (21^6 of them) or flooding does not pay.
LIMITS = {
    "connect_failure": (100, 1.0),  # wrong codes or tokens from one address: 100, then one a second
    "create_workshop": (200, 1.0),  # workshops created from one address: 200, then one a second
    "event": (200, 50.0),  # events from one participant connection: no person comes near it
}


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimiter:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, kind: str, key: str) -> _Bucket:
        burst, rate = LIMITS[kind]
        now = time.monotonic()
        bucket = self._buckets.get((kind, key))
        if bucket is None:
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            bucket = self._buckets[(kind, key)] = _Bucket(float(burst), now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        return bucket

    def allow(self, kind: str, key: str) -> bool:
        """Take one token; False when the bucket is empty."""
        if not self.enabled:
            return True
        with self._lock:
            bucket = self._bucket(kind, key)
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def blocked(self, kind: str, key: str) -> bool:
        """True when the bucket is empty, without taking a token."""
        if not self.enabled:
            return False
        with self._lock:
            return self._bucket(kind, key).tokens < 1


def init_app(app: Flask) -> None:
    app.extensions["facilitation.ratelimit"] = RateLimiter(app.config["RATE_LIMITS"])


def limiter() -> RateLimiter:
    return current_app.extensions["facilitation.ratelimit"]
