"""The record's read model: the whole workshop as one plain dict, the only input of the exporters."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import QUADRANTS, Item, Note, Participant, Quote, Theme, ThemeGroup, Workshop
from .operations import access
from .snapshot import display_name, iso, tally, workshop_view


def build_for_code(session: Session, code: str) -> dict[str, Any]:
    """The record of the workshop with `code` (DomainError not_found if there is none)."""
    return build(session, access.workshop_by_code(session, code))


def _person(person: Participant | None, language: str) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.id, "name": display_name(person, language), "role": person.role}


def _participants(people: list[Participant], workshop: Workshop) -> list[dict[str, Any]]:
    """Who took part; in an anonymous workshop without their tables, which items carry: no path
    from an item's table to a person."""
    return [
        {"id": p.id, "number": p.number, "name": p.name, "label": display_name(p, workshop.language),
         "organisation": p.organisation, "table": "" if workshop.anonymous_items else p.table, "group_id": p.group_id,
         "joined_at": iso(p.joined_at)}
        for p in people if p.role == "participant"
    ]


def _items(items: list[Item], people: dict[int, Participant], titles: dict[int, str], workshop: Workshop) -> list[dict[str, Any]]:
    """Every item; in an anonymous workshop no item names its author (table is kept)."""
    out = []
    for item in items:
        author = people.get(item.author_id)
        out.append({
            "id": item.id, "quadrant": item.quadrant, "text": item.text,
            "author": None if workshop.anonymous_items else _person(author, workshop.language),
            "table": item.table,
            "theme_id": item.theme_id, "theme": titles.get(item.theme_id) if item.theme_id else None,
            "hidden": bool(item.hidden), "created_at": iso(item.created_at),
        })
    return out


def _themes(themes: list[Theme], items: list[dict[str, Any]], counts: dict[str, int]) -> list[dict[str, Any]]:
    """Themes by votes, most first (a tie goes to the older theme), each with its shown items."""
    ranked = sorted(themes, key=lambda t: (-counts.get(str(t.id), 0), t.id))
    by_theme: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item["theme_id"] is not None:
            by_theme[item["theme_id"]].append(item)
    return [
        {"id": t.id, "rank": n, "title": t.title, "votes": counts.get(str(t.id), 0), "created_at": iso(t.created_at),
         "item_ids": [i["id"] for i in by_theme[t.id]], "items": [i for i in by_theme[t.id] if not i["hidden"]]}
        for n, t in enumerate(ranked, start=1)
    ]


def _groups(session: Session, workshop: Workshop, people: list[Participant], everyone: dict[int, Participant]) -> list[dict[str, Any]]:
    groups = session.scalars(
        sa.select(ThemeGroup).where(ThemeGroup.workshop_id == workshop.id).order_by(ThemeGroup.position, ThemeGroup.id)
    ).all()
    notes: dict[int, list[Note]] = defaultdict(list)
    for note in session.scalars(sa.select(Note).where(Note.group_id.in_([g.id for g in groups])).order_by(Note.id)):
        notes[note.group_id].append(note)
    language = workshop.language

    def author(note: Note) -> dict[str, Any] | None:  # an anonymous workshop's notes name no one
        return None if workshop.anonymous_items else _person(everyone.get(note.author_id), language)

    return [
        {
            "id": g.id, "number": n, "theme_id": g.theme_id, "title": g.title, "capacity": g.capacity, "summary": g.summary,
            "members": [{"id": p.id, "name": display_name(p, language), "organisation": p.organisation,
                         "anonymous": not p.name}  # no name given: the record counts them, never "Deltagare 2"
                        for p in people if p.group_id == g.id and p.role == "participant"],
            "notes": [{"id": x.id, "text": x.text, "author": author(x), "created_at": iso(x.created_at)}
                      for x in notes[g.id]],
        }
        for n, g in enumerate(groups, start=1)
    ]


def _quotes(session: Session, workshop_id: int) -> dict[str, list[dict[str, Any]]]:
    """The panel's words (a speaker or a role given) and the reflections from the room (neither)."""
    panel, room = [], []
    for q in session.scalars(sa.select(Quote).where(Quote.workshop_id == workshop_id).order_by(Quote.id)):
        view = {"id": q.id, "speaker": q.speaker, "role": q.role, "text": q.text, "created_at": iso(q.created_at)}
        (panel if (q.speaker or q.role) else room).append(view)
    return {"panel": panel, "room": room}


def _speakers(panel: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The panel as people, in the order they first spoke, each with their quotes."""
    speakers: dict[tuple[str, str], dict[str, Any]] = {}
    for quote in panel:
        key = (quote["speaker"], quote["role"])
        speakers.setdefault(key, {"speaker": key[0], "role": key[1], "quotes": []})["quotes"].append(quote)
    return list(speakers.values())


def _organisations(participants: list[dict[str, Any]]) -> list[str]:
    """The participants' organisations, each once, in the order people joined."""
    return list(dict.fromkeys(p["organisation"] for p in participants if p["organisation"]))


def build(session: Session, workshop: Workshop) -> dict[str, Any]:
    """The record of `workshop`: everything the Markdown, Excel, Word and JSON exports show."""
    people = session.scalars(sa.select(Participant).where(Participant.workshop_id == workshop.id).order_by(Participant.id)).all()
    everyone = {p.id: p for p in people}
    themes = session.scalars(sa.select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.id)).all()
    titles = {t.id: t.title for t in themes}
    rows = session.scalars(sa.select(Item).where(Item.workshop_id == workshop.id).order_by(Item.id)).all()
    items = _items(list(rows), everyone, titles, workshop)
    participants = _participants(list(people), workshop)
    quotes = _quotes(session, workshop.id)
    info = workshop_view(workshop)
    info.update(created_at=iso(workshop.created_at), round_question=workshop.round_question, panel=list(workshop.panel or []),
                opening=workshop.opening, method=workshop.method)
    shown = [i for i in items if not i["hidden"]]
    return {
        "workshop": info,
        "phase": workshop.phase,
        "draft": workshop.phase != "closed",
        "participants": participants,
        "organisations": _organisations(participants),
        "items": items,
        "swot": {q: [i for i in shown if i["quadrant"] == q] for q in QUADRANTS},
        # The notes in no theme: the record's appendix (the themes carry the others, so each note shows once).
        "unthemed": {q: [i for i in shown if i["quadrant"] == q and i["theme_id"] is None] for q in QUADRANTS},
        "themes": _themes(list(themes), items, tally(session, workshop.id)),
        "groups": _groups(session, workshop, list(people), everyone),
        "quotes": quotes,
        "speakers": _speakers(quotes["panel"]),
    }
