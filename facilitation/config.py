"""The one place environment variables are read (each checked: a bad value is a SettingError naming
the variable and what it accepts); paths to templates/, static/ and exports/."""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit

import sqlalchemy as sa

PACKAGE = Path(__file__).resolve().parent
# Installed from the wheel, templates/, static/ and exports/ are inside the package; in a checkout, beside it.
ROOT = PACKAGE if (PACKAGE / "templates").is_dir() else PACKAGE.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
EXPORTS = ROOT / "exports"


class SettingError(ValueError):
    """A setting the app cannot start with; the message names it and says what it accepts."""


def _version() -> str:
    from . import __version__

    return __version__


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """A database that cannot be opened or reached becomes a SettingError naming DATABASE_URL."""
    from alembic.util import CommandError

    try:
        yield
    except CommandError as error:  # a revision this version does not know: a newer one wrote it
        raise SettingError(f"DATABASE_URL: the database's schema is not one this version ({_version()}) "
                           f"can upgrade: {error}; was it used by a newer version?") from None
    except (sa.exc.OperationalError, sa.exc.InterfaceError, OSError) as error:
        cause = getattr(error, "orig", None) or error
        reason = " ".join(str(cause).split()) or type(cause).__name__
        shown = sa.make_url(url).render_as_string(hide_password=True)
        raise SettingError(f"DATABASE_URL: the database {shown} cannot be reached or opened: {reason}") from None


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
        raise SettingError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not 0 < value < float("inf"):
        raise SettingError(f"{name} must be a positive number of seconds, not {raw!r}")
    return int(value) if value.is_integer() else value


def _count(env: Mapping[str, str], name: str, what: str) -> int:
    """A whole number, 0 or more, from the environment variable `name` (0 when unset)."""
    raw = env.get(name, "").strip()
    if not re.fullmatch(r"[0-9]*", raw):
        raise SettingError(f"{name} must be {what}: a whole number, 0 or more, not {raw!r}")
    return int(raw or 0)


SWITCH = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """On or off from the environment variable `name` (1/0, true/false, yes/no, on/off)."""
    raw = env.get(name, "").strip()
    if raw and raw.lower() not in SWITCH:
        raise SettingError(f"{name} must be 1 (on) or 0 (off), not {raw!r}")
    return SWITCH[raw.lower()] if raw else default


def _database_url(raw: str, data_dir: Path) -> str:
    """DATABASE_URL checked: SQLite (a file) or PostgreSQL through psycopg, the app's only two."""
    accepts = "sqlite:///<path to a file> or postgresql+psycopg://<user>:<password>@<host>/<database>"
    if not raw:
        return f"sqlite:///{data_dir / 'facilitation.db'}"
    try:
        url = sa.make_url(raw)
    except sa.exc.ArgumentError:
        raise SettingError(f"DATABASE_URL must be {accepts}; what is set is not a database URL") from None
    shown = url.render_as_string(hide_password=True)
    if url.drivername in ("sqlite", "sqlite+pysqlite") and url.database and url.database != ":memory:":
        return raw
    if url.drivername in ("postgresql", "postgresql+psycopg") and url.database:
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    raise SettingError(f"DATABASE_URL must be {accepts}, not {shown!r}")


def _redis_url(raw: str) -> str | None:
    """REDIS_URL checked: a Redis server (the message queue between processes), or none."""
    scheme = urlsplit(raw).scheme
    if raw and scheme not in ("redis", "rediss", "unix"):
        given = f"{scheme}://…" if "://" in raw else "a value without redis://"  # never echo a password
        raise SettingError(f"REDIS_URL must be redis://<host>:<port>/<db> (or rediss://…, unix://…), not {given}")
    return raw or None


def _origins(raw: str) -> list[str] | None:
    """FACILITATION_ALLOWED_ORIGINS checked: http(s) origins, no paths."""
    origins = [o.strip() for o in raw.split(",") if o.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            raise SettingError("FACILITATION_ALLOWED_ORIGINS must be origins like https://workshop.example.se, "
                               f"separated by commas, not {origin!r}")
    return [o.rstrip("/") for o in origins] or None


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
        raise SettingError(f"{name} names a file that cannot be read: {raw!r} ({error})") from None


def _staff_and_privacy(env: Mapping[str, str]) -> dict[str, Any]:
    """Who may create workshops (a passphrase, an OpenID Connect provider) and the join page's privacy notice."""
    issuer = env.get("FACILITATION_OIDC_ISSUER", "").strip().rstrip("/") or None
    client_id = env.get("FACILITATION_OIDC_CLIENT_ID", "").strip() or None
    if bool(issuer) != bool(client_id):
        raise SettingError("FACILITATION_OIDC_ISSUER and FACILITATION_OIDC_CLIENT_ID are set together or not at all")
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


def _public_address(env: Mapping[str, str]) -> dict[str, Any]:
    """FACILITATION_BASE_URL, the site's address that links, the QR code and the CSP are built from,
    and FACILITATION_ALLOWED_HOSTS; only their Host headers are answered (TRUSTED_HOSTS). Neither
    set: links follow the request's Host, and any Host is answered (fine on one's own machine only)."""
    from werkzeug.sansio.utils import host_is_trusted  # the check Flask's TRUSTED_HOSTS makes

    base = env.get("FACILITATION_BASE_URL", "").strip().rstrip("/") or None
    parts = urlsplit(base or "")
    if base and (parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
                 or parts.username is not None or not host_is_trusted(parts.netloc)):
        raise SettingError(f"FACILITATION_BASE_URL must be the site's address, like https://workshop.kommun.se, "
                           f"not {base!r}")
    hosts = [host.strip().lower() for host in env.get("FACILITATION_ALLOWED_HOSTS", "").split(",") if host.strip()]
    for host in hosts:
        if not host_is_trusted(host.removeprefix(".")):
            raise SettingError(f"FACILITATION_ALLOWED_HOSTS must be host names separated by commas "
                               f"(.kommun.se: it and every subdomain), not {host!r}")
    trusted = ([parts.hostname] if base else []) + hosts
    return {"BASE_URL": base, "TRUSTED_HOSTS": trusted or None}

def load(overrides: Mapping[str, Any] | None, instance_path: str) -> dict[str, Any]:
    """The app's configuration: environment first, then `overrides` (tests pass these)."""
    env = os.environ
    overrides = dict(overrides or {})
    data_dir = Path(overrides.get("DATA_DIR") or env.get("FACILITATION_DATA_DIR") or instance_path)
    _private_folder(data_dir)
    config: dict[str, Any] = {
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": _database_url(env.get("DATABASE_URL", "").strip(), data_dir),
        "REDIS_URL": _redis_url(env.get("REDIS_URL", "").strip()),
        "ALLOWED_ORIGINS": _origins(env.get("FACILITATION_ALLOWED_ORIGINS", "")),
        "ASYNC_MODE": _listed(env, "FACILITATION_ASYNC_MODE", ("threading", "gevent")),
        "AUTO_MIGRATE": _switch(env, "FACILITATION_AUTO_MIGRATE", True),
        "RATE_LIMITS": _switch(env, "FACILITATION_RATE_LIMITS", True),
        # Reverse proxies in front of the app (X-Forwarded-For/-Proto/-Host trusted that many hops).
        "PROXY_HOPS": _count(env, "FACILITATION_PROXY_HOPS", "the number of reverse proxies in front of the app"),
        # Engine.IO heartbeat: a connection that answers no ping for PING_INTERVAL + PING_TIMEOUT is closed.
        "PING_INTERVAL": _seconds(env, "FACILITATION_PING_INTERVAL", 20),
        "PING_TIMEOUT": _seconds(env, "FACILITATION_PING_TIMEOUT", 20),
        **_public_address(env),
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
