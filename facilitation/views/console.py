"""The facilitator's console: create a workshop, then run the day from it."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import pipeline, ratelimit
from ..extensions import db
from ..forms import StaffSignOutForm
from ..operations import access, workshops
from ..operations.errors import DomainError
from ..ratelimit import limiter
from . import staff_auth
from .exports import session_key
from .pages import error_page, workshop_page
from .screen import projector_link

bp = Blueprint("console", __name__, url_prefix="/console")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, error_page)


def _token_key(code: str) -> str:
    return f"facilitator_token:{code}"


def _authorise(code: str, token: str) -> None:
    session.permanent = True
    session[session_key(code)] = True
    session[_token_key(code)] = token


def _facilitator_token(code: str) -> str:
    """The facilitator token kept in this browser's session; 403 when it has none."""
    token = session.get(_token_key(code))
    if not session.get(session_key(code)) or not token:
        abort(403)
    return token


@bp.route("/", methods=["GET", "POST"])
def start():
    """The form for a new workshop (for staff only where the site says so: views/staff_auth.py)."""
    if staff_auth.needs_identity_provider():
        return staff_auth.sign_in_page(status=403 if request.method == "POST" else 200)
    form = staff_auth.workshop_form()
    if form.validate_on_submit():
        if not limiter().allow("create_workshop", request.remote_addr or "?"):
            form.title.errors.append(_("Too many workshops created from here; wait a little."))
        elif not staff_auth.admitted(form):
            pass  # a wrong passphrase: the error is at its field, nothing is created
        else:
            try:
                workshop, token = pipeline.write(lambda s: workshops.create(s, form.workshop_fields()))
                code = workshop.code  # kept after the commit (expire_on_commit=False)
            except DomainError as error:
                form.title.errors.append(error.message)
            else:
                _authorise(code, token)
                return redirect(url_for("console.created", code=code))
    return render_template("console/start.html", form=form, sign_out=StaffSignOutForm())


@bp.get("/<code>/created")
def created(code: str):
    """The links to keep: the console (to bookmark), the projector, the join link."""
    workshop = workshop_page(code)
    token = _facilitator_token(code)
    console_url = url_for("console.run", code=code, key=token, _external=True)
    projector_url = projector_link(workshop["code"])
    return render_template("console/created.html", workshop=workshop, console_url=console_url,
                           projector_url=projector_url)


@bp.get("/<code>")
def run(code: str):
    """The console. `?key=` is taken once, kept in the session, and dropped from the address."""
    key = request.args.get("key")
    if key is not None:
        with db.read() as s:
            try:
                workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c))
                access.check_facilitator_token(s, workshop, key)
            except ratelimit.RateLimited:
                raise
            except DomainError as error:
                abort(404 if error.code == "not_found" else 403)
        _authorise(code, key)
        return redirect(url_for("console.run", code=code))
    workshop = workshop_page(code)
    token = _facilitator_token(code)
    response = render_template("console/run.html", workshop=workshop, token=token,
                               projector_url=projector_link(workshop["code"]))
    return response, 200, {"Cache-Control": "no-store"}
