"""The benchmark suite: our server beside a bare Flask-SocketIO server, in one run; prints a Markdown table.

Run: `make bench` or `.venv/bin/python -m benchmarks.suite [-n 1000] [--scenarios join,fanout,...]
[--database-url postgresql+psycopg://postgres@127.0.0.1/test] [--processes 2]`. Servers on
core 0, this generator on core 1; every wait is bounded; traffic stays on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import shlex
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from . import exports, scenarios, servers
from .scenarios import Context, percentile

SCENARIOS = ("join", "memory", "fanout", "silent", "vote", "export")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--phones", type=int, default=1000, help="phones for join, memory, fan-out, silent, vote")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--database-url", help="PostgreSQL server URL: a fresh database is made on it and dropped")
    parser.add_argument("--processes", type=int, default=1, help="our server processes (>1: PostgreSQL and Redis)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seconds", type=float, default=20, help="length of the post fan-out")
    parser.add_argument("--rate", type=float, default=10, help="posts a second in fan-out, silent and export")
    parser.add_argument("--silent-seconds", type=float, help="length of the silent phase (default: until pings drop them)")
    parser.add_argument("--ping", help="INTERVAL,TIMEOUT seconds for both servers (if ours reads FACILITATION_PING_*)")
    parser.add_argument("--export-items", type=int, default=10_000)
    parser.add_argument("--export-phones", type=int, default=200)
    parser.add_argument("--targets", default="ours,bare", help="ours, bare or both")
    parser.add_argument("--deflate", action="store_true", help="offer permessage-deflate, as browsers do")
    parser.add_argument("--no-pin", action="store_true", help="do not pin server and generator to cores")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    if args.processes > 1 and not args.database_url:
        parser.error("--processes > 1 needs --database-url (PostgreSQL)")
    return args


def ping_settings(args: argparse.Namespace) -> tuple[tuple[int, int] | None, str]:
    """The ping interval/timeout to pass, and a line saying what applies."""
    supported = servers.server_supports("FACILITATION_PING_INTERVAL") and servers.server_supports("FACILITATION_PING_TIMEOUT")
    if args.ping and supported:
        interval, timeout = (int(x) for x in args.ping.split(","))
        return (interval, timeout), f"ping interval {interval} s, timeout {timeout} s (FACILITATION_PING_*), both servers"
    if args.ping:
        return None, "our server does not read FACILITATION_PING_*: the default 20 s interval / 20 s timeout applies"
    return None, "ping interval 20 s, timeout 20 s (the servers' default)"


async def run_target(target: servers.Target, args: argparse.Namespace, results: dict, ping_s: float) -> None:
    """Every chosen scenario against one target, in order; a failing scenario is noted and the run goes on."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        ctx = Context(target, session, results, compress=15 if args.deflate else 0)
        chosen = set(args.scenarios)
        steps = []
        if chosen & {"join", "memory", "fanout", "silent", "vote"}:
            steps.append(("join storm", lambda: scenarios.join_storm(ctx, args.phones), 600))
        if "fanout" in chosen:
            steps.append(("post fan-out", lambda: fanout(ctx, args), args.seconds + 300))
        if "silent" in chosen:
            seconds = args.silent_seconds or ping_s + 5
            steps.append(("silent phones", lambda: silent(ctx, args, seconds), seconds + 300))
        if "vote" in chosen:
            steps.append(("vote storm", lambda: scenarios.vote_storm(ctx), 300))
        if "export" in chosen:
            steps.append(("exports", lambda: exports.exports(ctx, args.export_items, args.export_phones, args.rate), 1200))
        for name, step, limit in steps:
            print(f"  {target.name}: {name} ...", file=sys.stderr, flush=True)
            try:
                await asyncio.wait_for(step(), limit)
            except Exception as error:  # noqa: BLE001  (noted in the table; the other scenarios still run)
                results[(name, "error")] = f"{type(error).__name__}: {error}"[:200]
                if not target.alive():
                    results[(name, "error")] += " (server process died)"
                    break
        for phone in [*ctx.phones, ctx.screen, ctx.facilitator]:
            if phone is not None:
                await phone.close()


async def fanout(ctx: Context, args: argparse.Namespace) -> None:
    latencies = await scenarios.fanout(ctx, "post fan-out", args.seconds, args.rate, ctx.phones)
    ctx.fanout_p95 = percentile(latencies, 95)


async def silent(ctx: Context, args: argparse.Namespace, seconds: float) -> None:
    p95 = percentile(await scenarios.silent_phones(ctx, seconds, args.rate), 95)
    ctx.put("silent phones", "readers' post → projector p95: with silent phones vs. fan-out without",
            f"{p95:.0f} ms vs. {ctx.fanout_p95:.0f} ms")


def table(results: dict[str, dict], names: list[str]) -> str:
    keys: list[tuple[str, str]] = []
    for rows in results.values():
        keys += [k for k in rows if k not in keys]
    order = {name: n for n, name in enumerate(["join storm", "memory", "post fan-out", "silent phones", "vote storm", "exports"])}
    keys.sort(key=lambda k: order.get(k[0], 99))
    lines = ["| scenario | figure | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for scenario, metric in keys:
        cells = [results[name].get((scenario, metric), "–") for name in names]
        lines.append(f"| {scenario} | {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    random.seed(args.seed)
    pin = not args.no_pin and servers.can_pin()
    pinning = servers.pin_generator() if pin else "not pinned (--no-pin): server and generator share the cores"
    ping, ping_line = ping_settings(args)
    ping_s = sum(ping) if ping else 40
    database = servers.ScratchDatabase(args.database_url) if args.database_url else None
    results: dict[str, dict] = {}
    names = []
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as data:
            for kind in [t.strip() for t in args.targets.split(",")]:
                folder = Path(data) / kind
                folder.mkdir()
                if kind == "ours":
                    target = servers.start_ours(folder, database_url=database and database.url, redis_url=args.redis_url,
                                                processes=args.processes, ping=ping, pin=pin)
                else:
                    target = servers.start_bare(folder, ping=ping, pin=pin)
                names.append(target.name)
                results[target.name] = {}
                try:
                    asyncio.run(run_target(target, args, results[target.name], ping_s))
                finally:
                    target.stop()
                    log = "\n".join(p.log_path.read_text(errors="replace") for p in target.processes)
                    tracebacks = log.count("Traceback")
                    if tracebacks:
                        results[target.name][("server", "tracebacks in the server log")] = str(tracebacks)
                        print(log[-3000:], file=sys.stderr)
    finally:
        if database:
            database.drop()
    command = " ".join(shlex.quote(a) for a in [Path(sys.executable).name, "-m", "benchmarks.suite", *sys.argv[1:]])
    print(f"Command: `{command}`  ")
    print(f"Machine: {servers.machine()}  ")
    print(f"Pinning: {pinning}  ")
    print(f"Pings: {ping_line}; WebSocket compression {'offered' if args.deflate else 'off'}  ")
    print(f"Took {time.perf_counter() - started:.0f} s.\n")
    print(table(results, names))


if __name__ == "__main__":
    main()
