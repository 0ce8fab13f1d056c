"""The phone: find a workshop by its code, join it (name optional), and take part."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, session, url_for
from flask_babel import gettext as _

from .. import pipeline, ratelimit
from ..extensions import db
from ..forms import CodeForm, JoinForm
from ..operations import access
from ..operations.errors import DomainError
from .pages import error_page, thanks_page, workshop_page

bp = Blueprint("participant", __name__)
bp.register_error_handler(404, error_page)


def token_key(code: str) -> str:
    return f"participant:{code}"


@bp.route("/", methods=["GET", "POST"])
def home():
    """Type the code shown on the big screen."""
    form = CodeForm()
    if form.validate_on_submit():
        code = access.normalise_code(form.code.data)
        with db.read() as s:
            try:
                ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c))
                return redirect(url_for("participant.join", code=code))
            except ratelimit.RateLimited as error:
                form.code.errors.append(_("Too many wrong codes from your network; wait %(seconds)s seconds and try again.",
                                          seconds=error.retry_after))
                return render_template("participant/home.html", form=form), 429, {"Retry-After": str(error.retry_after)}
            except DomainError:
                form.code.errors.append(_("No workshop has that code. Check it on the big screen."))
    return render_template("participant/home.html", form=form)


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str):
    """The phone page: the join form for a newcomer, the workshop for someone who has joined."""
    normal = access.normalise_code(code)
    if normal != code:
        return redirect(url_for("participant.join", code=normal))
    workshop = workshop_page(code, proof=lambda c: bool(_known_token(c)))
    if workshop["phase"] == "closed":
        return thanks_page(workshop)
    form = JoinForm()
    status, headers = 200, {}
    join_error = None  # about joining, not about a field: shown beside the button
    if form.validate_on_submit():
        auth = {"code": code, "name": form.name.data or None,
                "organisation": form.organisation.data or None, "table": form.table.data or None}
        try:
            joining = ratelimit.limiter().joining(ratelimit.client_address(), code)
            if joining is not None:
                raise joining
            token = pipeline.write(lambda s: access.admit(s, auth)[2])
        except DomainError as error:
            if error.code == "wrong_phase":  # closed while the form was being filled in: the thank-you at once
                return thanks_page(workshop)
            if isinstance(error, ratelimit.RateLimited):  # the room's pace: the same form, press again
                status, headers = 429, {"Retry-After": str(error.retry_after)}
            message = {"workshop_full": _("The workshop is full; no one more can join."),
                       "rate_limited": _("Many people are joining right now; press the button again in a moment.")
                       }.get(error.code, error.message)
            join_error = message
        else:
            session.permanent = True
            session[token_key(code)] = token
            return redirect(url_for("participant.join", code=code))
    page = render_template("participant/phone.html", workshop=workshop, form=form, token=_known_token(code),
                           join_error=join_error)
    return page, status, headers


def _known_token(code: str) -> str:
    """The participant token this browser's session holds, if it still admits to the workshop."""
    token = session.get(token_key(code))
    if not token:
        return ""
    with db.read() as s:
        try:
            access.admit(s, {"code": code, "participant_token": token})
        except DomainError:
            session.pop(token_key(code), None)
            return ""
    return token
