"""The only module that emits: event names, rooms, and who gets which view of a change.

Changes are rendered into messages while the unit of work's session is open (`render`), and
sent once it is closed and every lock released (`send`), so that a slow or vanished client,
whose disconnect python-engineio may run inside a send, never waits on anything a writer holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import similar
from . import snapshot as read
from .extensions import socketio
from .models import Connection, Item, Note, Participant, Quote, Theme, ThemeGroup, Workshop
from .operations import changes as c
from .operations.guards import Actor


def room_all(workshop_id: int) -> str:
    return f"w{workshop_id}"


def room_facilitator(workshop_id: int) -> str:
    return f"w{workshop_id}:fac"


def room_viewers(workshop_id: int) -> str:
    """Participants and screens: those who see tallies only once they are revealed."""
    return f"w{workshop_id}:view"


def room_screens(workshop_id: int) -> str:
    """The projectors: they also get what the room is shown large and how far voting has come."""
    return f"w{workshop_id}:screen"


def room_person(participant_id: int) -> str:
    return f"p{participant_id}"


def rooms_for(actor: Actor) -> list[str]:
    rooms = [room_all(actor.workshop_id)]
    rooms.append(room_facilitator(actor.workshop_id) if actor.is_facilitator else room_viewers(actor.workshop_id))
    if actor.role == "screen":
        rooms.append(room_screens(actor.workshop_id))
    if actor.participant_id is not None:
        rooms.append(room_person(actor.participant_id))
    return rooms


@dataclass(frozen=True)
class Message:
    """One emit: `event` with `data` to a room or a connection, less the `skip` connections."""

    event: str
    data: Any
    to: str
    skip: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disconnect:
    """Close these connections, in whichever server process holds them, after what was sent before."""

    sids: tuple[str, ...]
    event = "(disconnect)"


def send(messages: Iterable[Message | Disconnect]) -> None:
    """Emit rendered messages; call with no session open and no lock held."""
    for m in messages:
        if isinstance(m, Disconnect):
            for sid in m.sids:
                socketio.server.disconnect(sid, namespace="/")
        else:
            socketio.emit(m.event, m.data, to=m.to, skip_sid=list(m.skip) or None)


def snapshot_to(sid: str, data: dict[str, Any]) -> None:
    socketio.emit("snapshot", data, to=sid)


def workshop_deleted(workshop_id: int, sids: tuple[str, ...]) -> list[Message | Disconnect]:
    """Tell everyone in a deleted workshop, then close their connections (in every server process)."""
    return [Message("workshop_deleted", {}, room_all(workshop_id)), Disconnect(sids)]


def presence(session: Session, workshop_id: int) -> list[Message]:
    return [Message("presence", read.presence(session, workshop_id), room_all(workshop_id))]


def tally(session: Session, workshop_id: int) -> list[Message]:
    """The dots per theme to the facilitator, and to everyone once revealed (or after voting)."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        return []
    counts = read.tally(session, workshop_id)
    out = [Message("tally", counts, room_facilitator(workshop_id))]
    if workshop.phase == "vote":  # dots placed of all, people done: the facilitator knows when to show results
        progress = read.vote_progress(session, workshop_id, workshop.votes_per_participant)
        out.append(Message("vote_progress", progress, room_facilitator(workshop_id)))
        out.append(Message("vote_progress", progress, room_screens(workshop_id)))  # and the room, on the projector
    if read.tallies_visible(workshop, "participant"):
        out.append(Message("tally", counts, room_viewers(workshop_id)))
    return out


def _sids_of(session: Session, participant_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(sa.select(Connection.sid).where(Connection.participant_id == participant_id)))


def _item_to(session: Session, event: str, item: Item, room: str) -> list[Message]:
    """`item` to `room` and to its author's own connections: in an anonymous workshop only the
    author's see whose it is (the others get it without the author)."""
    workshop = session.get(Workshop, item.workshop_id)
    author = session.get(Participant, item.author_id)
    assert workshop is not None
    alike = similar.link_for(session, item)  # looked up once for both views
    others = read.item_view(item, author, viewer_id=None, anonymous=workshop.anonymous_items, language=workshop.language,
                            similar_to=alike)
    own = read.item_view(item, author, viewer_id=item.author_id, anonymous=workshop.anonymous_items, language=workshop.language,
                         similar_to=alike)
    if others == own and room == room_all(workshop.id):  # everyone, the author too, sees the same
        return [Message(event, others, room)]
    return [Message(event, others, room, _sids_of(session, item.author_id)), Message(event, own, room_person(item.author_id))]


def _item(session: Session, event: str, item_id: int) -> list[Message]:
    """A hidden item goes only to the facilitator and its author; any other to everyone."""
    item = session.get(Item, item_id)
    if item is None:
        return []
    return _item_to(session, event, item, room_facilitator(item.workshop_id) if item.hidden else room_all(item.workshop_id))


def _item_hidden(session: Session, item_id: int) -> list[Message]:
    """Hiding takes an item off the board for others (item_deleted); showing it puts it back (item_added)."""
    item = session.get(Item, item_id)
    if item is None:
        return []
    out = _item_to(session, "item_updated", item, room_facilitator(item.workshop_id))
    workshop = session.get(Workshop, item.workshop_id)
    assert workshop is not None
    others = _sids_of(session, item.author_id)
    if item.hidden:
        return [*out, Message("item_deleted", {"id": item.id}, room_viewers(workshop.id), others)]
    author = session.get(Participant, item.author_id)
    view = read.item_view(item, author, viewer_id=None, anonymous=workshop.anonymous_items, language=workshop.language)
    return [*out, Message("item_added", view, room_viewers(workshop.id), others)]


def _theme(session: Session, theme_id: int) -> list[Message]:
    theme = session.get(Theme, theme_id)
    if theme is None:
        return []
    workshop = session.get(Workshop, theme.workshop_id)
    assert workshop is not None
    visible = read.tallies_visible(workshop, "participant")
    return [Message("theme_updated", read.theme_view(session, theme, True), room_facilitator(workshop.id)),
            Message("theme_updated", read.theme_view(session, theme, visible), room_viewers(workshop.id))]


def _my_votes(session: Session, participant_id: int) -> list[Message]:
    person = session.get(Participant, participant_id)
    workshop = session.get(Workshop, person.workshop_id) if person else None
    if person is None or workshop is None:
        return []
    return [Message("my_votes", read.my_votes(session, workshop.votes_per_participant, participant_id), room_person(participant_id))]


def _phase(session: Session, workshop_id: int) -> list[Message]:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        return []
    return [Message("phase", {"phase": workshop.phase, "tallies_revealed": workshop.tallies_revealed}, room_all(workshop_id)),
            *tally(session, workshop_id)]


def _workshop(session: Session, workshop_id: int, event: str) -> list[Message]:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        return []
    if event == "timer":
        return [Message(event, {"timer": read.timer_view(workshop)}, room_all(workshop_id))]
    if read.closed_to(workshop, "participant"):  # the record's texts change after closing: for the facilitator
        return [Message(event, read.workshop_view(workshop), room_facilitator(workshop_id)),
                Message(event, read.workshop_view_for(workshop, "participant"), room_viewers(workshop_id))]
    return [Message(event, read.workshop_view(workshop), room_all(workshop_id))]


def _group(session: Session, group_id: int) -> list[Message]:
    group = session.get(ThemeGroup, group_id)
    if group is None:
        return []
    workshop = session.get(Workshop, group.workshop_id)
    closed = workshop is not None and read.closed_to(workshop, "participant")  # a summary edited for the record
    return [Message("group_updated", read.group_view(session, group),
                    room_facilitator(group.workshop_id) if closed else room_all(group.workshop_id))]


def _note(session: Session, note_id: int) -> list[Message]:
    note = session.get(Note, note_id)
    group = session.get(ThemeGroup, note.group_id) if note else None
    workshop = session.get(Workshop, group.workshop_id) if group else None
    if note is None or workshop is None:
        return []
    return [Message("note_added", read.note_view(note, workshop.anonymous_items), room_all(workshop.id))]


def _quote(session: Session, quote_id: int, event: str = "quote_added") -> list[Message]:
    quote = session.get(Quote, quote_id)
    return [] if quote is None else [Message(event, read.quote_view(quote), _record_room(session, quote.workshop_id))]


def _spotlight(session: Session, workshop_id: int) -> list[Message]:
    """What the projector shows large, to the projectors and the facilitator (whose console shows it too)."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        return []
    data = {"spotlight": read.spotlight_view(session, workshop)}
    return [Message("spotlight", data, room_screens(workshop_id)), Message("spotlight", data, room_facilitator(workshop_id))]


def _record_room(session: Session, workshop_id: int) -> str:
    """Everyone; once the workshop is closed only the facilitator (who still mends the record)."""
    workshop = session.get(Workshop, workshop_id)
    closed = workshop is not None and read.closed_to(workshop, "participant")
    return room_facilitator(workshop_id) if closed else room_all(workshop_id)


def render(session: Session, change: c.Change) -> list[Message | Disconnect]:
    """The messages that tell those who may see it about one committed change."""
    match change:
        case c.ItemAdded(item_id):
            return _item(session, "item_added", item_id)
        case c.ItemUpdated(item_id):
            return _item(session, "item_updated", item_id)
        case c.ItemHidden(item_id):
            return _item_hidden(session, item_id)
        case c.ItemDeleted(workshop_id, item_id):
            return [Message("item_deleted", {"id": item_id}, room_all(workshop_id))]
        case c.ThemeUpdated(theme_id):
            return _theme(session, theme_id)
        case c.ThemeDeleted(workshop_id, theme_id, item_ids):
            return [Message("theme_deleted", {"id": theme_id, "item_ids": list(item_ids)}, room_all(workshop_id))]
        case c.TallyChanged(workshop_id) | c.TalliesRevealed(workshop_id):
            return tally(session, workshop_id)
        case c.VotesChanged(participant_id, view) if view is not None:
            return [Message("my_votes", view, room_person(participant_id))]
        case c.VotesChanged(participant_id):
            return _my_votes(session, participant_id)
        case c.PhaseChanged(workshop_id):
            return _phase(session, workshop_id)
        case c.TimerChanged(workshop_id):
            return _workshop(session, workshop_id, "timer")
        case c.WorkshopUpdated(workshop_id):
            return _workshop(session, workshop_id, "workshop_updated")
        case c.QuoteAdded(quote_id):
            return _quote(session, quote_id)
        case c.QuoteUpdated(quote_id):
            return _quote(session, quote_id, "quote_updated")
        case c.QuoteDeleted(workshop_id, quote_id):
            return [Message("quote_deleted", {"id": quote_id}, _record_room(session, workshop_id))]
        case c.NoteDeleted(workshop_id, group_id, note_id):
            return [Message("note_deleted", {"id": note_id, "group_id": group_id}, _record_room(session, workshop_id))]
        case c.SpotlightChanged(workshop_id):
            return _spotlight(session, workshop_id)
        case c.UndoChanged(workshop_id):
            return [Message("undo_state", read.undo_view(session, workshop_id), room_facilitator(workshop_id))]
        case c.GroupsFormed(workshop_id):
            return [Message("groups", read.group_views(session, workshop_id), room_all(workshop_id))]
        case c.GroupUpdated(group_id):
            return _group(session, group_id)
        case c.NoteAdded(note_id):
            return _note(session, note_id)
        case c.PresenceChanged(workshop_id):
            return presence(session, workshop_id)
        case c.ConnectionsClosed(sids):
            return [Disconnect(sids)]
        case c.WorkshopDeleted(workshop_id, sids):
            return workshop_deleted(workshop_id, sids)
        case c.ParticipantRemoved(_workshop_id, participant_id, sids):
            return [Message("removed", {}, room_person(participant_id)), Disconnect(sids)]
    raise ValueError(f"unknown change {change!r}")
