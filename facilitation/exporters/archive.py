"""The record as a JSON archive: the whole workshop, which `POST /api/workshops/import` brings back.

Ids in the file only link its parts to each other. An item's or note's `author_id` is a
participant's id, `"facilitator"`, or null (anonymous items name nobody). Votes are kept as
a count per theme: who put which dot is not part of the record. An item's `table` is the
table its author sat at when posting it, stored with the item, so it survives an import.
"""
from __future__ import annotations

import json
from typing import Any

SCHEMA_VERSION = 1
KIND = "facilitation.workshop"
WORKSHOP_FIELDS = ("code", "title", "date", "organisation", "location", "language", "purpose", "introduction",
                   "conclusion", "questions", "facilitators", "votes_per_participant", "max_votes_per_theme",
                   "group_capacity", "anonymous_items", "tallies_revealed", "created_at",
                   "round_question", "panel", "opening", "method")  # the last four: the record's own texts


def _author(person: dict[str, Any] | None) -> int | str | None:
    if person is None:
        return None
    return "facilitator" if person["role"] == "facilitator" else person["id"]


def build(record: dict[str, Any]) -> dict[str, Any]:
    """The archive as a dict (what `render` writes)."""
    w = record["workshop"]
    quotes = sorted(record["quotes"]["panel"] + record["quotes"]["room"], key=lambda q: q["id"])
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "workshop": {key: w[key] for key in WORKSHOP_FIELDS},
        "phase": record["phase"],
        "participants": [{key: p[key] for key in ("id", "number", "name", "organisation", "table", "joined_at")}
                         for p in record["participants"]],
        "themes": [{key: th[key] for key in ("id", "title", "votes", "created_at")}
                   for th in sorted(record["themes"], key=lambda th: th["id"])],
        "items": [{"id": i["id"], "quadrant": i["quadrant"], "text": i["text"], "author_id": _author(i["author"]),
                   "table": i["table"], "theme_id": i["theme_id"], "hidden": i["hidden"], "created_at": i["created_at"]}
                  for i in record["items"]],
        "groups": [{"id": g["id"], "theme_id": g["theme_id"], "title": g["title"], "capacity": g["capacity"],
                    "summary": g["summary"], "member_ids": [m["id"] for m in g["members"]],
                    "notes": [{"id": n["id"], "text": n["text"], "author_id": _author(n["author"]),
                               "created_at": n["created_at"]} for n in g["notes"]]}
                   for g in record["groups"]],
        "quotes": [{key: q[key] for key in ("id", "speaker", "role", "text", "created_at")} for q in quotes],
    }


def render(record: dict[str, Any]) -> bytes:
    return (json.dumps(build(record), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
