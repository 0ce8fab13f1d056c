"""Workshop templates: a workshop's setup saved under a name, new workshops started from it, and
the template as a JSON file that another server can import. One list per site; who may use it
is decided by the views (the staff gate, views/staff_auth.py)."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Workshop, WorkshopTemplate
from ..snapshot import iso
from . import validate, workshops
from .errors import DomainError

KIND = "facilitation.workshop_template"
SCHEMA_VERSION = 1
MOST = 500  # templates one site keeps
# What a template carries: what stays the same when a workshop is run again elsewhere (not its
# date, place, closing text or the record's sentences about that day).
SETUP_FIELDS = ("title", "organisation", "purpose", "introduction", "round_question", "questions", "facilitators",
                "panel", "language", "votes_per_participant", "max_votes_per_theme", "group_capacity",
                "anonymous_items")


class NameTaken(DomainError):
    """A template of that name exists already on this site."""

    def __init__(self, name: str) -> None:
        super().__init__("conflict", f"A template named “{name}” exists already: choose another name, "
                                     "or delete that one first.")
        self.name = name


def check_setup(data: Any) -> dict[str, Any]:
    """A setup, each field checked as a new workshop's would be; other fields are refused."""
    data = validate.payload(data)
    unknown = sorted(set(data) - set(SETUP_FIELDS))
    if unknown:
        raise DomainError("bad_request", f"A template cannot hold: {', '.join(unknown)}.")
    return workshops.fields(data, creating=False)


def setup_of(workshop: Workshop) -> dict[str, Any]:
    """The setup of `workshop`, as a template keeps it."""
    values = {name: getattr(workshop, name) for name in SETUP_FIELDS}
    return {**values, **{name: list(values[name] or []) for name in workshops.LIST_FIELDS}}


def _name(value: Any) -> str:
    return validate.text(value, "name", validate.SHORT)


def _room_for_one_more(session: Session, name: str) -> None:
    if session.scalar(sa.select(WorkshopTemplate.id).where(WorkshopTemplate.name == name)) is not None:
        raise NameTaken(name)
    if session.scalar(sa.select(sa.func.count()).select_from(WorkshopTemplate)) >= MOST:
        raise DomainError("conflict", f"This site keeps at most {MOST} templates: delete one first.")


def save(session: Session, name: Any, setup: Any) -> WorkshopTemplate:
    """A new template `name` holding `setup` (checked); a name already taken is refused."""
    name, setup = _name(name), check_setup(setup)
    _room_for_one_more(session, name)
    template = WorkshopTemplate(name=name, setup=setup)
    session.add(template)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # saved under the same name by someone else a moment ago
        raise NameTaken(name) from None
    return template


def save_from_workshop(session: Session, workshop: Workshop, name: Any) -> WorkshopTemplate:
    return save(session, name, setup_of(workshop))


def by_id(session: Session, template_id: Any) -> WorkshopTemplate:
    template = session.get(WorkshopTemplate, validate.identifier(template_id, "template_id"))
    if template is None:
        raise DomainError("not_found", "There is no such template on this server.")
    return template


def listing(session: Session) -> list[dict[str, Any]]:
    """Every template of the site by name, with what the list shows."""
    rows = session.scalars(sa.select(WorkshopTemplate).order_by(WorkshopTemplate.name, WorkshopTemplate.id))
    return [view(t) for t in rows]


def view(template: WorkshopTemplate) -> dict[str, Any]:
    return {"id": template.id, "name": template.name, "setup": dict(template.setup),
            "created_at": iso(template.created_at), "updated_at": iso(template.updated_at)}


def delete(session: Session, template_id: Any) -> str:
    """Delete a template (workshops started from it keep their setup); returns its name."""
    template = by_id(session, template_id)
    session.delete(template)
    session.flush()
    return template.name


def with_template(session: Session, data: Any) -> Any:
    """The body of a new workshop: with a `template_id`, the template's setup and over it the body's own fields."""
    if not isinstance(data, dict) or data.get("template_id") in (None, ""):
        return {k: v for k, v in data.items() if k != "template_id"} if isinstance(data, dict) else data
    given = {k: v for k, v in data.items() if k != "template_id"}
    return {**by_id(session, data["template_id"]).setup, **given}


def document(template: WorkshopTemplate) -> bytes:
    """The template as a JSON file to share with another server."""
    data = {"kind": KIND, "schema_version": SCHEMA_VERSION, "name": template.name, "setup": template.setup}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def import_document(session: Session, data: Any, name: Any = None) -> WorkshopTemplate:
    """A template from a file `document` wrote (checked whole; `name` replaces the file's own)."""
    data = validate.payload(data)
    unknown = sorted(set(data) - {"kind", "schema_version", "name", "setup"})
    if data.get("kind") != KIND or unknown:
        raise DomainError("bad_request", f"This is not a workshop template ('kind' must be '{KIND}').")
    if data.get("schema_version") != SCHEMA_VERSION or isinstance(data.get("schema_version"), bool):
        raise DomainError("bad_request", f"Unsupported schema_version (this server reads version {SCHEMA_VERSION}).")
    return save(session, name if name else data.get("name"), data.get("setup"))
