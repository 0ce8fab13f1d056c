"""Staff sign-in: the site's passphrase on the form for a new workshop, or the organisation's identity provider.

OpenID Connect through Authlib: discovery at `<issuer>/.well-known/openid-configuration`, the
authorization code flow with PKCE (S256), state and nonce kept in the session and checked on the
way back. Without FACILITATION_STAFF_PASSPHRASE and FACILITATION_OIDC_ISSUER creation stays open."""
from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import staff
from ..forms import StaffSignOutForm, StaffWorkshopForm, WorkshopForm
from ..operations.errors import DomainError
from .pages import error_page

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.register_error_handler(404, error_page)
log = logging.getLogger(__name__)

PASSPHRASE_HEADER = "X-Staff-Passphrase"


def init_app(app: Flask) -> None:
    """The site's staff policy, and the identity provider as an Authlib client when one is set."""
    site = staff.StaffPolicy.from_config(app.config)
    app.extensions["facilitation.staff"] = site
    if site.issuer:
        secret = app.config.get("OIDC_CLIENT_SECRET")
        oauth = OAuth(app)
        oauth.register(
            "idp",
            client_id=site.client_id,
            client_secret=secret,
            server_metadata_url=f"{site.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": app.config["OIDC_SCOPE"], "code_challenge_method": "S256",
                           **({} if secret else {"token_endpoint_auth_method": "none"})},
        )
        app.extensions["facilitation.oidc"] = oauth
    app.register_blueprint(bp)
    app.jinja_env.globals.update(staff_sign_in=current_sign_in, staff_policy=policy)


def policy() -> staff.StaffPolicy:
    return current_app.extensions["facilitation.staff"]


def current_sign_in() -> dict[str, Any] | None:
    """This browser's valid staff sign-in, if any."""
    return staff.signed_in(session, policy(), current_app.secret_key)


def is_staff() -> bool:
    """Whether this browser may create workshops: an open site, or a valid staff sign-in."""
    return policy().open or current_sign_in() is not None


def needs_identity_provider() -> bool:
    """Only the organisation's sign-in would do, and this browser has not signed in: show the sign-in page."""
    return not is_staff() and not policy().passphrase


def workshop_form(**kwargs: Any) -> WorkshopForm:
    """The form for a new workshop, with the passphrase field while the site asks for it."""
    return StaffWorkshopForm(**kwargs) if not is_staff() and policy().passphrase else WorkshopForm(**kwargs)


def admitted(form: WorkshopForm) -> bool:
    """Whether this submitted form may create a workshop; a wrong passphrase is put at its field."""
    if is_staff():
        return True
    passphrase = getattr(form, "passphrase", None)
    if passphrase is None or not policy().passphrase_matches(passphrase.data):
        if passphrase is not None:
            passphrase.errors.append(_("That is not the site's passphrase."))
        return False
    session.permanent = True
    staff.grant(session, policy(), current_app.secret_key, "passphrase")
    return True


def check_api_request() -> None:
    """The API's creation and import: refused unless the site is open or the request has the passphrase."""
    current = policy()
    if current.open:
        return
    given = request.headers.get(PASSPHRASE_HEADER)
    if given is None:
        raise DomainError("unauthorized", f"Only staff may create workshops on this server: "
                                          f"send the site's passphrase in the {PASSPHRASE_HEADER} header.")
    if not current.passphrase_matches(_utf8(given)):
        raise DomainError("forbidden", "That is not the site's passphrase.")


def _utf8(header: str) -> str:
    """A header's value as UTF-8 where its bytes are (headers arrive decoded as Latin-1)."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def sign_in_page(error: str | None = None, status: int = 200):
    """The page that sends staff to the organisation's sign-in (the create page's stand-in until then)."""
    return render_template("console/sign_in.html", error=error), status


def _provider():
    """The identity provider's Authlib client; 404 on a site without one."""
    oauth = current_app.extensions.get("facilitation.oidc")
    if oauth is None:
        abort(404)
    return oauth.idp


def _unreachable(error: Exception):
    log.warning("identity provider unreachable: %s", error)
    return sign_in_page(_("The organisation's sign-in cannot be reached just now; try again in a while."), 503)


@bp.get("/sign-in")
def sign_in():
    """Off to the identity provider; it sends the browser back to `callback`."""
    client = _provider()
    try:
        return client.authorize_redirect(url_for("staff.callback", _external=True))
    except requests.RequestException as error:
        return _unreachable(error)


@bp.get("/callback")
def callback():
    """Back from the identity provider: check state, nonce and PKCE (Authlib), then whether the account is staff."""
    client = _provider()
    try:
        token = client.authorize_access_token()
        claims = dict(client.userinfo(token=token)) if "userinfo_endpoint" in client.load_server_metadata() else {}
        claims.update(token.get("userinfo") or {})  # the ID token's claims, checked by Authlib, win
    except AuthlibBaseError as error:  # the provider's error, a wrong state or nonce, a bad ID token
        log.info("sign-in not completed: %s", error.error)
        return sign_in_page(_("The sign-in was not completed. Try again."), 400)
    except requests.RequestException as error:
        return _unreachable(error)
    if not claims.get("sub") or not policy().admits(claims):
        return sign_in_page(_("Your account is not among those that may create workshops on this server. "
                              "Ask whoever runs it to let you in."), 403)
    who = next((str(claims[k]) for k in ("name", "email", "preferred_username", "sub") if claims.get(k)), "")
    session.permanent = True
    staff.grant(session, policy(), current_app.secret_key, "oidc", who)
    return redirect(url_for("console.start"))


@bp.post("/sign-out")
def sign_out():
    """Forget this browser's staff sign-in (not the identity provider's own session)."""
    if StaffSignOutForm().validate_on_submit():
        staff.sign_out(session)
    return redirect(url_for("console.start"))
