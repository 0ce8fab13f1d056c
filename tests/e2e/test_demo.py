"""`facilitation demo`: a server with the Swedish example workshop played in, links printed."""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from facilitation import replay

from ..support import free_port
from facilitation.commands import DEMO_SCENARIO as DEMO


def read_until(process: subprocess.Popen, pattern: str, timeout: float) -> str:
    """What the process printed on stdout up to the first line matching `pattern`."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {pattern!r} within {timeout}s; printed: {''.join(seen)}") from None
        if line is None:
            raise AssertionError(f"demo exited ({process.wait()}) after printing: {''.join(seen)}")
        seen.append(line)
        if re.search(pattern, line):
            return "".join(seen)


def test_demo_serves_a_full_board(tmp_path, sockets):
    port = free_port()
    stale = tmp_path / "demo" / "from-last-time.txt"
    stale.parent.mkdir()
    stale.write_text("an earlier demo")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["FACILITATION_DATA_DIR"] = str(tmp_path)
    env["FACILITATION_BASE_URL"] = "https://workshop.kommun.se"  # the site's; the demo keeps its own local address
    errors = open(tmp_path / "demo-stderr.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "facilitation", "demo", "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        printed = read_until(process, r"Stop with Ctrl\+C", timeout=90)
        url = f"http://127.0.0.1:{port}"
        code = re.search(r"^Code:\s+(\S+)$", printed, re.M).group(1)
        token = re.search(r"^Facilitator token:\s+(\S+)$", printed, re.M).group(1)
        screen_key = re.search(rf"^Projector:\s+{re.escape(url)}/screen/{code}\?k=(\S+)$", printed, re.M).group(1)
        assert f"{url}/j/{code}" in printed
        assert f"{url}/console/{code}?key={token}" in printed

        expect = replay.load(DEMO)["expect"]
        screen = sockets(url, {"code": code, "role": "screen", "screen_key": screen_key}).snapshot
        assert screen["workshop"]["title"] == "Samverkan kring psykisk hälsa och beroende i Gävleborg"
        assert screen["phase"] == "groups" and screen["participants"] == expect["participants"]
        assert sorted(i["text"] for i in screen["items"]) == sorted(expect["items"])
        assert sorted(t["title"] for t in screen["themes"]) == sorted(expect["themes"])
        assert [g["title"] for g in screen["groups"]] == [g["title"] for g in expect["groups"]]
        assert [[n["text"] for n in g["notes"]] for g in screen["groups"]] == [g["notes"] for g in expect["groups"]]
        assert [g["summary"] for g in screen["groups"]] == [g["summary"] for g in expect["groups"]]
        assert sorted(q["text"] for q in screen["quotes"]) == sorted(expect["quotes"])
        # the printed token is the facilitator's
        assert sockets(url, {"code": code, "facilitator_token": token}).snapshot["me"]["role"] == "facilitator"
        # the demo's own data folder, emptied at the start
        assert (tmp_path / "demo" / "facilitation.db").exists() and not stale.exists()
        assert str(tmp_path / "demo") in printed
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()
