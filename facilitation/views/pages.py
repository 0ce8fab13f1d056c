"""What every HTML page shares: security headers, the workshop a page is about, error pages."""
from __future__ import annotations

from typing import Any, Callable

from flask import Flask, Response, abort, jsonify, make_response, render_template, request
from flask_babel import get_locale

from .. import hosts, i18n, ratelimit
from ..exporters import prose
from ..extensions import db
from ..models import Workshop
from ..operations import access
from ..operations.errors import DomainError

# No inline script or style anywhere: pages use modules and data attributes.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self' {sockets}; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP.format(sockets=hosts.socket_sources())
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def workshop_page(code: str, proof: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """The workshop a page is about, as the page needs it; a 404 page for an unknown code
    (`proof`: the request's token or key for it, see ratelimit.looked_up).

    Sets the request's language to the workshop's, so call it before anything is translated."""
    with db.read() as session:
        try:
            workshop: Workshop = ratelimit.looked_up(code, lambda c: access.workshop_by_code(session, c), proof)
        except ratelimit.RateLimited:
            raise
        except DomainError:
            abort(404)
        info = {
            "code": workshop.code,
            "title": workshop.title,
            "organisation": workshop.organisation,
            "location": workshop.location,
            "language": workshop.language,
            "date": workshop.date,
            "phase": workshop.phase,
        }
    i18n.use_workshop_language(info["language"])
    # The record's own long date ("14 september 2021", "14 September 2021"), so pages and record agree.
    info["date_text"] = prose.long_date(info["date"].isoformat() if info["date"] else None, info["language"])
    info["join_url"] = hosts.public_url("participant.join", code=info["code"])
    info["short_join_url"] = info["join_url"].split("://", 1)[-1]
    return info


def error_page(error, reason: str | None = None):
    code = getattr(error, "code", 500) or 500
    return render_template("error.html", status=code, reason=reason), code


def thanks_page(workshop: dict[str, Any]):
    """What a closed workshop shows participants and screens: its title and a thank-you, nothing of its content."""
    return render_template("thanks.html", workshop=workshop)


def rate_limited(error: ratelimit.RateLimited):
    """Too many wrong codes from this address: 429, and when to try again (JSON under /api/)."""
    if request.path.startswith("/api/"):
        response = jsonify(error=error.as_dict())
    else:
        response = make_response(render_template("error.html", status=429, retry_after=error.retry_after))
    response.status_code = 429
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
    app.register_error_handler(ratelimit.RateLimited, rate_limited)
    app.jinja_env.globals.update(js_messages=i18n.js_messages, phase_texts=i18n.phase_texts,
                                 current_locale=lambda: str(get_locale() or "sv"))
