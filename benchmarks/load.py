"""Load benchmark: N phones, a projector and a facilitator against one `facilitation serve`.

Measures join time, acknowledgement latency of posts and votes, how long the projector takes
to see every item, and the server's memory. Run: `.venv/bin/python -m benchmarks.load
--participants 200 [--database-url postgresql+psycopg://...]`; prints Markdown rows for
docs/benchmarks.md. Traffic stays on 127.0.0.1; every loop is bounded."""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support import LiveServer, SocketClient

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


def timed_calls(clients: list[SocketClient], make_call, workers: int) -> tuple[list[float], list[dict], float]:
    """Each client sends its calls; returns latencies (ms), answers and the wall time (s)."""
    latencies: list[float] = []
    answers: list[dict] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        for event, data in make_call(index):
            start = time.perf_counter()
            answer = clients[index].call(event, data, timeout=60)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                answers.append(answer)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(len(clients))))
    return latencies, answers, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--items-each", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    n = args.participants
    env = {"DATABASE_URL": args.database_url} if args.database_url else {}
    with tempfile.TemporaryDirectory() as data:
        server = LiveServer(Path(data), env=env)
        server.start()
        try:
            run(server, n, args.items_each, "postgresql" if args.database_url else "sqlite")
        finally:
            server.stop()


def run(server: LiveServer, n: int, items_each: int, database: str) -> None:
    ws = server.create_workshop(title="Belastning", votes_per_participant=3, max_votes_per_theme=3)
    code = ws["code"]
    pid = server.process.pid
    baseline = rss_mib(pid)
    facilitator = SocketClient(server.url, {"code": code, "facilitator_token": ws["facilitator_token"]})
    screen = SocketClient(server.url, {"code": code, "role": "screen"})

    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        phones = list(pool.map(lambda i: SocketClient(server.url, {"code": code, "name": f"Deltagare {i}", "table": str(i % 20)}), range(n)))
    join_s = time.perf_counter() - start
    joined_rss = rss_mib(pid)

    total_items = n * items_each
    cpu_before = cpu_seconds(pid)
    post_ms, answers, post_s = timed_calls(
        phones, lambda i: [("post_item", {"quadrant": QUADRANTS[(i + k) % 4], "text": f"Synpunkt {i}-{k} om samverkan"}) for k in range(items_each)], 16)
    assert all(a["ok"] for a in answers), [a for a in answers if not a["ok"]][:3]
    start = time.perf_counter()
    screen.wait_for("item_added", lambda d: len(screen.received("item_added")) >= total_items, timeout=120)
    drain_s = post_s + (time.perf_counter() - start)
    post_cpu = cpu_seconds(pid) - cpu_before

    item_ids = [a["item"]["id"] for a in answers]
    facilitator.ok("set_phase", {"phase": "cluster"})
    themes = [facilitator.ok("create_theme", {"title": f"Tema {t}", "item_ids": item_ids[t::8]})["theme"]["id"] for t in range(8)]
    facilitator.ok("set_phase", {"phase": "vote"})
    for phone in phones:
        phone.wait_for("phase", lambda d: d["phase"] == "vote", timeout=60)
    vote_ms, answers, vote_s = timed_calls(phones, lambda i: [("vote", {"theme_id": themes[(i + k) % 8]}) for k in range(4)], 16)
    refused = [a for a in answers if not a["ok"]]
    assert len(refused) == n and {a["error"]["code"] for a in refused} == {"vote_budget"}
    tally = facilitator.ok("reveal_tallies")["tally"]
    assert sum(tally.values()) == 3 * n
    peak_rss = rss_mib(pid)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(SocketClient.close, [*phones, facilitator, screen]))

    print(f"| {database} | {n} | {join_s:.1f} s | {total_items} | {percentile(post_ms, 50):.0f} / {percentile(post_ms, 95):.0f} ms "
          f"| {total_items / post_s:.0f}/s | {drain_s:.1f} s | {percentile(vote_ms, 50):.0f} / {percentile(vote_ms, 95):.0f} ms "
          f"| {len(vote_ms) / vote_s:.0f}/s | {baseline:.0f} → {joined_rss:.0f} → {peak_rss:.0f} MiB |")
    print(f"(post ack mean {statistics.mean(post_ms):.0f} ms; vote ack mean {statistics.mean(vote_ms):.0f} ms; "
          f"server CPU while posting and fanning out: {post_cpu:.1f} s of {drain_s:.1f} s)")


if __name__ == "__main__":
    main()
