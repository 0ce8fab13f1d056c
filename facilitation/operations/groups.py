"""Theme groups: form them from the top themes, join, leave, rename, notes and summaries."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Note, Participant, Theme, ThemeGroup, Workshop
from . import limits, validate
from .changes import Change, GroupsFormed, GroupUpdated, NoteAdded, NoteDeleted
from .errors import DomainError
from .guards import Actor, owned, require_phase, require_role, workshop_of
from .outcome import Outcome


def form(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor, lock=True)
    require_phase(workshop, actor)
    if "theme_ids" in data and data["theme_ids"] is not None:
        ids = validate.identifiers(data["theme_ids"], "theme_ids")
        themes = [owned(session, Theme, i, workshop.id, "theme") for i in ids]
    elif "top" in data:
        top = validate.integer(data["top"], "top", 1, 1000)
        themes = [theme for theme, _ in snapshot.ranked_themes(session, workshop.id)][:top]
    else:
        raise DomainError("bad_request", "Give 'theme_ids' (in order) or 'top' (a number).")
    if not themes:
        raise DomainError("bad_request", "There are no themes to form groups from.")
    limits.refuse_beyond("groups", len(themes))  # the groups formed replace the earlier ones
    if not validate.boolean(data.get("replace", False), "replace"):
        _refuse_to_lose_work(session, workshop.id)
    session.execute(sa.update(Participant).where(Participant.workshop_id == workshop.id).values(group_id=None))
    session.execute(sa.delete(ThemeGroup).where(ThemeGroup.workshop_id == workshop.id))
    for position, theme in enumerate(themes):
        session.add(ThemeGroup(workshop_id=workshop.id, theme_id=theme.id, position=position,
                               title=theme.title, capacity=workshop.group_capacity))
    session.flush()
    views = snapshot.group_views(session, workshop.id)
    return Outcome({"groups": views}, [GroupsFormed(workshop.id)])


def _refuse_to_lose_work(session: Session, workshop_id: int) -> None:
    """`conflict` when groups exist with members, notes or a summary: forming groups anew would
    wipe them, so that takes `replace: true` (the console asks the facilitator first)."""
    ids = sa.select(ThemeGroup.id).where(ThemeGroup.workshop_id == workshop_id).scalar_subquery()
    members = session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.group_id.in_(ids))) or 0
    notes = session.scalar(sa.select(sa.func.count(Note.id)).where(Note.group_id.in_(ids))) or 0
    summaries = session.scalar(sa.select(sa.func.count(ThemeGroup.id)).where(
        ThemeGroup.workshop_id == workshop_id, ThemeGroup.summary != "")) or 0
    if members or notes or summaries:
        raise DomainError("conflict", f"The groups already have {members} member(s), {notes} note(s) and {summaries} "
                                      "summary(ies); forming groups again replaces them: send 'replace': true to do so.")


def rename(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor)
    group = owned(session, ThemeGroup, validate.identifier(data.get("group_id"), "group_id"), workshop.id, "group")
    group.title = validate.text(data.get("title"), "title", validate.SHORT)
    session.flush()
    return Outcome({"group": snapshot.group_view(session, group)}, [GroupUpdated(group.id)])


def join(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "participant")
    workshop = workshop_of(session, actor)
    ident = validate.identifier(data.get("group_id"), "group_id")
    require_phase(workshop, actor, "groups")
    # Lock the group row so two people cannot take its last place at once.
    group = session.scalar(sa.select(ThemeGroup).where(ThemeGroup.id == ident).with_for_update())
    if group is None or group.workshop_id != workshop.id:
        raise DomainError("not_found", "No such group.")
    me = session.get(Participant, actor.participant_id)
    assert me is not None
    if me.group_id == group.id:
        return Outcome({"group": snapshot.group_view(session, group)})
    if group.capacity is not None:
        members = session.scalar(sa.select(sa.func.count(Participant.id)).where(Participant.group_id == group.id))
        if members >= group.capacity:
            raise DomainError("group_full", "That group is full; choose another.")
    left = me.group_id
    me.group_id = group.id
    session.flush()
    changes: list[Change] = [GroupUpdated(g) for g in (left, group.id) if g is not None]
    return Outcome({"group": snapshot.group_view(session, group)}, changes)


def leave(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    require_role(actor, "participant")
    workshop = workshop_of(session, actor)
    require_phase(workshop, actor, "groups")
    me = session.get(Participant, actor.participant_id)
    assert me is not None
    left, me.group_id = me.group_id, None
    session.flush()
    return Outcome({"group_id": left}, [GroupUpdated(left)] if left is not None else [])


def _writable_group(session: Session, actor: Actor, data: dict[str, Any]) -> ThemeGroup:
    require_role(actor, "participant", "facilitator")
    workshop = workshop_of(session, actor)
    group = owned(session, ThemeGroup, validate.identifier(data.get("group_id"), "group_id"), workshop.id, "group")
    require_phase(workshop, actor, "groups")
    if not actor.is_facilitator:
        me = session.get(Participant, actor.participant_id)
        if me is None or me.group_id != group.id:
            raise DomainError("forbidden", "Only the group's members may write in it.")
    return group


def add_note(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    group = _writable_group(session, actor, data)
    limits.ensure_room(session, group.workshop_id, "notes")
    assert actor.participant_id is not None
    note = Note(group_id=group.id, author_id=actor.participant_id, text=validate.text(data.get("text"), "text", validate.NOTE))
    session.add(note)
    session.flush()
    # The answer goes to the author alone, so it names them, as their own items do (the contract);
    # everyone else is sent the note without its author in an anonymous workshop (broadcast.py).
    return Outcome({"note": snapshot.note_view(note, anonymous=False)}, [NoteAdded(note.id)])


def delete_note(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """The facilitator removes a group's note, in every phase (`closed` too: it leaves the record)."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    note = session.get(Note, validate.identifier(data.get("note_id"), "note_id"))
    group = session.get(ThemeGroup, note.group_id) if note else None
    if note is None or group is None or group.workshop_id != workshop.id:
        raise DomainError("not_found", "No such note.")
    session.delete(note)
    session.flush()
    return Outcome({"note_id": note.id, "group_id": group.id}, [NoteDeleted(workshop.id, group.id, note.id)])


def set_summary(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    group = _writable_group(session, actor, data)
    group.summary = validate.text(data.get("text"), "text", validate.LONG, required=False)
    session.flush()
    return Outcome({"group": snapshot.group_view(session, group)}, [GroupUpdated(group.id)])


def edit_record_summary(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """The facilitator edits a group's summary for the record: in every phase, `closed` too
    (`set_summary` stays refused once the workshop is closed)."""
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    group = owned(session, ThemeGroup, validate.identifier(data.get("group_id"), "group_id"), workshop.id, "group")
    group.summary = validate.text(data.get("text"), "text", validate.LONG, required=False)
    session.flush()
    return Outcome({"group": snapshot.group_view(session, group)}, [GroupUpdated(group.id)])
