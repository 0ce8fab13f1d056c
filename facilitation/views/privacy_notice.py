"""The privacy notice on the join page: the site's own text (FACILITATION_PRIVACY_NOTICE), else a default.

The default says what is stored, why, for how long, who sees it and whom to ask, in the page's language."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from ..extensions import db
from ..operations import access, retention
from ..operations.errors import DomainError


def paragraphs(text: str) -> list[str]:
    """A plain text as paragraphs: blank lines separate them, single line breaks are kept within one."""
    blocks = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).split("\n\n")
    return [block.strip("\n") for block in blocks if block.strip()]


def default_notice(days: int, contact: str | None) -> list[str]:
    """The notice for a site that wrote none of its own (`days` 0: workshops are not deleted automatically)."""
    ask = (_("Questions about your data: %(contact)s.", contact=contact) if contact else
           _("Questions about your data: ask the facilitator, who can tell you who is responsible for it."))
    return [
        _("What is stored: what you write, and the name, organisation and table you give (all optional), "
          "with the dots you put and when you joined. No account and no e-mail address."),
        _("Why: to run the workshop and to write its record, the documentation the organiser keeps."),
        _("For how long: the workshop and everything written in it are deleted %(days)d days after it is closed. "
          "A record the organiser downloaded is kept under their own rules for documents.", days=days) if days else
        _("For how long: the workshop and everything written in it are kept until the organiser deletes it. "
          "A record the organiser downloaded is kept under their own rules for documents."),
        _("Who sees it: everyone in the room sees the notes on the big screen, without names in an anonymous "
          "workshop. The facilitator and your theme group see the name you give; the record lists the names "
          "with their organisations."),
        ask,
    ]


def notice(code: str | None = None) -> list[str]:
    """The paragraphs to show, in the page's language (an English workshop gets FACILITATION_PRIVACY_NOTICE_EN
    if set); the default names how long the workshop `code` is kept (its own setting, else the site's)."""
    config = current_app.config
    own = config.get("PRIVACY_NOTICE")
    if str(get_locale() or "sv") == "en" and config.get("PRIVACY_NOTICE_EN"):
        own = config["PRIVACY_NOTICE_EN"]
    if own:
        return paragraphs(own)
    return default_notice(_days_kept(code), config.get("PRIVACY_CONTACT"))


def _days_kept(code: str | None) -> int:
    """Days the workshop is kept after closing; 0: until someone deletes it."""
    site_days = current_app.config.get("RETENTION_DAYS", retention.DEFAULT_DAYS)
    if code is None:
        return site_days
    with db.read() as session:
        try:
            return retention.days_kept(access.workshop_by_code(session, code), site_days) or 0
        except DomainError:
            return site_days


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(privacy_notice=notice)
