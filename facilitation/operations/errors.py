"""DomainError and the error codes of the protocol."""
from __future__ import annotations

CODES = (
    "bad_request",
    "not_found",
    "forbidden",
    "unauthorized",
    "wrong_phase",
    "voting_closed",  # the results are shown: no dot moves until the facilitator reopens voting
    "nothing_to_undo",
    "vote_budget",
    "theme_vote_limit",
    "group_full",
    "too_long",
    "rate_limited",
    "conflict",
    "workshop_full",
    "template_error",  # the server's record template cannot be rendered (HTTP 500)
)


class DomainError(Exception):
    """A refusal with a protocol error code and a message a person can read."""

    def __init__(self, code: str, message: str) -> None:
        assert code in CODES, code
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
