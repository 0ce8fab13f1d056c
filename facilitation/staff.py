"""Who may create and import workshops: the site's passphrase, its identity provider, and the staff sign-in kept in the session.

No Flask here: the views (views/staff_auth.py) pass the app's configuration and the session in."""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any, Mapping, MutableMapping

SESSION_KEY = "staff"
SIGNED_IN_SECONDS = 12 * 3600  # one working day; then the passphrase or the sign-in is asked again


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


@dataclass(frozen=True)
class StaffPolicy:
    """The site's settings for who is staff (FACILITATION_STAFF_PASSPHRASE, FACILITATION_OIDC_*)."""

    passphrase: str | None = None
    issuer: str | None = None
    client_id: str | None = None
    groups_claim: str = "groups"
    allowed_groups: frozenset[str] = frozenset()
    allowed_emails: frozenset[str] = frozenset()  # lower case; "@kommun.se" allows a whole domain

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> StaffPolicy:
        return cls(passphrase=config.get("STAFF_PASSPHRASE"), issuer=config.get("OIDC_ISSUER"),
                   client_id=config.get("OIDC_CLIENT_ID"), groups_claim=config.get("OIDC_GROUPS_CLAIM") or "groups",
                   allowed_groups=frozenset(config.get("OIDC_ALLOWED_GROUPS") or ()),
                   allowed_emails=frozenset(e.lower() for e in config.get("OIDC_ALLOWED_EMAILS") or ()))

    @property
    def open(self) -> bool:
        """Neither a passphrase nor an identity provider: anyone who reaches the server may create workshops."""
        return not self.passphrase and not self.issuer

    def passphrase_matches(self, given: str | None) -> bool:
        """Whether `given` is the site's passphrase, compared in constant time (of equal-length digests)."""
        if not self.passphrase or given is None:
            return False
        return hmac.compare_digest(_digest(given), _digest(self.passphrase))

    def admits(self, claims: Mapping[str, Any]) -> bool:
        """Whether the identity provider's account (its ID token and userinfo claims) is staff here.

        Without allowed groups or e-mail addresses every account the provider signs in is."""
        if not self.allowed_groups and not self.allowed_emails:
            return True
        groups = claims.get(self.groups_claim) or []
        groups = {groups} if isinstance(groups, str) else {str(g) for g in groups if isinstance(g, (str, int))}
        if groups & self.allowed_groups:
            return True
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
            return False
        email = email.strip().lower()
        return email in self.allowed_emails or "@" + email.rsplit("@", 1)[1] in self.allowed_emails

    def seal(self, secret_key: str) -> str:
        """A fingerprint of these settings: a sign-in made under another passphrase or provider no longer counts."""
        settings = "\0".join([self.passphrase or "", self.issuer or "", self.client_id or "", self.groups_claim,
                              *sorted(self.allowed_groups), "\0", *sorted(self.allowed_emails)])
        return hmac.new(secret_key.encode(), settings.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:32]


def grant(session: MutableMapping[str, Any], policy: StaffPolicy, secret_key: str, via: str, who: str = "",
          now: float | None = None) -> None:
    """Remember in the session that this browser is staff (`via` "passphrase" or "oidc"; `who` to show)."""
    session[SESSION_KEY] = {"via": via, "who": who[:200], "at": int(now if now is not None else time.time()),
                            "seal": policy.seal(secret_key)}


def signed_in(session: Mapping[str, Any], policy: StaffPolicy, secret_key: str,
              now: float | None = None) -> dict[str, Any] | None:
    """The session's staff sign-in while it is valid: under the same settings, for at most SIGNED_IN_SECONDS."""
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict) or policy.open:
        return None
    now = now if now is not None else time.time()
    fresh = isinstance(entry.get("at"), int) and 0 <= now - entry["at"] < SIGNED_IN_SECONDS
    allowed_way = (entry.get("via") == "passphrase" and policy.passphrase) or (entry.get("via") == "oidc" and policy.issuer)
    if fresh and allowed_way and hmac.compare_digest(str(entry.get("seal", "")), policy.seal(secret_key)):
        return entry
    return None


def sign_out(session: MutableMapping[str, Any]) -> None:
    session.pop(SESSION_KEY, None)
