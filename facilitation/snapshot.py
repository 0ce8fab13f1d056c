"""The read side: a workshop as plain dicts for one viewer; used by connect, pages and exporters."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from . import similar
from .database import core
from .models import Connection, Item, Note, Participant, Quote, Theme, ThemeGroup, UndoStep, Vote, Workshop

ANONYMOUS_LABEL = {"sv": "Deltagare {n}", "en": "Participant {n}"}
FACILITATOR_LABEL = {"sv": "Processledare", "en": "Facilitator"}


def iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat() + "Z"


def display_name(participant: Participant, language: str = "sv") -> str:
    """The participant's name, or a neutral numbered label for someone who gave none; the
    facilitator (who joins with a token, not a name) is "Processledare"."""
    if participant.role == "facilitator":
        return participant.name or FACILITATOR_LABEL.get(language, FACILITATOR_LABEL["sv"])
    return participant.name or ANONYMOUS_LABEL.get(language, ANONYMOUS_LABEL["sv"]).format(n=participant.number)


def tallies_visible(workshop: Workshop, role: str) -> bool:
    return role == "facilitator" or (workshop.phase != "vote" or workshop.tallies_revealed) and not closed_to(workshop, role)


def closed_to(workshop: Workshop, role: str) -> bool:
    """A closed workshop shows participants and screens its name and a thank-you, nothing of what was said."""
    return workshop.phase == "closed" and role != "facilitator"


def workshop_view(workshop: Workshop) -> dict[str, Any]:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "date": workshop.date.isoformat() if workshop.date else None,
        "organisation": workshop.organisation,
        "location": workshop.location,
        "language": workshop.language,
        "purpose": workshop.purpose,
        "round_question": workshop.round_question,  # the SWOT round's question (added)
        "introduction": workshop.introduction,
        "questions": list(workshop.questions or []),
        "facilitators": list(workshop.facilitators or []),
        "votes_per_participant": workshop.votes_per_participant,
        "max_votes_per_theme": workshop.max_votes_per_theme,
        "group_capacity": workshop.group_capacity,
        "anonymous_items": workshop.anonymous_items,
        "conclusion": workshop.conclusion,
        "tallies_revealed": workshop.tallies_revealed,
        "retention_days": workshop.retention_days,
    }


def workshop_view_for(workshop: Workshop, role: str) -> dict[str, Any]:
    """The workshop as `role` sees it: once closed, participants and screens get no texts and no names."""
    view = workshop_view(workshop)
    if closed_to(workshop, role):
        view.update(purpose="", round_question="", introduction="", conclusion="", questions=[], facilitators=[])
    return view


_LOOK_UP = object()


def item_view(item: Item, author: Participant | None, *, viewer_id: int | None, anonymous: bool, language: str = "sv",
              similar_to: Any = _LOOK_UP) -> dict[str, Any]:
    """An item as `viewer_id` may see it: in an anonymous workshop only its author sees who wrote it.
    `similar_to` (similar.py) is looked up in the item's session unless given."""
    shown = author is not None and (not anonymous or author.id == viewer_id)
    if similar_to is _LOOK_UP:
        session = object_session(item)
        similar_to = similar.link_for(session, item) if session is not None else None
    return {
        "id": item.id,
        "quadrant": item.quadrant,
        "text": item.text,
        "author": {"id": author.id, "name": display_name(author, language)} if shown and author else None,
        "table": item.table,
        "theme_id": item.theme_id,
        "hidden": bool(item.hidden),
        "created_at": iso(item.created_at),
        "similar_to": similar_to,
    }


def timer_view(workshop: Workshop) -> dict[str, Any] | None:
    """The facilitator's countdown: when it ends, how long it was set for, seconds left now."""
    return countdown(workshop.timer_ends_at, workshop.timer_seconds)


def countdown(ends_at: dt.datetime | None, seconds: int | None) -> dict[str, Any] | None:
    if ends_at is None:
        return None
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    remaining = max(0.0, (ends_at - now).total_seconds())
    return {"ends_at": iso(ends_at), "seconds": seconds, "remaining": round(remaining, 1)}


def item_visible(item: Item, role: str, viewer_id: int | None) -> bool:
    """A hidden item is seen only by the facilitator and its author."""
    return not item.hidden or role == "facilitator" or item.author_id == viewer_id


# Statements of the join and vote paths (run for every joiner and every dot) are built once,
# with bound parameters, and run on the session's connection: a fifth of the CPU of building them.
_C, _P, _T, _V = (m.__table__ for m in (Connection, Participant, Theme, Vote))
_TALLY = (sa.select(_T.c.id, sa.func.count(_V.c.id)).select_from(_T.outerjoin(_V, _V.c.theme_id == _T.c.id))
          .where(_T.c.workshop_id == sa.bindparam("workshop_id")).group_by(_T.c.id).order_by(_T.c.id))
_PRESENCE = sa.select(  # one round trip for both counts
    sa.select(sa.func.count(_P.c.id)).where(_P.c.workshop_id == sa.bindparam("workshop_id"), _P.c.role == "participant")
    .scalar_subquery().label("participants"),
    sa.select(sa.func.count(sa.distinct(_C.c.participant_id))).where(
        _C.c.workshop_id == sa.bindparam("workshop_id"), _C.c.role == "participant").scalar_subquery().label("online"),
)
_PERSON = sa.select(_P.c.id, _P.c.role, _P.c.name, _P.c.number, _P.c.organisation, _P.c.table, _P.c.group_id).where(
    _P.c.id == sa.bindparam("participant_id"))


def tally(session: Session, workshop_id: int) -> dict[str, int]:
    """Dots per theme, every theme of the workshop included (keys are theme ids as strings)."""
    return {str(t): n for t, n in core(session).execute(_TALLY, {"workshop_id": workshop_id})}


# Dots placed out of all dots, and how many people have placed all theirs (a budget lowered
# below what someone spent counts their dots up to the budget).
_BUDGET = sa.bindparam("budget", type_=sa.Integer)
_SPENT = sa.case((_P.c.votes_used > _BUDGET, _BUDGET), else_=_P.c.votes_used)
_PROGRESS = sa.select(sa.func.count(_P.c.id), sa.func.coalesce(sa.func.sum(_SPENT), 0),
                      sa.func.coalesce(sa.func.sum(sa.case((_P.c.votes_used >= _BUDGET, 1), else_=0)), 0)).where(
    _P.c.workshop_id == sa.bindparam("workshop_id"), _P.c.role == "participant")


def vote_progress(session: Session, workshop_id: int, budget: int) -> dict[str, int]:
    """How far the room has come with its dots: placed of all, and people done of all."""
    people, used, done = core(session).execute(_PROGRESS, {"workshop_id": workshop_id, "budget": budget}).one()
    return {"dots_used": int(used), "dots_total": people * budget, "done": int(done), "participants": people}


def spotlight_view(session: Session, workshop: Workshop) -> dict[str, Any] | None:
    """What the projector shows large (operations/spotlight.py): null once its note is hidden or
    deleted, or its theme deleted."""
    shown = workshop.spotlight
    if not shown or shown.get("kind") == "quadrant":
        return shown or None
    row = session.get(Item if shown["kind"] == "item" else Theme, shown["id"])
    if row is None or row.workshop_id != workshop.id or getattr(row, "hidden", False):
        return None
    return shown


def undo_view(session: Session, workshop_id: int) -> dict[str, Any]:
    """How many clustering steps the facilitator can undo, and what `undo` would undo next."""
    steps = session.scalar(sa.select(sa.func.count(UndoStep.id)).where(UndoStep.workshop_id == workshop_id)) or 0
    newest = session.execute(sa.select(UndoStep.event, UndoStep.label).where(UndoStep.workshop_id == workshop_id)
                             .order_by(UndoStep.id.desc()).limit(1)).first()
    return {"steps": steps, "next": {"event": newest.event, "label": newest.label} if newest else None}


def theme_view(session: Session, theme: Theme, show_votes: bool) -> dict[str, Any]:
    item_ids = list(session.scalars(sa.select(Item.id).where(Item.theme_id == theme.id).order_by(Item.id)))
    votes = session.scalar(sa.select(sa.func.count(Vote.id)).where(Vote.theme_id == theme.id)) if show_votes else None
    return {"id": theme.id, "title": theme.title, "item_ids": item_ids, "votes": votes}


def ranked_themes(session: Session, workshop_id: int) -> list[tuple[Theme, int]]:
    """Themes by votes, most first; a tie goes to the older theme."""
    themes = session.scalars(sa.select(Theme).where(Theme.workshop_id == workshop_id).order_by(Theme.id)).all()
    counts = tally(session, workshop_id)
    return sorted(((t, counts[str(t.id)]) for t in themes), key=lambda pair: (-pair[1], pair[0].id))


def quote_view(quote: Quote) -> dict[str, Any]:
    return {"id": quote.id, "speaker": quote.speaker, "role": quote.role, "text": quote.text}


def note_view(note: Note, anonymous: bool) -> dict[str, Any]:
    """A group's note; in an anonymous workshop it names no author (group members are listed by name)."""
    return {"id": note.id, "group_id": note.group_id, "text": note.text, "author_id": None if anonymous else note.author_id,
            "created_at": iso(note.created_at)}


def _member_view(participant: Participant, language: str) -> dict[str, Any]:
    return {"id": participant.id, "name": display_name(participant, language), "organisation": participant.organisation}


def group_views(session: Session, workshop_id: int, group_ids: list[int] | None = None) -> list[dict[str, Any]]:
    language, anonymous = session.execute(
        sa.select(Workshop.language, Workshop.anonymous_items).where(Workshop.id == workshop_id)).one()
    query = sa.select(ThemeGroup).where(ThemeGroup.workshop_id == workshop_id)
    if group_ids is not None:
        query = query.where(ThemeGroup.id.in_(group_ids))
    groups = session.scalars(query.order_by(ThemeGroup.position, ThemeGroup.id)).all()
    ids = [g.id for g in groups]
    members: dict[int, list[Participant]] = defaultdict(list)
    for p in session.scalars(sa.select(Participant).where(Participant.group_id.in_(ids)).order_by(Participant.id)):
        members[p.group_id].append(p)  # type: ignore[index]
    notes: dict[int, list[Note]] = defaultdict(list)
    for n in session.scalars(sa.select(Note).where(Note.group_id.in_(ids)).order_by(Note.id)):
        notes[n.group_id].append(n)
    return [
        {
            "id": g.id,
            "theme_id": g.theme_id,
            "title": g.title,
            "capacity": g.capacity,
            "members": [_member_view(p, language) for p in members[g.id]],
            "notes": [note_view(n, anonymous) for n in notes[g.id]],
            "summary": g.summary,
        }
        for g in groups
    ]


def group_view(session: Session, group: ThemeGroup) -> dict[str, Any]:
    return group_views(session, group.workshop_id, [group.id])[0]


_DOTS_OF = (sa.select(_V.c.theme_id, sa.func.count(_V.c.id))
            .where(_V.c.participant_id == sa.bindparam("participant_id")).group_by(_V.c.theme_id))


def dots_of(session: Session, participant_id: int) -> dict[str, int]:
    """One person's dots on each theme they put any on (theme ids as strings)."""
    rows = core(session).execute(_DOTS_OF, {"participant_id": participant_id})
    return {str(t): n for t, n in rows}


def my_votes(session: Session, budget: int, participant_id: int) -> dict[str, Any]:
    """One person's dots: how many are left of `budget`, and how many on each theme."""
    dots = dots_of(session, participant_id)
    return {"votes_left": max(0, budget - sum(dots.values())), "votes": dots}


def presence(session: Session, workshop_id: int) -> dict[str, int]:
    counts = core(session).execute(_PRESENCE, {"workshop_id": workshop_id}).one()
    return {"participants": counts.participants or 0, "online": counts.online or 0}


@dataclass
class Shared:
    """The part of a workshop's snapshot that is the same for every viewer of one audience
    (the facilitator, or participants and screens), with what is needed to add a viewer's own."""

    workshop_id: int
    data: dict[str, Any]  # without `me`, `timer` and the presence counts, which are computed per viewer
    anonymous: bool
    language: str
    author_of: dict[int, int]  # item id -> author id, for the viewer's own items
    hidden: list[tuple[int, dict[str, Any]]]  # hidden items (author id, view), kept for their authors
    timer: tuple[dt.datetime | None, int | None]  # the countdown's end and length
    show_votes: bool  # the themes' votes are counted per viewer (dots do not change the revision)
    revision: int  # the workshop's revision it was built at


def shared(session: Session, workshop: Workshop, audience: str) -> Shared:
    """One audience's shared snapshot: 'facilitator' sees tallies and hidden items, 'viewer' not."""
    role = "facilitator" if audience == "facilitator" else "participant"
    if closed_to(workshop, role):
        data = {"workshop": workshop_view_for(workshop, role), "phase": workshop.phase, "items": [], "themes": [],
                "groups": [], "quotes": []}
        return Shared(workshop.id, data, workshop.anonymous_items, workshop.language, {}, [],
                      (workshop.timer_ends_at, workshop.timer_seconds), False, workshop.revision)
    items = session.scalars(sa.select(Item).where(Item.workshop_id == workshop.id).order_by(Item.id)).all()
    author_ids = {i.author_id for i in items}
    authors = {p.id: p for p in session.scalars(sa.select(Participant).where(Participant.id.in_(author_ids)))} if author_ids else {}
    show_votes = tallies_visible(workshop, role)
    by_theme: dict[int, list[int]] = defaultdict(list)
    for item in items:
        if item.theme_id is not None:
            by_theme[item.theme_id].append(item.id)
    themes = session.scalars(sa.select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.id)).all()
    quotes = session.scalars(sa.select(Quote).where(Quote.workshop_id == workshop.id).order_by(Quote.id))

    alike = similar.links((i.id, i.quadrant, i.text) for i in items)  # near-identical notes (the console's cards)

    def view(item: Item) -> dict[str, Any]:
        return item_view(item, authors.get(item.author_id), viewer_id=None, anonymous=workshop.anonymous_items,
                         language=workshop.language, similar_to=alike.get(item.id))

    data = {
        "workshop": workshop_view(workshop),
        "phase": workshop.phase,
        "items": [view(i) for i in items if item_visible(i, role, None)],
        "themes": [{"id": t.id, "title": t.title, "item_ids": by_theme[t.id], "votes": None} for t in themes],
        "groups": group_views(session, workshop.id),
        "quotes": [quote_view(q) for q in quotes],
        "spotlight": spotlight_view(session, workshop),  # the facilitator's and the screens' (see personal)
    }
    if role == "facilitator":
        data["undo"] = undo_view(session, workshop.id)
    hidden = [(i.author_id, view(i)) for i in items if not item_visible(i, role, None)]
    return Shared(workshop.id, data, workshop.anonymous_items, workshop.language, {i.id: i.author_id for i in items}, hidden,
                  (workshop.timer_ends_at, workshop.timer_seconds), show_votes, workshop.revision)


def personal(session: Session, shared_part: Shared, role: str, participant_id: int | None = None,
             token: str | None = None) -> dict[str, Any]:
    """The whole snapshot for one viewer: the shared part plus `me` and the viewer's own items."""
    me: dict[str, Any] = {"id": None, "role": role, "name": None, "organisation": None, "table": None,
                          "token": None, "votes_left": 0, "votes": {}, "group_id": None}
    data = dict(shared_part.data, me=me, timer=countdown(*shared_part.timer), **presence(session, shared_part.workshop_id))
    if role == "participant":  # what the projector shows large is the projector's
        data.pop("spotlight", None)
    if shared_part.data["phase"] == "vote" and role in ("facilitator", "screen"):
        data["vote_progress"] = vote_progress(session, shared_part.workshop_id,
                                              shared_part.data["workshop"]["votes_per_participant"])
    if shared_part.show_votes:
        counts = tally(session, shared_part.workshop_id)
        data["themes"] = [dict(t, votes=counts.get(str(t["id"]), 0)) for t in data["themes"]]
    person = core(session).execute(_PERSON, {"participant_id": participant_id}).first() if participant_id is not None else None
    if person is None:
        return data
    me.update(id=person.id, name=display_name(person, shared_part.language) if role == "participant" else person.name,
              organisation=person.organisation, table=person.table, token=token, group_id=person.group_id)
    if role != "participant":
        return data
    me.update(my_votes(session, shared_part.data["workshop"]["votes_per_participant"], person.id))
    own = {"id": person.id, "name": display_name(person, shared_part.language)}
    hidden = [view for author_id, view in shared_part.hidden if author_id == person.id]
    if shared_part.anonymous or hidden:
        author_of = shared_part.author_of
        items = [dict(v, author=own) if author_of.get(v["id"]) == person.id else v for v in shared_part.data["items"]]
        items += [dict(v, author=own) for v in hidden]
        data["items"] = sorted(items, key=lambda v: v["id"]) if hidden else items
    return data


def audience(role: str) -> str:
    """Which shared snapshot a role gets."""
    return "facilitator" if role == "facilitator" else "viewer"

