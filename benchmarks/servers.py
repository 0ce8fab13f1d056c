"""The servers under test (ours and the bare one) as pinned subprocesses, and /proc readings of them."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE, GENERATOR_CORE = 0, 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_pin() -> bool:
    return (os.cpu_count() or 1) >= 2 and shutil.which("taskset") is not None


def pin_generator() -> str:
    """Pin this process (the load generator) to its core; answers a line for the report."""
    if not can_pin():
        return "not pinned (fewer than 2 cores or no taskset): server and generator share the cores"
    os.sched_setaffinity(0, {GENERATOR_CORE})
    return (f"server process(es) on core {SERVER_CORE} (`taskset -c {SERVER_CORE}`), load generator on core "
            f"{GENERATOR_CORE} (`sched_setaffinity`, as `taskset -c {GENERATOR_CORE}`); PostgreSQL and Redis unpinned")


def server_supports(variable: str) -> bool:
    """True when our server reads `variable` (grep of its source: the ping settings may not exist yet)."""
    return any(variable in p.read_text(errors="replace") for p in (ROOT / "facilitation").glob("*.py"))


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the process and of its finished children (export workers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def family(pid: int) -> list[int]:
    """The process and its living descendants (our server's export workers)."""
    found, todo = [], [pid]
    while todo and len(found) < 100:
        current = todo.pop()
        found.append(current)
        try:
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            pass
    return found


def waited_seconds(pid: int | str = "self") -> float:
    """Seconds the process's main thread spent runnable but waiting for a CPU (/proc/PID/schedstat)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9


def safely(reading, pid: int) -> float:
    """A /proc reading, 0 for a process that has just ended."""
    try:
        return reading(pid)
    except (OSError, IndexError, ValueError):
        return 0.0


class Process:
    """A server subprocess on 127.0.0.1, pinned to the server core, logging to a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path, pin: bool) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        prefix = ["taskset", "-c", str(SERVER_CORE)] if pin else []
        self.log_path = log
        self._log = open(log, "ab")
        self.process = subprocess.Popen([*prefix, sys.executable, *args, "--port", str(self.port)], cwd=ROOT,
                                        env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                requests.get(self.url + "/socket.io/?EIO=4&transport=polling", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start within {timeout} s: {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()


@dataclass
class Target:
    """What a scenario runs against: one or more processes serving one site."""

    name: str
    processes: list[Process] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [p.url for p in self.processes]

    @property
    def url(self) -> str:
        return self.processes[0].url

    def pids(self) -> list[int]:
        return [pid for p in self.processes for pid in family(p.process.pid)]

    def rss_mib(self) -> float:
        return sum(safely(rss_mib, pid) for pid in self.pids())

    def cpu_seconds(self) -> float:
        """CPU of the servers, their living children and finished ones (a child ending mid-phase is lost)."""
        return sum(safely(cpu_seconds, pid) for pid in self.pids())

    def waited_seconds(self) -> float:
        return sum(waited_seconds(p.process.pid) for p in self.processes)

    def alive(self) -> bool:
        return all(p.process.poll() is None for p in self.processes)

    def stop(self) -> None:
        for p in self.processes:
            p.stop()


def base_env(data_dir: Path, ping: tuple[int, int] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(FACILITATION_DATA_DIR=str(data_dir), FACILITATION_RATE_LIMITS="0", PYTHONUNBUFFERED="1")
    if ping:
        env.update(FACILITATION_PING_INTERVAL=str(ping[0]), FACILITATION_PING_TIMEOUT=str(ping[1]))
    return env


def start_ours(data_dir: Path, *, database_url: str | None, redis_url: str | None, processes: int,
               ping: tuple[int, int] | None, pin: bool) -> Target:
    """`facilitation serve` (one process, or several sharing PostgreSQL and a Redis queue)."""
    env = base_env(data_dir, ping)
    if database_url:
        env["DATABASE_URL"] = database_url
    if processes > 1:
        env["REDIS_URL"] = redis_url or "redis://127.0.0.1:6379/0"
    kind = "postgresql" if database_url else "sqlite"
    target = Target(f"ours ({kind}{f', {processes} processes + Redis' if processes > 1 else ''})")
    for n in range(processes):  # one after the other: the first upgrades the schema
        process = Process(["-m", "facilitation", "serve", "--host", "127.0.0.1", "--quiet"], env,
                          data_dir / f"ours-{n}.log", pin)
        target.processes.append(process)
        try:
            process.wait_ready()
        except RuntimeError:
            target.stop()
            raise
    return target


def start_bare(data_dir: Path, *, ping: tuple[int, int] | None, pin: bool) -> Target:
    process = Process(["-m", "benchmarks.bare_server", "--host", "127.0.0.1"], base_env(data_dir, ping),
                      data_dir / "bare.log", pin)
    target = Target("bare Flask-SocketIO", [process])
    process.wait_ready()
    return target


class ScratchDatabase:
    """A fresh PostgreSQL database for one run, dropped afterwards."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.sa = sa
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = sa.make_url(url)
        self.url = self.admin.set(database=self.name).render_as_string(hide_password=False)
        self.engine = sa.create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{self.name}"'))

    def drop(self) -> None:
        with self.engine.connect() as c:
            c.execute(self.sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.engine.dispose()


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores (nproc), {model}, {memory} GiB, Python {sys.version.split()[0]}"
