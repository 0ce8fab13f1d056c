"""The only module that emits: event names, rooms, and who gets which view of a change."""
from __future__ import annotations

from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import snapshot as views
from .extensions import socketio
from .models import Connection, Item, Note, Participant, Theme, ThemeGroup, Workshop
from .operations.guards import Actor


def room_all(workshop_id: int) -> str:
    return f"w{workshop_id}"


def room_facilitator(workshop_id: int) -> str:
    return f"w{workshop_id}:fac"


def room_viewers(workshop_id: int) -> str:
    """Participants and screens: those who see tallies only once they are revealed."""
    return f"w{workshop_id}:view"


def room_person(participant_id: int) -> str:
    return f"p{participant_id}"


def rooms_for(actor: Actor) -> list[str]:
    rooms = [room_all(actor.workshop_id)]
    rooms.append(room_facilitator(actor.workshop_id) if actor.is_facilitator else room_viewers(actor.workshop_id))
    if actor.participant_id is not None:
        rooms.append(room_person(actor.participant_id))
    return rooms


def snapshot_to(sid: str, data: dict[str, Any]) -> None:
    socketio.emit("snapshot", data, to=sid)


def presence(session: Session, workshop_id: int) -> None:
    socketio.emit("presence", views.presence(session, workshop_id), to=room_all(workshop_id))


def _sids_of(session: Session, participant_id: int) -> list[str]:
    return list(session.scalars(sa.select(Connection.sid).where(Connection.participant_id == participant_id)))


def _item_to(session: Session, event: str, item: Item, room: str) -> None:
    """`item` to `room` and to its author's own connections: in an anonymous workshop only the
    author's see whose it is (the others get it without the author)."""
    workshop = session.get(Workshop, item.workshop_id)
    author = session.get(Participant, item.author_id)
    assert workshop is not None
    others = views.item_view(item, author, viewer_id=None, anonymous=workshop.anonymous_items, language=workshop.language)
    own = views.item_view(item, author, viewer_id=item.author_id, anonymous=workshop.anonymous_items, language=workshop.language)
    if others == own and room == room_all(workshop.id):  # everyone, the author too, sees the same
        socketio.emit(event, others, to=room)
        return
    socketio.emit(event, others, to=room, skip_sid=_sids_of(session, item.author_id) or None)
    socketio.emit(event, own, to=room_person(item.author_id))


def _item(session: Session, event: str, item: Item) -> None:
    """A hidden item goes only to the facilitator and its author; any other to everyone."""
    _item_to(session, event, item, room_facilitator(item.workshop_id) if item.hidden else room_all(item.workshop_id))


def _item_hidden(session: Session, item: Item) -> None:
    """Hiding takes an item off the board for others (item_deleted); showing it puts it back (item_added)."""
    _item_to(session, "item_updated", item, room_facilitator(item.workshop_id))
    workshop = session.get(Workshop, item.workshop_id)
    assert workshop is not None
    others = _sids_of(session, item.author_id) or None
    if item.hidden:
        socketio.emit("item_deleted", {"id": item.id}, to=room_viewers(workshop.id), skip_sid=others)
    else:
        author = session.get(Participant, item.author_id)
        view = views.item_view(item, author, viewer_id=None, anonymous=workshop.anonymous_items, language=workshop.language)
        socketio.emit("item_added", view, to=room_viewers(workshop.id), skip_sid=others)


def _theme(session: Session, theme_id: int) -> None:
    theme = session.get(Theme, theme_id)
    if theme is None:
        return
    workshop = session.get(Workshop, theme.workshop_id)
    assert workshop is not None
    socketio.emit("theme_updated", views.theme_view(session, theme, True), to=room_facilitator(workshop.id))
    visible = views.tallies_visible(workshop, "participant")
    socketio.emit("theme_updated", views.theme_view(session, theme, visible), to=room_viewers(workshop.id))


def _tally(session: Session, workshop: Workshop) -> None:
    counts = views.tally(session, workshop.id)
    socketio.emit("tally", counts, to=room_facilitator(workshop.id))
    if views.tallies_visible(workshop, "participant"):
        socketio.emit("tally", counts, to=room_viewers(workshop.id))


def _my_votes(session: Session, participant_id: int) -> None:
    person = session.get(Participant, participant_id)
    if person is None:
        return
    workshop = session.get(Workshop, person.workshop_id)
    assert workshop is not None
    socketio.emit("my_votes", views.my_votes(session, workshop, participant_id), to=room_person(participant_id))


def publish(session: Session, changes: Iterable[tuple[str, Any]]) -> None:
    """Send each committed change to those who may see it."""
    for kind, subject in changes:
        if kind in ("item_added", "item_updated"):
            _item(session, kind, subject)
        elif kind == "item_hidden":
            _item_hidden(session, subject)
        elif kind == "timer":
            socketio.emit("timer", {"timer": views.timer_view(subject)}, to=room_all(subject.id))
        elif kind == "item_deleted":
            socketio.emit("item_deleted", {"id": subject["id"]}, to=room_all(subject["workshop_id"]))
        elif kind == "theme_updated":
            _theme(session, subject)
        elif kind == "theme_deleted":
            socketio.emit("theme_deleted", {"id": subject["id"], "item_ids": subject["item_ids"]}, to=room_all(subject["workshop_id"]))
        elif kind == "tally":
            _tally(session, subject)
        elif kind == "my_votes":
            _my_votes(session, subject)
        elif kind == "phase":
            socketio.emit("phase", {"phase": subject.phase, "tallies_revealed": subject.tallies_revealed}, to=room_all(subject.id))
            _tally(session, subject)
        elif kind == "workshop_updated":
            socketio.emit("workshop_updated", views.workshop_view(subject), to=room_all(subject.id))
        elif kind == "quote_added":
            socketio.emit("quote_added", views.quote_view(subject), to=room_all(subject.workshop_id))
        elif kind == "groups":
            socketio.emit("groups", views.group_views(session, subject.id), to=room_all(subject.id))
        elif kind == "group_updated":
            _group(session, subject)
        elif kind == "note_added":
            _note(session, subject)
        else:
            raise ValueError(f"unknown change {kind!r}")


def _group(session: Session, group_id: int) -> None:
    group = session.get(ThemeGroup, group_id)
    if group is not None:
        socketio.emit("group_updated", views.group_view(session, group), to=room_all(group.workshop_id))


def _note(session: Session, note: Note) -> None:
    group = session.get(ThemeGroup, note.group_id)
    if group is not None:
        socketio.emit("note_added", views.note_view(note), to=room_all(group.workshop_id))
