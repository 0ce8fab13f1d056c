"""The benchmark's scenarios: join storm and memory, post fan-out, silent phones, vote storm."""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import aiohttp

from .servers import Target, waited_seconds
from .wire import Phone, answer, marker_text, markers, ok

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(values: list[float], *ps: float) -> str:
    return " / ".join(f"{percentile(values, p):.0f}" for p in ps) + " ms" if values else "n/a"


async def until(predicate, timeout: float) -> bool:
    """Polls `predicate` every 50 ms for at most `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def lag(seconds: float) -> str:
    """A delay in ms; a negative one (the tally came before the ack) said so."""
    return f"{seconds * 1000:.0f} ms" if seconds >= 0 else f"0 ms (the tally came {-seconds * 1000:.1f} ms before the ack)"


class Meter:
    """Wall time, server CPU and this generator's CPU over one phase."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.wall, self.server, self.generator = time.perf_counter(), target.cpu_seconds(), time.process_time()
        self.server_waited, self.generator_waited = target.waited_seconds(), waited_seconds()
        self.frames = Phone.frames

    def line(self) -> str:
        """CPU use, and time spent waiting for a CPU held by another process, as % of the phase."""
        wall = time.perf_counter() - self.wall
        server = (self.target.cpu_seconds() - self.server) / wall * 100
        generator = (time.process_time() - self.generator) / wall * 100
        server_waited = (self.target.waited_seconds() - self.server_waited) / wall * 100
        generator_waited = (waited_seconds() - self.generator_waited) / wall * 100
        generator_cpu = time.process_time() - self.generator
        rate = (Phone.frames - self.frames) / generator_cpu / 1000 if generator_cpu > 0 else 0
        return (f"server {server:.0f} % (waited {server_waited:.0f} %), generator {generator:.0f} % "
                f"(waited {generator_waited:.0f} %, {rate:.0f} k frames per CPU-s), {wall:.0f} s")


@dataclass
class Context:
    """One target's run: its session, its workshop's phones, the results so far."""

    target: Target
    session: aiohttp.ClientSession
    results: dict[tuple[str, str], str]
    compress: int = 0
    seq: int = 0
    code: str = ""
    token: str = ""
    phones: list[Phone] = field(default_factory=list)
    screen: Phone | None = None
    facilitator: Phone | None = None
    item_ids: list[int] = field(default_factory=list)
    fanout_p95: float = float("nan")
    late: list[float] = field(default_factory=list)  # ms each planned send left behind its schedule
    screen_keys: dict[str, str | None] = field(default_factory=dict)  # code -> the projector link's key

    def lateness(self) -> str:
        """The generator's own lag (p99 of sends behind schedule), then forgets it: a check that it kept up."""
        late, self.late = self.late, []
        return f"; generator's sends late p99 {percentile(late, 99):.0f} ms" if late else ""

    def put(self, scenario: str, metric: str, value: str) -> None:
        self.results[(scenario, metric)] = value

    async def create(self, title: str) -> tuple[str, str]:
        async with self.session.post(self.target.url + "/api/workshops", json={"title": title}) as r:
            body = await r.json()
            if r.status != 201:
                raise RuntimeError(f"create workshop: {r.status} {body}")
            self.screen_keys[body["code"]] = body.get("screen_key")  # the projector link's key (ours; not the bare server)
            return body["code"], body["facilitator_token"]

    async def viewers(self, code: str, token: str) -> tuple[Phone, Phone]:
        """A facilitator (decodes tally, presence) on the last process and a screen on the first."""
        facilitator = Phone(self.target.urls[-1], {"code": code, "facilitator_token": token}, parse_events=True)
        screen = Phone(self.target.url, {"code": code, "role": "screen", "screen_key": self.screen_keys.get(code)},
                       keep_times=True)
        await facilitator.connect(self.session, compress=self.compress)
        await screen.connect(self.session, compress=self.compress)
        return facilitator, screen

    async def join(self, code: str, n: int, per_second: float = 100) -> tuple[list[Phone], list[float], int]:
        """N phones arriving evenly at `per_second`, over the target's processes in turn."""
        urls = self.target.urls
        phones = [Phone(urls[i % len(urls)], {"code": code, "name": f"Deltagare {i}", "table": str(i % 20)})
                  for i in range(n)]
        start = time.perf_counter()

        async def arrive(i: int, phone: Phone) -> float | None:
            await asyncio.sleep(max(0.0, start + i / per_second - time.perf_counter()))
            self.late.append((time.perf_counter() - start - i / per_second) * 1000)
            try:
                return await phone.connect(self.session, timeout=60, compress=self.compress)
            except (asyncio.TimeoutError, ConnectionError, aiohttp.ClientError, OSError):
                return None

        times = await asyncio.gather(*(arrive(i, p) for i, p in enumerate(phones)))
        joined = [p for p, t in zip(phones, times) if t is not None]
        return joined, [t * 1000 for t in times if t is not None], n - len(joined)


async def join_storm(ctx: Context, n: int) -> None:
    """N phones arriving over N/100 s: join → snapshot, failures, and RSS per connected phone."""
    ctx.code, ctx.token = await ctx.create("Benchmark")
    ctx.facilitator, ctx.screen = await ctx.viewers(ctx.code, ctx.token)
    await asyncio.sleep(1)
    before = ctx.target.rss_mib()
    meter = Meter(ctx.target)
    ctx.phones, times, failed = await ctx.join(ctx.code, n)
    ctx.put("join storm", f"{n} phones over {n / 100:g} s: join → snapshot p50 / p95 / max", ms(times, 50, 95, 100))
    ctx.put("join storm", "failed joins", str(failed))
    ctx.put("join storm", "CPU during the storm", meter.line() + ctx.lateness())
    await asyncio.sleep(2)
    after = ctx.target.rss_mib()
    per_phone = (after - before) * 1024 / max(1, len(ctx.phones))
    ctx.put("memory", f"server RSS before → after {len(ctx.phones)} phones", f"{before:.0f} → {after:.0f} MiB")
    ctx.put("memory", "RSS per connected phone", f"{per_phone:.0f} KiB")


async def post_at_rate(ctx: Context, posters: list[Phone], seconds: float, rate: float,
                       sent: dict[int, float], acks: list[tuple[int, float, float, bool]]) -> None:
    """`rate` posts a second by random phones for `seconds`; fills sent[seq] and acks (seq, sent at, ms, ok)."""
    start = time.perf_counter()

    async def post(k: int) -> None:
        await asyncio.sleep(max(0.0, start + k / rate - time.perf_counter()))
        ctx.late.append((time.perf_counter() - start - k / rate) * 1000)
        ctx.seq += 1
        seq, phone = ctx.seq, random.choice(posters)
        sent[seq] = time.perf_counter()
        try:
            took, raw = await phone.call("post_item", {"quadrant": QUADRANTS[seq % 4], "text": marker_text(seq)})
        except (asyncio.TimeoutError, ConnectionError, aiohttp.ClientError):
            acks.append((seq, sent[seq], float("nan"), False))
            return
        acks.append((seq, sent[seq], took, ok(raw)))
        if ok(raw) and len(ctx.item_ids) < 400:
            ctx.item_ids.append(answer(raw)["item"]["id"])

    await asyncio.gather(*(post(k) for k in range(int(seconds * rate))))


async def stored_markers(ctx: Context) -> list[int]:
    """The markers of every item the server holds, from a new facilitator connection's snapshot."""
    fresh = Phone(ctx.target.urls[-1], {"code": ctx.code, "facilitator_token": ctx.token}, parse_events=True)
    await fresh.connect(ctx.session, timeout=60, compress=ctx.compress)
    found = [m for item in fresh.snapshot["items"] for m in markers(item["text"])]
    await fresh.close()
    return found


async def fanout(ctx: Context, scenario: str, seconds: float, rate: float, readers: list[Phone]) -> list[float]:
    """Posts at `rate` by random `readers`; answers post → projector latencies (ms) and records the checks."""
    sent: dict[int, float] = {}
    acks: list[tuple[int, float, float, bool]] = []
    meter = Meter(ctx.target)
    await post_at_rate(ctx, readers, seconds, rate, sent, acks)
    posted = {seq for seq, _, _, good in acks if good}
    everyone = [ctx.screen, *readers]
    complete = await until(lambda: all(posted <= p.seen for p in everyone), timeout=30)
    cpu = meter.line()
    latencies = [(ctx.screen.seen_at[s] - sent[s]) * 1000 for s in posted if s in ctx.screen.seen_at]
    refused = len(acks) - len(posted)
    stored = await stored_markers(ctx)
    lost = len(posted - set(stored))
    ctx.put(scenario, f"{len(acks)} posts at {rate:.0f}/s: post → projector p50 / p95 / p99",
            ms(latencies, 50, 95, 99))
    ctx.put(scenario, "post ack p50 / p95", ms([a for _, _, a, good in acks if good], 50, 95))
    missing = sum(len(posted - p.seen) for p in everyone)
    ctx.put(scenario, "every reading phone has every item",
            "yes" if complete else f"no: {missing} deliveries missing after 30 s")
    ctx.put(scenario, "refused or unanswered posts; lost, duplicated in the store",
            f"{refused}; {lost}, {len(stored) - len(set(stored))}")
    ctx.put(scenario, "duplicated deliveries", str(sum(p.duplicates for p in everyone)))
    ctx.put(scenario, "CPU", cpu + ctx.lateness())
    return latencies


async def silent_phones(ctx: Context, seconds: float, rate: float, share: float = 0.05) -> list[float]:
    """5 % of the phones stop reading; the others post as in the fan-out; answers their latencies."""
    silent = ctx.phones[: max(1, int(len(ctx.phones) * share))]
    for phone in silent:
        phone.go_silent()
    readers = ctx.phones[len(silent):]
    rss = ctx.target.rss_mib()
    latencies = await fanout(ctx, "silent phones", seconds, rate, readers)
    presences = ctx.facilitator.presences
    still = presences[-1]["online"] - len(readers) if presences else "?"
    ctx.put("silent phones", "silent phones; of them still online for the server at the end", f"{len(silent)}; {still}")
    ctx.put("silent phones", "server RSS during the phase", f"{rss:.0f} → {ctx.target.rss_mib():.0f} MiB")
    for phone in silent:
        await phone.close()
    ctx.phones = readers
    return latencies


async def vote_storm(ctx: Context, dots_each: int = 3, within: float = 5) -> None:
    """N/3 phones spend 3 dots each within 5 s: ack p95, and until the facilitator's tally adds up."""
    fac = ctx.facilitator
    await fac.call("set_phase", {"phase": "cluster"})
    ids = ctx.item_ids or []
    themes = []
    for t in range(8):
        _, raw = await fac.call("create_theme", {"title": f"Tema {t}", "item_ids": ids[t::8]})
        themes.append(answer(raw)["theme"]["id"])
    await fac.call("set_phase", {"phase": "vote"})
    await asyncio.sleep(1)
    voters = ctx.phones[: len(ctx.phones) // 3]
    plan = sorted((random.uniform(0, within), phone) for phone in voters for _ in range(dots_each))
    results: list[tuple[float, float, bool]] = []  # (ack arrival, ms, ok)
    refusals: dict[str, int] = {}
    start = time.perf_counter()
    meter = Meter(ctx.target)

    async def dot(at: float, phone: Phone) -> None:
        await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
        sent = time.perf_counter()
        ctx.late.append((sent - start - at) * 1000)
        try:
            took, raw = await phone.call("vote", {"theme_id": random.choice(themes)})
            results.append((sent + took / 1000, took, ok(raw)))
            why = None if ok(raw) else answer(raw)["error"]["code"]
        except (asyncio.TimeoutError, ConnectionError, aiohttp.ClientError) as error:
            results.append((time.perf_counter(), float("nan"), False))
            why = f"unanswered ({type(error).__name__})"
        if why:
            refusals[why] = refusals.get(why, 0) + 1

    await asyncio.gather(*(dot(at, phone) for at, phone in plan))
    good = [r for r in results if r[2]]
    last_ack = max((r[0] for r in good), default=time.perf_counter())
    total = len(good)
    adds_up = lambda: any(sum(tally.values()) == total for _, tally in fac.tallies)  # noqa: E731
    reached = await until(adds_up, timeout=30)
    tally_at = min((at for at, tally in fac.tallies if sum(tally.values()) == total), default=None)
    ctx.put("vote storm", f"{len(voters)} phones × {dots_each} dots in {within:.0f} s: ack p50 / p95",
            ms([r[1] for r in good], 50, 95))
    ctx.put("vote storm", "refused or unanswered dots", ", ".join(f"{n} {why}" for why, n in refusals.items()) or "0")
    ctx.put("vote storm", "last dot's ack → facilitator's tally adds up",
            lag(tally_at - last_ack) if reached and tally_at else "never (30 s)")
    _, raw = await fac.call("reveal_tallies")
    ctx.put("vote storm", "revealed tally = dots acknowledged",
            "yes" if sum(answer(raw)["tally"].values()) == total else f"no: {answer(raw)['tally']}")
    ctx.put("vote storm", "CPU", meter.line() + ctx.lateness())
