"""Toekomstplan: a future plan owned by the young person."""

import os
from pathlib import Path

from flask import Flask

from . import config as config_module


def create_app(config: dict | None = None) -> Flask:
    """Build the application; reads like a table of contents and does no other work."""
    # INSTANCE_PATH gives each host its own instance folder (an absolute path).
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    load_config(app, config)
    register_extensions(app)
    register_http(app)
    register_blueprints(app)
    register_templating(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def load_config(app: Flask, overrides: dict | None) -> None:
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    app.config.from_mapping(overrides or {})
    if not app.config.get("SECRET_KEY") and app.config["ENV_NAME"] != "production":
        app.config["SECRET_KEY"] = config_module.instance_secret_key(app.instance_path)
    config_module.check_production(app.config)


def register_extensions(app: Flask) -> None:
    from . import database
    from .auth import sessions
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale

    db.init_app(app)
    database.tune_sqlite()
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    # Before the CSRF check, which reads the whole body: a big upload that must wait anyway
    # is answered before a byte of it is parsed.
    from .media.inflight import refuse_when_busy

    app.before_request(refuse_when_busy)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(sessions.load)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    # Server-side session records (auth/sessions.py) protect sessions; no IP/agent hashing.
    login_manager.session_protection = None


def register_http(app: Flask) -> None:
    """The request class, id URLs and security headers."""
    from . import http

    http.init_app(app)  # before the blueprints: their rules use its id converter


def register_blueprints(app: Flask) -> None:
    from .account.views import bp as account_bp
    from .auth.views import bp as auth_bp
    from .comments.views import bp as comments_bp
    from .export.views import bp as export_bp
    from .goals.views import bp as goals_bp
    from .health import bp as health_bp
    from .help.views import bp as help_bp
    from .i18n import bp as i18n_bp
    from .media.views import bp as media_bp
    from .orgs.views import bp as orgs_bp
    from .plainlanguage.views import bp as plainlanguage_bp
    from .plan.views import bp as plan_bp
    from .sharing.views import bp as sharing_bp

    for bp in (
        health_bp,
        auth_bp,
        account_bp,
        plan_bp,
        goals_bp,
        comments_bp,
        media_bp,
        sharing_bp,
        orgs_bp,
        export_bp,
        help_bp,
        plainlanguage_bp,
        i18n_bp,
    ):
        app.register_blueprint(bp)


def register_templating(app: Flask) -> None:
    from . import templating

    templating.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from .commands import demo_command, media_group, orgs_group, users

    app.cli.add_command(users)
    app.cli.add_command(demo_command)
    app.cli.add_command(media_group)
    app.cli.add_command(orgs_group)
