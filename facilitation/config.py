"""The one place environment variables are read; paths to templates/, static/ and exports/."""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any, Mapping

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
EXPORTS = ROOT / "exports"


def _secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A positive number of seconds from the environment variable `name` (else `default`)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, not {raw!r}")
    return int(value) if value.is_integer() else value


def _private_folder(path: Path) -> None:
    """Create the folder `path` readable by this user only; an existing one of ours is made so too."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700)  # the database, the secret key: no one else on the machine reads them


def _words(env: Mapping[str, str], name: str) -> frozenset[str]:
    """A comma-separated list from the environment variable `name`, as a set (empty entries dropped)."""
    return frozenset(word.strip() for word in env.get(name, "").split(",") if word.strip())


def _notice(env: Mapping[str, str], name: str) -> str | None:
    """A text from `name`: the text itself, or the contents of the file it names (a path starting with / or ./)."""
    raw = env.get(name, "").strip()
    if not raw.startswith(("/", "./", "~")):
        return raw or None
    try:
        return Path(raw).expanduser().read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{name} names a file that cannot be read: {raw!r} ({error})") from None


def _staff_and_privacy(env: Mapping[str, str]) -> dict[str, Any]:
    """Who may create workshops (a passphrase, an OpenID Connect provider) and the join page's privacy notice."""
    issuer = env.get("FACILITATION_OIDC_ISSUER", "").strip().rstrip("/") or None
    client_id = env.get("FACILITATION_OIDC_CLIENT_ID", "").strip() or None
    if bool(issuer) != bool(client_id):
        raise ValueError("FACILITATION_OIDC_ISSUER and FACILITATION_OIDC_CLIENT_ID are set together or not at all")
    return {
        "STAFF_PASSPHRASE": env.get("FACILITATION_STAFF_PASSPHRASE") or None,
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": env.get("FACILITATION_OIDC_CLIENT_SECRET") or None,
        "OIDC_SCOPE": env.get("FACILITATION_OIDC_SCOPE", "").strip() or "openid email profile",
        "OIDC_ALLOWED_GROUPS": _words(env, "FACILITATION_OIDC_ALLOWED_GROUPS"),
        "OIDC_GROUPS_CLAIM": env.get("FACILITATION_OIDC_GROUPS_CLAIM", "").strip() or "groups",
        "OIDC_ALLOWED_EMAILS": frozenset(e.lower() for e in _words(env, "FACILITATION_OIDC_ALLOWED_EMAILS")),
        "PRIVACY_NOTICE": _notice(env, "FACILITATION_PRIVACY_NOTICE"),
        "PRIVACY_NOTICE_EN": _notice(env, "FACILITATION_PRIVACY_NOTICE_EN"),
        "PRIVACY_CONTACT": env.get("FACILITATION_PRIVACY_CONTACT", "").strip() or None,
    }


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    """Whole days, 0 or more, from the environment variable `name` (else `default`)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(f"{name} must be a whole number of days, 0 or more, not {raw!r}")
    return int(raw)


def _listed(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (any case) from the environment variable `name`; the first when unset."""
    raw = env.get(name, "").strip() or choices[0]
    if raw.lower() not in {c.lower() for c in choices}:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")
    return next(c for c in choices if c.lower() == raw.lower())


def _sessions_logs_and_retention(env: Mapping[str, str]) -> dict[str, Any]:
    """The browser session's cookie, the server's log, and how long closed workshops are kept."""
    return {
        # A console session lasts a working day; the console link signs in again.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
        # Secure cookies always (1), or else whenever the request came over HTTPS (identity.SessionInterface).
        "SESSION_COOKIE_SECURE": env.get("FACILITATION_SECURE_COOKIES", "").strip() == "1",
        "LOG_FORMAT": _listed(env, "FACILITATION_LOG_FORMAT", ("text", "json")),
        "LOG_LEVEL": _listed(env, "FACILITATION_LOG_LEVEL", ("INFO", "DEBUG", "WARNING", "ERROR")),
        # Closed workshops are deleted this many days after closing (0: not automatically).
        "RETENTION_DAYS": _days(env, "FACILITATION_RETENTION_DAYS", 30),
        "PURGE_INTERVAL": _seconds(env, "FACILITATION_PURGE_INTERVAL", 3600),
    }


def load(overrides: Mapping[str, Any] | None, instance_path: str) -> dict[str, Any]:
    """The app's configuration: environment first, then `overrides` (tests pass these)."""
    env = os.environ
    overrides = dict(overrides or {})
    data_dir = Path(overrides.get("DATA_DIR") or env.get("FACILITATION_DATA_DIR") or instance_path)
    _private_folder(data_dir)
    origins = env.get("FACILITATION_ALLOWED_ORIGINS", "")
    config: dict[str, Any] = {
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'facilitation.db'}",
        "REDIS_URL": env.get("REDIS_URL") or None,
        "ALLOWED_ORIGINS": [o.strip() for o in origins.split(",") if o.strip()] or None,
        "ASYNC_MODE": env.get("FACILITATION_ASYNC_MODE", "threading"),
        "AUTO_MIGRATE": env.get("FACILITATION_AUTO_MIGRATE", "1") != "0",
        "RATE_LIMITS": env.get("FACILITATION_RATE_LIMITS", "1") != "0",
        # Reverse proxies in front of the app (X-Forwarded-For/-Proto/-Host trusted that many hops).
        "PROXY_HOPS": int(env.get("FACILITATION_PROXY_HOPS", "0") or 0),
        # Engine.IO heartbeat: a connection that answers no ping for PING_INTERVAL + PING_TIMEOUT is closed.
        "PING_INTERVAL": _seconds(env, "FACILITATION_PING_INTERVAL", 20),
        "PING_TIMEOUT": _seconds(env, "FACILITATION_PING_TIMEOUT", 20),
        "BABEL_DEFAULT_LOCALE": "sv",
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        **_sessions_logs_and_retention(env),
        **_staff_and_privacy(env),
    }
    secret = env.get("SECRET_KEY")
    config.update(overrides)
    config["SECRET_KEY"] = config.get("SECRET_KEY") or secret or _secret_key(Path(config["DATA_DIR"]))
    return config
