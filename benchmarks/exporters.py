"""The record exporters alone: a 10,000-item record built in memory, each format timed (best of N).

Run: `.venv/bin/python -m benchmarks.exporters [--items 10000] [--repeat 3] [--only docx,xlsx] [--profile docx]`
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import time
from typing import Any

from facilitation.exporters import export

QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")
FORMATS = ("md", "xlsx", "docx", "json")
WORDS = ("samverkan", "förvaltningarna", "äldreomsorgen", "dagverksamhet", "anhöriga", "kontinuitet", "personal",
         "kompetens", "ansvar", "tydligare", "rutiner", "brukare", "hemtjänst", "biståndshandläggare", "öppenhet",
         "digitala", "verktyg", "lokaler", "väntetider", "kommunikation", "förtroende", "närhet", "trygghet",
         "återkoppling", "utbildning", "schemaläggning", "resurser", "samordning", "uppföljning", "mötesplatser")
ORGS = ("Socialförvaltningen", "Stadsdelsförvaltning Centrum", "Äldre samt vård- och omsorgsförvaltningen",
        "Region Västra Götaland", "Anhörigcentrum", "Frivilligorganisationen Röda Korset", "Fastighetskontoret",
        "Intraservice", "Funktionsstödsförvaltningen", "Kulturförvaltningen", "Primärvården")


def sentence(rng: random.Random, low: int = 20, high: int = 200) -> str:
    """Swedish-looking text of `low`–`high` characters, sometimes with a line break."""
    limit = rng.randint(low, high)
    words = [rng.choice(WORDS).capitalize()]
    while len(" ".join(words)) < limit:
        words.append(rng.choice(WORDS) + ("," if rng.random() < 0.1 else ""))
    text = " ".join(words)[:limit].rstrip(", ") + "."
    return text.replace(" ", "\n", 1) if rng.random() < 0.03 else text


def stamp(start: dt.datetime, seconds: int) -> str:
    return (start + dt.timedelta(seconds=seconds)).isoformat() + "Z"


def build(items: int = 10_000, themes: int = 40, people: int = 300, groups: int = 6, seed: int = 7) -> dict[str, Any]:
    """A record shaped as facilitation.record.build makes it: a closed Swedish workshop, scaled up."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 2, 9, 0)
    workshop = {
        "code": "BENCH1", "title": "Samverkan kring dagverksamhet – storskaligt test", "date": "2026-03-02",
        "organisation": "Göteborgs Stad", "location": "Frölunda Kulturhus", "language": "sv",
        "purpose": sentence(rng, 150, 300), "introduction": sentence(rng, 200, 400) + "\n\n" + sentence(rng, 100, 200),
        "questions": [sentence(rng, 40, 120) for _ in range(3)], "facilitators": ["Linda Ljungqvist", "Per Åkesson"],
        "votes_per_participant": 5, "max_votes_per_theme": 3, "group_capacity": 60, "anonymous_items": False,
        "conclusion": sentence(rng, 150, 300), "tallies_revealed": True, "created_at": stamp(start, 0),
    }
    participants = [
        {"id": p + 1, "number": p, "name": "" if p % 17 == 0 else f"Person {p} Åberg",
         "label": f"Deltagare {p}" if p % 17 == 0 else f"Person {p} Åberg", "organisation": ORGS[p % len(ORGS)],
         "table": str(1 + p % 30), "group_id": 9000 + p % groups, "joined_at": stamp(start, 60 + p)}
        for p in range(1, people + 1)
    ]
    people_by_id = {p["id"]: p for p in participants}
    titles = {5000 + t: f"Tema {t + 1}: " + sentence(rng, 15, 50) for t in range(themes)}
    rows = []
    for n in range(items):
        author = people_by_id[2 + n % people]
        theme_id = 5000 + rng.randrange(themes) if rng.random() < 0.9 else None
        rows.append({"id": 100 + n, "quadrant": QUADRANTS[rng.randrange(4)], "text": sentence(rng),
                     "author": {"id": author["id"], "name": author["label"], "role": "participant"},
                     "table": author["table"], "theme_id": theme_id, "theme": titles.get(theme_id),
                     "hidden": rng.random() < 0.02, "created_at": stamp(start, 600 + n // 3)})
    shown = [i for i in rows if not i["hidden"]]
    counts = {t: rng.randint(0, 120) for t in titles}
    ranked = sorted(titles, key=lambda t: (-counts[t], t))
    theme_list = [{"id": t, "rank": r, "title": titles[t], "votes": counts[t], "created_at": stamp(start, 4000 + t),
                   "item_ids": [i["id"] for i in rows if i["theme_id"] == t],
                   "items": [i for i in shown if i["theme_id"] == t]} for r, t in enumerate(ranked, start=1)]
    group_list = [{"id": 9000 + g, "number": g + 1, "theme_id": ranked[g], "title": titles[ranked[g]], "capacity": 60,
                   "summary": sentence(rng, 150, 400),
                   "members": [{"id": p["id"], "name": p["label"], "organisation": p["organisation"]}
                               for p in participants if p["group_id"] == 9000 + g],
                   "notes": [{"id": 20000 + g * 100 + k, "text": sentence(rng, 20, 300),
                              "author": {"id": 2 + k % people, "name": people_by_id[2 + k % people]["label"], "role": "participant"},
                              "created_at": stamp(start, 9000 + k)} for k in range(25)]}
                  for g in range(groups)]
    speakers = [("Anna Berg", "Enhetschef"), ("Omar Said", "Anhörig"), ("", "Biståndshandläggare")]
    panel = [{"id": 30000 + q, "speaker": speakers[q % 3][0], "role": speakers[q % 3][1], "text": sentence(rng, 60, 300),
              "created_at": stamp(start, 8000 + q)} for q in range(12)]
    room = [{"id": 30100 + q, "speaker": "", "role": "", "text": sentence(rng, 40, 200),
             "created_at": stamp(start, 8500 + q)} for q in range(10)]
    by_speaker: dict[tuple[str, str], dict[str, Any]] = {}
    for quote in panel:
        key = (quote["speaker"], quote["role"])
        by_speaker.setdefault(key, {"speaker": key[0], "role": key[1], "quotes": []})["quotes"].append(quote)
    return {
        "workshop": workshop, "phase": "closed", "draft": False, "participants": participants,
        "organisations": list(dict.fromkeys(p["organisation"] for p in participants)), "items": rows,
        "swot": {q: [i for i in shown if i["quadrant"] == q] for q in QUADRANTS},
        "themes": theme_list, "groups": group_list, "quotes": {"panel": panel, "room": room},
        "speakers": list(by_speaker.values()),
    }


def timed(record: dict[str, Any], fmt: str, repeat: int) -> tuple[float, int]:
    """The best of `repeat` runs in seconds (the machine is shared), and the output's size."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(export(record, fmt).data)
        best = min(best, time.perf_counter() - start)
    return best, size


def profile(record: dict[str, Any], fmt: str, top: int = 30) -> None:
    """cProfile of one export of `fmt`: the functions that take the most time, with what they call."""
    profiler = cProfile.Profile()
    profiler.runcall(export, record, fmt)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    """Times every format (or the ones asked) and prints a table; `--profile FMT` profiles one format."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(FORMATS), help="formats to time, comma-separated")
    parser.add_argument("--profile", choices=FORMATS, help="profile this format instead of timing")
    args = parser.parse_args()
    start = time.perf_counter()
    record = build(args.items)
    shown = sum(len(v) for v in record["swot"].values())
    print(f"record: {len(record['items'])} items ({shown} shown), {len(record['themes'])} themes, "
          f"{len(record['participants'])} participants, {len(record['groups'])} groups; built in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    if args.profile:
        profile(record, args.profile)
        return
    print(f"{'format':<8}{'best ms':>10}{'size KiB':>10}")
    for fmt in args.only.split(","):
        best, size = timed(record, fmt, args.repeat)
        print(f"{fmt:<8}{best * 1000:>10.0f}{size / 1024:>10.0f}")


if __name__ == "__main__":
    main()
