"""Quotes mended after they were captured: the facilitator corrects or removes one, in every
phase (`closed` too: quotes are part of the record)."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import snapshot
from ..models import Quote
from . import validate
from .changes import QuoteDeleted, QuoteUpdated
from .errors import DomainError
from .guards import Actor, owned, require_role, workshop_of
from .outcome import Outcome

LIMITS = {"text": validate.QUOTE, "speaker": validate.SHORT, "role": validate.SHORT}


def _quote(session: Session, actor: Actor, data: dict[str, Any]) -> Quote:
    require_role(actor, "facilitator")
    workshop = workshop_of(session, actor)
    return owned(session, Quote, validate.identifier(data.get("quote_id"), "quote_id"), workshop.id, "quote")


def edit(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    """Change any of a quote's text, speaker and role (the fields left out stay as they are)."""
    quote = _quote(session, actor, data)
    fields = {name: validate.text(data[name], name, limit, required=(name == "text"))
              for name, limit in LIMITS.items() if name in data}
    if not fields:
        raise DomainError("bad_request", "Give at least one of 'text', 'speaker' and 'role'.")
    for name, value in fields.items():
        setattr(quote, name, value)
    session.flush()
    return Outcome({"quote": snapshot.quote_view(quote)}, [QuoteUpdated(quote.id)])


def delete(session: Session, actor: Actor, data: dict[str, Any]) -> Outcome:
    quote = _quote(session, actor, data)
    quote_id, workshop_id = quote.id, quote.workshop_id
    session.delete(quote)
    session.flush()
    return Outcome({"quote_id": quote_id}, [QuoteDeleted(workshop_id, quote_id)])
