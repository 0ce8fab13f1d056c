"""facilitation: self-hosted, real-time workshops (SWOT, themes, dot votes, theme groups)."""
from __future__ import annotations

from typing import Any, Mapping

__version__ = "0.1.0"  # the one place: pyproject.toml reads it (hatchling's dynamic version)


def create_app(config: Mapping[str, Any] | None = None):
    """Build the Flask app: configuration, extensions, blueprints, socket handlers, CLI.

    Raises config.SettingError for a setting it cannot start with (a database it cannot reach
    included) and installation.MissingFiles when templates or the browser bundle are not installed."""
    from flask import Flask

    from . import config as settings
    from . import commands, events, hosts, i18n, installation, migrate, packets, ratelimit
    from . import identity, logs
    from .extensions import babel, csrf, db, socketio
    from .views import workshop_data
    from .views import api, console, exports, health, pages, participant, record_page, screen
    from .views import privacy_notice, staff_auth
    from .views import workshop_templates

    app = Flask(__name__, template_folder=str(settings.TEMPLATES), static_folder=str(settings.STATIC))
    installation.check()
    try:
        app.config.update(settings.load(config, app.instance_path))
    except OSError as error:  # the data folder or its secret key cannot be made
        raise settings.SettingError(f"FACILITATION_DATA_DIR: {error.filename} cannot be created or written "
                                    f"({error.strerror}); it must be a folder this user may write") from None
    except ValueError as error:  # config.load names the variable and what it accepts
        raise settings.SettingError(str(error)) from None

    with settings.database_errors(app.config["DATABASE_URL"]):
        db.configure(app.config["DATABASE_URL"])
        if app.config["AUTO_MIGRATE"]:
            migrate.upgrade(db.engine)
    csrf.init_app(app)
    babel.init_app(app, default_locale="sv", locale_selector=i18n.select_locale)
    ratelimit.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        manage_session=True,
        ping_interval=app.config["PING_INTERVAL"],
        ping_timeout=app.config["PING_TIMEOUT"],
        max_http_buffer_size=1_000_000,
        serializer=packets.Packet,  # answers an event whose JSON cannot be read
    )
    events.register(socketio)
    if app.config.get("TRUSTED_HOSTS"):  # Flask checks the pages' Host; this, Socket.IO's
        app.wsgi_app = hosts.SocketHostCheck(app.wsgi_app, app.config["TRUSTED_HOSTS"])  # type: ignore[method-assign]
    if app.config["PROXY_HOPS"]:
        # Outermost, so that pages, the API and Socket.IO all see the client's address and host.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(exports.bp)
    csrf.exempt(exports.bp)
    app.register_blueprint(workshop_data.api_bp)
    csrf.exempt(workshop_data.api_bp)
    app.register_blueprint(workshop_data.bp)
    app.register_blueprint(workshop_templates.api_bp)
    csrf.exempt(workshop_templates.api_bp)
    app.register_blueprint(workshop_templates.bp)
    for blueprint in (participant.bp, screen.bp, console.bp, record_page.bp, health.bp):
        app.register_blueprint(blueprint)
    pages.init_app(app)
    identity.init_app(app)
    logs.init_app(app)
    staff_auth.init_app(app)
    privacy_notice.init_app(app)
    commands.init_app(app)
    return app
