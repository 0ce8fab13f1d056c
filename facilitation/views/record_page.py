"""The record as a page in the console (print it, or save it as a PDF), and an edit mode for its texts."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import unicodedata
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import Field

from .. import identity, pipeline, record
from ..exporters import prose
from ..exporters.labels import labels
from ..extensions import db
from ..forms import RecordTextsForm
from ..operations import access
from ..operations.errors import DomainError
from ..operations.guards import Actor
from .pages import error_page, workshop_page

bp = Blueprint("record_page", __name__, url_prefix="/console")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, error_page)
log = logging.getLogger(__name__)

DOWNLOADS = (("docx", "Word"), ("md", "Markdown"), ("xlsx", "Excel"), ("json", "JSON"))
WORKSHOP_TEXTS = ("opening", "introduction", "purpose", "questions", "panel", "round_question", "method", "conclusion")
GENERATED = {"opening": prose.generated_intro, "method": prose.generated_method}  # the default of a text left empty


def swot_fits_a_page(built: dict[str, Any], lines_per_page: int = 48, line_length: int = 45) -> bool:
    """Whether the printed SWOT matrix (two columns on A4) is short enough to keep on one page."""
    def lines(quadrant: str) -> float:
        return sum(math.ceil(max(len(line), 1) / line_length) + 0.3
                   for item in built["swot"][quadrant] for line in item["text"].split("\n"))
    rows = [max(lines(left), lines(right)) + 2 for left, right in (("strengths", "weaknesses"), ("opportunities", "threats"))]
    return sum(rows) <= lines_per_page


def _context(built: dict[str, Any]) -> dict[str, Any]:
    """What the record templates show: the record, its fixed words and its generated sentences."""
    lang = prose.language(built)
    return {"r": built, "w": built["workshop"], "t": labels(lang), "heading": prose.title(built),
            "intro": prose.intro(built), "method": prose.method(built), "facilitated": prose.facilitated(built),
            "votes": lambda n: prose.votes(n, lang), "members": lambda group: prose.members(group, lang),
            "paragraphs": prose.paragraphs,
            "downloads": DOWNLOADS, "groups": {g["id"]: g for g in built["groups"]},
            "swot_fits_a_page": swot_fits_a_page(built)}


def _record(code: str) -> dict[str, Any]:
    with db.read() as s:
        return record.build_for_code(s, code)


@bp.get("/<code>/record")
def show(code: str):
    """The record as it would be exported now, with links to the downloads and the edit mode."""
    workshop = workshop_page(code)
    identity.require_console(code)
    page = render_template("console/record.html", workshop=workshop, **_context(_record(code)))
    return page, 200, {"Cache-Control": "no-store"}


def _fingerprint(text: str) -> str:
    """A short digest of a text as the server keeps it (NFC, trimmed)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).strip().encode("utf-8")).hexdigest()[:16]


def _texts_of(built: dict[str, Any]) -> dict[str, str]:
    """The record's editable texts by name as the form shows them: lists one entry per line, a
    generated sentence (`GENERATED`) where the facilitator has written none."""
    w = built["workshop"]
    texts = {name: w[name] or "" for name in ("introduction", "purpose", "round_question", "conclusion")}
    texts.update({name: w[name] or write(built) for name, write in GENERATED.items()})
    texts.update({name: "\n".join(w[name]) for name in ("questions", "panel")})
    texts.update({f"summary-{g['id']}": g["summary"] or "" for g in built["groups"]})
    return texts


def _form_data(built: dict[str, Any]) -> dict[str, Any]:
    texts = _texts_of(built)
    return {**{name: texts[name] for name in WORKSHOP_TEXTS},
            "summaries": [{"group_id": str(g["id"]), "summary": g["summary"]} for g in built["groups"]],
            "loaded": json.dumps({name: _fingerprint(text) for name, text in texts.items()})}


def _loaded(form: RecordTextsForm) -> dict[str, str]:
    """The fingerprints of the texts as the form showed them; empty when missing or garbled."""
    try:
        loaded = json.loads(form.loaded.data or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _perform(actor: Actor, event: str, data: dict[str, Any]) -> DomainError | None:
    """Run one operation on the one path (commit, then broadcast); its refusal (nothing changed) is returned."""
    try:
        pipeline.perform(actor, event, data)
    except DomainError as error:
        return error
    return None


def _refused(field: Field, error: DomainError) -> bool:
    field.errors = [*field.errors, _("Not saved: %(reason)s", reason=error.message)]
    return False


def _save(code: str, form: RecordTextsForm) -> bool:
    """Save the texts the facilitator changed in the form, stopping at a refusal; True when all
    were saved. A text someone else changed meanwhile and the facilitator left alone is kept."""
    loaded = _loaded(form)
    changed = {name: value for name, value in form.workshop_texts().items()
               if _fingerprint("\n".join(value) if isinstance(value, list) else value) != loaded.get(name)}
    with db.read() as s:
        workshop = access.workshop_by_code(s, code)
        actor = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id)
    if changed and (error := _perform(actor, "update_workshop", changed)):
        named = re.search(r"'(\w+)'", error.message)
        return _refused(form[named.group(1) if named and named.group(1) in changed else next(iter(changed))], error)
    for entry in form.summaries:
        group_id, text = entry.group_id.data or "", entry.summary.data or ""
        if _fingerprint(text) != loaded.get(f"summary-{group_id}"):
            if error := _perform(actor, "edit_record_summary", {"group_id": group_id, "text": text}):
                return _refused(entry.summary, error)
    return True


@bp.route("/<code>/record/edit", methods=["GET", "POST"])
def edit(code: str):
    """The record's texts in one form: the first paragraph, introduction, purpose, questions, panel, the SWOT
    round's question and how it went, summaries, closing."""
    workshop = workshop_page(code)
    identity.require_console(code)
    built = _record(code)
    form = RecordTextsForm(data=_form_data(built))
    if form.validate_on_submit() and _save(code, form):
        flash(_("The record's texts are saved."))
        return redirect(url_for("record_page.show", code=code))
    page = render_template("console/record_edit.html", workshop=workshop, form=form, **_context(built))
    return page, 200, {"Cache-Control": "no-store"}
