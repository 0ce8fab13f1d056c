"""The export scenario: a 10,000-item workshop (imported) exported to each format while phones post elsewhere."""
from __future__ import annotations

import asyncio
import time

import aiohttp

from .scenarios import QUADRANTS, Context, ms, post_at_rate, until

FORMATS = ("md", "xlsx", "docx", "json")


def archive(items: int) -> dict:
    """A JSON archive (schema 1) of a workshop with `items` items, 8 themes and 40 participants."""
    moment = "2026-03-02T09:00:00Z"
    people = [{"id": p, "number": p, "name": f"Deltagare {p}", "organisation": f"Förvaltning {p % 7}",
               "table": str(p % 10), "joined_at": moment} for p in range(1, 41)]
    themes = [{"id": 1000 + t, "title": f"Tema {t}", "votes": t, "created_at": moment} for t in range(8)]
    rows = [{"id": i, "quadrant": QUADRANTS[i % 4], "author_id": 1 + i % 40, "table": str(i % 10),
             "text": f"Synpunkt {i}: mer tid för samverkan mellan förvaltningarna, och tydligare ansvar.",
             "theme_id": 1000 + i % 8 if i % 3 == 0 else None, "hidden": False, "created_at": moment}
            for i in range(1, items + 1)]
    return {"schema_version": 1, "kind": "facilitation.workshop",
            "workshop": {"title": "Exporttest", "language": "sv", "questions": ["Hur går vi vidare?"]},
            "phase": "vote", "participants": people, "themes": themes, "items": rows, "groups": [], "quotes": []}


async def import_largest(ctx: Context, wanted: int) -> tuple[str, str, int, float]:
    """Imports the largest archive accepted, starting at `wanted` items and halving; (code, token, items, s)."""
    items = wanted
    for _ in range(8):
        start = time.perf_counter()
        async with ctx.session.post(ctx.target.url + "/api/workshops/import", json=archive(items),
                                    timeout=aiohttp.ClientTimeout(total=600)) as r:
            body = await r.json(content_type=None)
            if r.status == 201:
                return body["code"], body["facilitator_token"], items, time.perf_counter() - start
            if r.status not in (400, 413) or items < 200:
                raise RuntimeError(f"import refused: {r.status} {body}")
        items //= 2
    raise RuntimeError("no import size accepted")


async def exports(ctx: Context, wanted: int = 10_000, phones: int = 200, rate: float = 10) -> None:
    """Each format's time for the big workshop, and the other workshop's post ack p95 meanwhile."""
    code, token, items, took = await import_largest(ctx, wanted)
    ctx.put("exports", "items in the exported workshop; import time", f"{items}; {took:.1f} s")
    saved = ctx.code, ctx.token, ctx.screen, ctx.facilitator
    ctx.code, ctx.token = await ctx.create("Exportbelastning")
    ctx.facilitator, ctx.screen = await ctx.viewers(ctx.code, ctx.token)
    posters, _, failed = await ctx.join(ctx.code, phones)
    sent: dict[int, float] = {}
    acks: list[tuple[int, float, float, bool]] = []
    ctx.lateness()
    posting = asyncio.create_task(post_at_rate(ctx, posters, 600, rate, sent, acks))
    try:
        await asyncio.sleep(3)
        quiet_start = time.perf_counter()
        await asyncio.sleep(5)
        quiet = [a for _, at, a, _ in acks if at >= quiet_start]
        ctx.put("exports", f"{phones} phones posting {rate:.0f}/s elsewhere: ack p95 with no export running",
                ms(quiet, 95))
        for fmt in FORMATS:
            start = time.perf_counter()
            async with ctx.session.get(f"{ctx.target.url}/api/workshops/{code}/export.{fmt}",
                                       headers={"Authorization": f"Bearer {token}"},
                                       timeout=aiohttp.ClientTimeout(total=300)) as r:
                size = len(await r.read())
                status = r.status
            end = time.perf_counter()
            # posts sent while the export ran may be answered only after it: wait for them (at most 60 s)
            await until(lambda: len([1 for _, at, _, _ in acks if at <= end]) >= len([1 for t in sent.values() if t <= end]), 60)
            during = [a for _, at, a, _ in acks if start <= at <= end]
            outcome = f"{end - start:.2f} s, {size // 1024} KiB" if status == 200 else f"HTTP {status}"
            ctx.put("exports", f"export.{fmt}: time, size; posts' ack p95 meanwhile",
                    f"{outcome}; {ms(during, 95)} ({len(during)} posts)")
            await asyncio.sleep(1)
        ctx.put("exports", "generator's lag while posting", ctx.lateness().lstrip("; ") or "n/a")
    finally:
        posting.cancel()
        await asyncio.gather(posting, return_exceptions=True)
        for phone in [*posters, ctx.screen, ctx.facilitator]:
            await phone.close()
        ctx.code, ctx.token, ctx.screen, ctx.facilitator = saved
    if failed:
        ctx.put("exports", "posting phones that failed to join", str(failed))
