"""The facilitator's console: create a workshop, then run the day from it."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import hosts, pipeline, ratelimit
from .. import identity
from ..extensions import db
from ..forms import ConsoleSignOutForm, NewKeyForm
from ..forms import StaffSignOutForm
from ..operations import access, workshops
from ..operations.changes import ConnectionsClosed
from ..operations.errors import DomainError
from ..operations.outcome import Outcome
from ..ratelimit import limiter
from . import staff_auth, workshop_templates
from .pages import error_page, workshop_page
from .screen import projector_link

bp = Blueprint("console", __name__, url_prefix="/console")
bp.register_error_handler(404, error_page)
bp.register_error_handler(403, error_page)


def _authorise(code: str, token: str) -> None:
    """This browser is the console of `code` from now on; the new key's link is shown once."""
    identity.sign_in(code, access.hash_token(token))
    identity.keep_link_to_show(code, token)


@bp.route("/", methods=["GET", "POST"])
def start():
    """The form for a new workshop (for staff only where the site says so: views/staff_auth.py)."""
    if staff_auth.needs_identity_provider():
        return staff_auth.sign_in_page(status=403 if request.method == "POST" else 200)
    form = staff_auth.workshop_form(**workshop_templates.prefilled())
    if not form.is_submitted() and not request.args.get("template"):
        form.language.data = str(get_locale() or "sv")  # the page "In English": an English workshop, unless chosen otherwise
    if form.validate_on_submit():
        if not limiter().allow("create_workshop", request.remote_addr or "?"):
            form.title.errors.append(_("Too many workshops created from here; wait a little."))
        elif not staff_auth.admitted(form):
            pass  # a wrong passphrase: the error is at its field, nothing is created
        else:
            try:
                workshop, token = pipeline.write(
                    lambda s: workshops.create(s, workshop_templates.new_workshop_fields(s, form)))
                code = workshop.code  # kept after the commit (expire_on_commit=False)
            except DomainError as error:
                form.title.errors.append(error.message)
            else:
                _authorise(code, token)
                return redirect(url_for("console.created", code=code))
    return render_template("console/start.html", form=form, sign_out=StaffSignOutForm(),
                           choose=workshop_templates.choice_form())


@bp.get("/<code>/created")
def created(code: str):
    """The links to keep: the console (to bookmark: shown this once), the projector, the join link."""
    workshop = workshop_page(code)
    identity.require_console(code)
    token = identity.take_link_to_show(code)
    console_url = hosts.public_url("console.run", code=code, key=token) if token else None
    projector_url = projector_link(workshop["code"])
    page = render_template("console/created.html", workshop=workshop, console_url=console_url,
                           projector_url=projector_url)
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/<code>")
def run(code: str):
    """The console. `?key=` is taken once: the session keeps a marker (not the key) and the
    browser is sent on at once to the address without it."""
    key = request.args.get("key")
    if key is not None:
        with db.read() as s:
            try:
                workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(s, c),
                                               lambda c: access.check_facilitator_token(s, access.workshop_by_code(s, c), key))
                facilitator = access.check_facilitator_token(s, workshop, key)
                code, token_hash = workshop.code, facilitator.token_hash
            except ratelimit.RateLimited:
                raise
            except DomainError as error:
                abort(404 if error.code == "not_found" else 403)
        identity.sign_in(code, token_hash)
        return redirect(url_for("console.run", code=code))
    workshop = workshop_page(code)
    identity.require_console(code)
    response = render_template("console/run.html", workshop=workshop, sign_out=ConsoleSignOutForm(),
                               projector_url=projector_link(workshop["code"]),
                               save_template=workshop_templates.save_form(workshop))
    return response, 200, {"Cache-Control": "no-store"}



@bp.post("/<code>/sign-out")
def sign_out(code: str):
    """Forget this browser's console session; the console link still works."""
    if not ConsoleSignOutForm().validate_on_submit():
        abort(400)
    identity.sign_out(access.normalise_code(code))
    return redirect(url_for("console.signed_out"))


@bp.get("/signed-out")
def signed_out():
    return render_template("console/signed_out.html")


@bp.post("/<code>/key")
def new_key(code: str):
    """A new console link: the old link, every console signed in with it (their connections are
    closed) and the old API token stop working. The new link is shown once."""
    identity.require_console(code)
    if not NewKeyForm().validate_on_submit():
        abort(400)

    def rotate(s) -> Outcome:
        workshop = access.workshop_by_code(s, code)
        token, sids = access.rotate_facilitator_token(s, workshop)
        return Outcome({"code": workshop.code, "token": token}, [ConnectionsClosed(tuple(sids))])

    answer = pipeline.write(rotate).answer
    _authorise(answer["code"], answer["token"])
    return redirect(url_for("console.created", code=answer["code"]))
