"""Load benchmark: N phones, a projector and a facilitator against one `facilitation serve`.

The phones are python-socketio asyncio clients in one process (light enough that the server,
not the load generator, is what is measured). Measures joining, acknowledgement latency of
posts and votes, how long until the projector has every item, the server's CPU and memory.
Run: `.venv/bin/pip install aiohttp && .venv/bin/python -m benchmarks.load --participants 200
[--database-url postgresql+psycopg://postgres@127.0.0.1/test]`; prints a Markdown row for
docs/benchmarks.md. Traffic stays on 127.0.0.1; every wait is bounded."""
from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import requests
import socketio

from tests.support import LiveServer

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


class Phone:
    """An asyncio Socket.IO client that counts what it receives."""

    def __init__(self, url: str, auth: dict) -> None:
        self.url, self.auth = url, auth
        self.sio = socketio.AsyncClient(reconnection=False)
        self.counts: dict[str, int] = {}
        self.phase = None
        self.sio.on("*", self._count)

    async def _count(self, event: str, data=None) -> None:
        self.counts[event] = self.counts.get(event, 0) + 1
        if event == "phase":
            self.phase = data["phase"]

    async def connect(self) -> None:
        await self.sio.connect(self.url, auth=self.auth, transports=["websocket"], wait_timeout=30)

    async def call(self, event: str, data=None) -> tuple[float, dict]:
        start = time.perf_counter()
        answer = await self.sio.call(event, data, timeout=60)
        return (time.perf_counter() - start) * 1000, answer


async def until(predicate, timeout: float = 120) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(0.01)
    return time.perf_counter() - start


async def run(server: LiveServer, n: int, items_each: int, database: str) -> str:
    ws = requests.post(server.url + "/api/workshops", json={"title": "Belastning"}, timeout=10).json()
    code, pid = ws["code"], server.process.pid
    baseline = rss_mib(pid)
    facilitator = Phone(server.url, {"code": code, "facilitator_token": ws["facilitator_token"]})
    screen = Phone(server.url, {"code": code, "role": "screen"})
    await facilitator.connect()
    await screen.connect()
    phones = [Phone(server.url, {"code": code, "name": f"Deltagare {i}", "table": str(i % 20)}) for i in range(n)]
    start = time.perf_counter()
    await asyncio.gather(*(p.connect() for p in phones))
    join_s = time.perf_counter() - start
    await until(lambda: all(p.counts.get("snapshot") for p in phones))
    joined_rss = rss_mib(pid)

    cpu = cpu_seconds(pid)
    start = time.perf_counter()

    async def post(i: int, phone: Phone) -> list[tuple[float, dict]]:
        return [await phone.call("post_item", {"quadrant": QUADRANTS[(i + k) % 4], "text": f"Synpunkt {i}-{k}"}) for k in range(items_each)]

    posted = [r for rs in await asyncio.gather(*(post(i, p) for i, p in enumerate(phones))) for r in rs]
    assert all(a["ok"] for _, a in posted)
    total = n * items_each
    await until(lambda: screen.counts.get("item_added", 0) >= total and all(p.counts.get("item_added", 0) >= total for p in phones))
    everyone_s = time.perf_counter() - start
    fanout_cpu = cpu_seconds(pid) - cpu
    delivered = total * (n + 2)

    ids = [a["item"]["id"] for _, a in posted]
    await facilitator.call("set_phase", {"phase": "cluster"})
    themes = [(await facilitator.call("create_theme", {"title": f"Tema {t}", "item_ids": ids[t::8]}))[1]["theme"]["id"] for t in range(8)]
    await facilitator.call("set_phase", {"phase": "vote"})
    await until(lambda: all(p.phase == "vote" for p in phones))

    async def vote(i: int, phone: Phone) -> list[tuple[float, dict]]:
        return [await phone.call("vote", {"theme_id": themes[(i + k) % 8]}) for k in range(4)]

    start = time.perf_counter()
    votes = [r for rs in await asyncio.gather(*(vote(i, p) for i, p in enumerate(phones))) for r in rs]
    vote_s = time.perf_counter() - start
    refused = [a for _, a in votes if not a["ok"]]
    assert len(refused) == n and {a["error"]["code"] for a in refused} == {"vote_budget"}, refused[:3]
    _, answer = await facilitator.call("reveal_tallies")
    assert sum(answer["tally"].values()) == 3 * n
    peak_rss = rss_mib(pid)
    await asyncio.gather(*(p.sio.disconnect() for p in [*phones, facilitator, screen]))

    post_ms = [ms for ms, _ in posted]
    vote_ms = [ms for ms, _ in votes]
    return (f"| {database} | {n} | {join_s:.1f} s | {total} | {percentile(post_ms, 50):.0f} / {percentile(post_ms, 95):.0f} ms "
            f"| {everyone_s:.1f} s | {delivered / fanout_cpu / 1000:.1f} k/s | {percentile(vote_ms, 50):.0f} / {percentile(vote_ms, 95):.0f} ms "
            f"| {len(votes) / vote_s:.0f}/s | {baseline:.0f} → {joined_rss:.0f} → {peak_rss:.0f} MiB |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--items-each", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    env = {"DATABASE_URL": args.database_url} if args.database_url else {}
    with tempfile.TemporaryDirectory() as data:
        server = LiveServer(Path(data), env=env)
        server.start()
        try:
            database = "postgresql" if args.database_url else "sqlite"
            print(asyncio.run(run(server, args.participants, args.items_each, database)))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
