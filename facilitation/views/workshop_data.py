"""The workshop's data, for its facilitator: what it holds and how long it is kept, the downloads,
a new console link, and deleting it: the console's page and `DELETE /api/workshops/<code>`."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import identity, pipeline, ratelimit
from ..extensions import db
from ..forms import DeleteWorkshopForm, NewKeyForm, RetentionForm
from ..operations import access, limits, retention, workshops
from ..operations.errors import DomainError
from ..operations.guards import Actor
from . import api, exports
from .pages import error_page, workshop_page
from .record_page import DOWNLOADS

bp = Blueprint("workshop_data", __name__, url_prefix="/console")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, error_page)
api_bp = Blueprint("workshop_api", __name__, url_prefix="/api")
api_bp.register_error_handler(DomainError, exports.refusal)
api_bp.register_error_handler(404, api.not_found)
api_bp.register_error_handler(405, api.wrong_method)


def _site_days() -> int:
    return current_app.config["RETENTION_DAYS"]


def _facts(code: str) -> dict[str, Any]:
    """What the page says about the workshop's data: how much it holds, how long it is kept."""
    with db.read() as s:
        workshop = access.workshop_by_code(s, code)
        return {"held": limits.held(s, workshop.id), "phase": workshop.phase,
                "own_days": workshop.retention_days, "site_days": _site_days(),
                "days": retention.days_kept(workshop, _site_days()), "due": retention.deletion_due(workshop, _site_days())}


def _page(code: str, *, retention_form: RetentionForm | None = None, delete_form: DeleteWorkshopForm | None = None):
    workshop = workshop_page(code)
    facts = _facts(code)
    retention_form = retention_form or RetentionForm(data={"retention_days": facts["own_days"]})
    page = render_template("console/data.html", workshop=workshop, facts=facts, downloads=DOWNLOADS,
                           retention_form=retention_form, delete_form=delete_form or DeleteWorkshopForm(),
                           key_form=NewKeyForm())
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/<code>/data")
def show(code: str):
    """What the workshop holds, the downloads, how long it is kept, a new console link, deletion."""
    identity.require_console(code)
    return _page(code)


@bp.post("/<code>/retention")
def keep(code: str):
    """How many days after closing this workshop is deleted (empty: the site's setting)."""
    identity.require_console(code)
    form = RetentionForm()
    if not form.validate_on_submit():
        return _page(code, retention_form=form)
    with db.read() as s:
        workshop = access.workshop_by_code(s, code)
        actor, code = Actor(workshop.id, "facilitator", access.facilitator_of(s, workshop).id), workshop.code
    pipeline.perform(actor, "update_workshop", {"retention_days": form.retention_days.data})
    flash(_("Saved."))
    return redirect(url_for("workshop_data.show", code=code))


@bp.post("/<code>/delete")
def delete(code: str):
    """Delete the workshop for good, once the box is ticked; its screens and phones are told."""
    identity.require_console(code)
    form = DeleteWorkshopForm()
    if not form.validate_on_submit():
        return _page(code, delete_form=form)
    pipeline.write(lambda s: workshops.delete(s, access.workshop_by_code(s, code)))
    retention.scrub(db.engine)
    identity.sign_out(access.normalise_code(code))
    return redirect(url_for("workshop_data.deleted"))


@bp.get("/deleted")
def deleted():
    return render_template("console/deleted.html")


@api_bp.delete("/workshops/<code>")
def delete_by_api(code: str):
    """204 and the workshop is gone: every address of it answers 404 from now on."""
    def work(s):
        workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c),
                                       lambda c: identity.check_api_facilitator(s, access.workshop_by_code(s, c)))
        identity.check_api_facilitator(s, workshop)
        return workshops.delete(s, workshop)

    pipeline.write(work)
    retention.scrub(db.engine)
    return "", 204

