"""Bring a workshop back from its JSON archive as a new workshop: new code, new tokens, same content.

Everything is checked before anything is written; a bad file is refused with a message that
names the place (`items[3].quadrant`), and nothing is created.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ..exporters.archive import KIND, SCHEMA_VERSION
from ..models import PHASES, QUADRANTS, Item, Note, Participant, Quote, Theme, ThemeGroup, Vote, Workshop
from . import access, limits, validate, workshops
from .errors import DomainError

MAX_VOTES_EACH = 100  # the most dots one participant can have (votes_per_participant's upper bound)


def _object(value: Any, where: str, keys: set[str], required: set[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DomainError("bad_request", f"'{where}' must be an object.")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise DomainError("bad_request", f"'{where}' has unknown field(s): {', '.join(unknown)}.")
    missing = sorted(required - set(value))
    if missing:
        raise DomainError("bad_request", f"'{where}' lacks {', '.join(missing)}.")
    return value


def _list(value: Any, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise DomainError("bad_request", f"'{where}' must be a list.")
    if len(value) > limit:
        raise DomainError("too_long", f"'{where}' has more than {limit:,} entries.")
    return value


def _within_limit(value: Any, name: str) -> list[Any]:
    """A top-level list of the archive, refused when it holds more than a workshop may."""
    rows = _list(value, name, len(value) if isinstance(value, list) else 0)
    if len(rows) > limits.MOST[name]:
        raise DomainError("too_long", f"'{name}' has {len(rows):,} entries; a workshop holds at most "
                                      f"{limits.MOST[name]:,} {name}.")
    return rows


def _moment(value: Any, where: str) -> dt.datetime | None:
    """An ISO time as the archive writes it (UTC, `Z`), kept as a naive UTC datetime."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value[:-1] if value.endswith("Z") else value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, AttributeError, OverflowError):  # OverflowError: 0001-01-01T00:00+01:00
        raise DomainError("bad_request", f"'{where}' must be an ISO date and time.") from None
    return moment


def _ids(rows: list[dict[str, Any]], where: str) -> set[int]:
    seen: set[int] = set()
    for n, row in enumerate(rows):
        ident = row["id"]
        if isinstance(ident, bool) or not isinstance(ident, int) or ident in seen:
            raise DomainError("bad_request", f"'{where}[{n}].id' must be a whole number, unique in the file.")
        seen.add(ident)
    return seen


def _ref(value: Any, where: str, known: set[int], *, nullable: bool = True) -> int | None:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in known:  # not 1.0, [1] or {}
        raise DomainError("bad_request", f"'{where}' refers to nothing in the file.")
    return value


def _author(value: Any, where: str, people: set[int]) -> int | str | None:
    return "facilitator" if value == "facilitator" else _ref(value, where, people)


def _workshop(data: Any) -> tuple[dict[str, Any], bool, dt.datetime | None]:
    keys = set(workshops.TEXT_FIELDS) | set(workshops.SETTING_FIELDS) | set(workshops.LIST_FIELDS) | {
        "date", "code", "tallies_revealed", "created_at"}
    info = dict(_object(data, "workshop", keys, {"title"}))
    revealed = validate.boolean(info.pop("tallies_revealed", False), "workshop.tallies_revealed")
    created = _moment(info.pop("created_at", None), "workshop.created_at")
    info.pop("code", None)  # the new workshop gets its own
    return workshops.fields(info, creating=True), revealed, created  # the same checks as creation


def check(data: Any) -> dict[str, Any]:
    """The archive, validated and reduced to what `restore` needs; DomainError says what is wrong."""
    data = _object(validate.payload(data), "archive",
                   {"schema_version", "kind", "workshop", "phase", "participants", "themes", "items", "groups", "quotes"},
                   {"schema_version", "workshop"})
    if data.get("kind", KIND) != KIND:
        raise DomainError("bad_request", f"This is not a workshop archive ('kind' must be '{KIND}').")
    if data["schema_version"] != SCHEMA_VERSION or isinstance(data["schema_version"], bool):
        raise DomainError("bad_request", f"Unsupported schema_version (this server reads version {SCHEMA_VERSION}).")
    fields, revealed, created = _workshop(data["workshop"])
    phase = validate.choice(data.get("phase", "collect"), "phase", PHASES)
    rows = {name: _within_limit(data.get(name, []), name) for name in ("participants", "themes", "items", "groups", "quotes")}
    people = [_object(p, f"participants[{n}]", {"id", "number", "name", "organisation", "table", "joined_at"}, {"id"})
              for n, p in enumerate(rows["participants"])]
    person_ids = _ids(people, "participants")
    participants = [{
        "id": p["id"],
        "number": validate.integer(p.get("number", n + 1), f"participants[{n}].number", 1, 10_000_000),
        **{key: validate.text(p.get(key), f"participants[{n}].{key}", validate.SHORT, required=False)
           for key in ("name", "organisation", "table")},
        "joined_at": _moment(p.get("joined_at"), f"participants[{n}].joined_at"),
    } for n, p in enumerate(people)]
    theme_rows = [_object(t, f"themes[{n}]", {"id", "title", "votes", "created_at"}, {"id", "title"})
                  for n, t in enumerate(rows["themes"])]
    theme_ids = _ids(theme_rows, "themes")
    themes = [{"id": t["id"], "title": validate.text(t["title"], f"themes[{n}].title", validate.SHORT),
               "votes": validate.integer(t.get("votes", 0), f"themes[{n}].votes", 0, 10_000_000),
               "created_at": _moment(t.get("created_at"), f"themes[{n}].created_at")} for n, t in enumerate(theme_rows)]
    if sum(t["votes"] for t in themes) > MAX_VOTES_EACH * len(participants):
        raise DomainError("bad_request", "The themes hold more votes than the participants could have cast.")
    item_rows = [_object(i, f"items[{n}]", {"id", "quadrant", "text", "author_id", "table", "theme_id", "hidden",
                                             "created_at"}, {"id", "quadrant", "text"}) for n, i in enumerate(rows["items"])]
    _ids(item_rows, "items")
    items = [{"quadrant": validate.choice(i["quadrant"], f"items[{n}].quadrant", QUADRANTS),
              "text": validate.text(i["text"], f"items[{n}].text", validate.ITEM),
              "author": _author(i.get("author_id"), f"items[{n}].author_id", person_ids),
              "table": validate.text(i.get("table"), f"items[{n}].table", validate.SHORT, required=False),
              "theme": _ref(i.get("theme_id"), f"items[{n}].theme_id", theme_ids),
              "hidden": validate.boolean(i.get("hidden", False), f"items[{n}].hidden"),
              "created_at": _moment(i.get("created_at"), f"items[{n}].created_at")} for n, i in enumerate(item_rows)]
    return {"workshop": fields, "tallies_revealed": revealed, "created_at": created, "phase": phase,
            "participants": participants, "themes": themes, "items": items,
            "groups": _groups(rows["groups"], person_ids, theme_ids), "quotes": _quotes(rows["quotes"])}


def _groups(rows: list[Any], people: set[int], themes: set[int]) -> list[dict[str, Any]]:
    groups, placed, note_count = [], set(), 0
    for n, raw in enumerate(rows):
        g = _object(raw, f"groups[{n}]", {"id", "theme_id", "title", "capacity", "summary", "member_ids", "notes"},
                    {"title"})
        members = [_ref(m, f"groups[{n}].member_ids", people, nullable=False)
                   for m in _list(g.get("member_ids", []), f"groups[{n}].member_ids", limits.MOST["participants"])]
        if placed & set(members) or len(set(members)) != len(members):
            raise DomainError("bad_request", f"'groups[{n}].member_ids' names someone already in a group.")
        placed |= set(members)
        notes = _list(g.get("notes", []), f"groups[{n}].notes", limits.MOST["notes"])
        note_count += len(notes)
        if note_count > limits.MOST["notes"]:
            raise DomainError("too_long", f"The groups hold more than {limits.MOST['notes']:,} notes, "
                                          f"the most a workshop holds.")
        groups.append({
            "theme": _ref(g.get("theme_id"), f"groups[{n}].theme_id", themes),
            "title": validate.text(g["title"], f"groups[{n}].title", validate.SHORT),
            "capacity": validate.integer(g.get("capacity"), f"groups[{n}].capacity", 1, 10_000, nullable=True),
            "summary": validate.text(g.get("summary"), f"groups[{n}].summary", validate.LONG, required=False),
            "members": members,
            "notes": [_note(x, f"groups[{n}].notes[{k}]", people) for k, x in enumerate(notes)],
        })
    return groups


def _note(raw: Any, where: str, people: set[int]) -> dict[str, Any]:
    note = _object(raw, where, {"id", "text", "author_id", "created_at"}, {"text"})
    return {"text": validate.text(note["text"], f"{where}.text", validate.NOTE),
            "author": _author(note.get("author_id"), f"{where}.author_id", people),
            "created_at": _moment(note.get("created_at"), f"{where}.created_at")}


def _quotes(rows: list[Any]) -> list[dict[str, Any]]:
    quotes = []
    for n, raw in enumerate(rows):
        q = _object(raw, f"quotes[{n}]", {"id", "speaker", "role", "text", "created_at"}, {"text"})
        quotes.append({"text": validate.text(q["text"], f"quotes[{n}].text", validate.QUOTE),
                       **{key: validate.text(q.get(key), f"quotes[{n}].{key}", validate.SHORT, required=False)
                          for key in ("speaker", "role")},
                       "created_at": _moment(q.get("created_at"), f"quotes[{n}].created_at")})
    return quotes


def _when(moment: dt.datetime | None) -> dict[str, dt.datetime]:
    """`created_at` as a keyword when the archive gave one (else the model's default: now)."""
    return {"created_at": moment} if moment else {}


def restore(session: Session, data: Any) -> tuple[Workshop, str]:
    """A new workshop holding the archive's content, in its phase; returns it and the facilitator token."""
    plan = check(data)
    workshop = Workshop(code=access.new_code(session), phase=plan["phase"], tallies_revealed=plan["tallies_revealed"],
                        **plan["workshop"], **_when(plan["created_at"]))
    session.add(workshop)
    session.flush()
    token = access.add_facilitator(session, workshop)
    session.flush()
    facilitator = access.facilitator_of(session, workshop)
    people: dict[int, Participant] = {}
    for p in plan["participants"]:
        people[p["id"]] = Participant(workshop_id=workshop.id, role="participant", token_hash=access.hash_token(access.new_token()),
                                      name=p["name"], organisation=p["organisation"], table=p["table"], number=p["number"],
                                      **({"joined_at": p["joined_at"]} if p["joined_at"] else {}))
    session.add_all(people.values())
    themes = {t["id"]: Theme(workshop_id=workshop.id, title=t["title"], **_when(t["created_at"])) for t in plan["themes"]}
    session.add_all(themes.values())
    session.flush()

    def author(ref: int | str | None) -> int:
        return facilitator.id if ref in (None, "facilitator") else people[ref].id  # type: ignore[index]

    session.add_all(Item(workshop_id=workshop.id, author_id=author(i["author"]), quadrant=i["quadrant"], text=i["text"], table=i["table"],
                         theme_id=themes[i["theme"]].id if i["theme"] is not None else None, hidden=i["hidden"],
                         **_when(i["created_at"])) for i in plan["items"])
    # Who put which dot is not in the archive: the dots are kept on the facilitator's row.
    for t in plan["themes"]:
        session.add_all(Vote(participant_id=facilitator.id, theme_id=themes[t["id"]].id) for _ in range(t["votes"]))
    facilitator.votes_used = sum(t["votes"] for t in plan["themes"])
    for position, g in enumerate(plan["groups"]):
        group = ThemeGroup(workshop_id=workshop.id, position=position, title=g["title"], capacity=g["capacity"],
                           summary=g["summary"], theme_id=themes[g["theme"]].id if g["theme"] is not None else None)
        session.add(group)
        session.flush()
        for member in g["members"]:
            people[member].group_id = group.id
        session.add_all(Note(group_id=group.id, author_id=author(n["author"]), text=n["text"], **_when(n["created_at"]))
                        for n in g["notes"])
    session.add_all(Quote(workshop_id=workshop.id, speaker=q["speaker"], role=q["role"], text=q["text"],
                          **_when(q["created_at"])) for q in plan["quotes"])
    session.flush()
    return workshop, token
