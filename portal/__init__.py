"""The portal's core: the application factory and what both sides share."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Make the portal: configuration from the environment, then ``test_config`` on top."""
    if os.environ.get("PORTAL_ENV", "development") == "development":
        from dotenv import load_dotenv

        load_dotenv(ROOT / ".env", override=False)

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    from portal import config
    from portal.uploads import PortalRequest

    app.request_class = PortalRequest
    app.config.from_mapping(config.load(os.environ, app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = config.choose_secret_key(
        app.config, from_flask_cli=os.environ.get("FLASK_RUN_FROM_CLI") == "true")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _trust_proxies(app)
    from portal import assets, compression

    assets.init_app(app)
    # First, so its after_request runs last (Flask runs them in reverse), on the final body.
    compression.init_app(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _init_extensions(app)
    _register_blueprints(app)

    from portal import auth, cli, errors, health, security, tasks, templating
    from portal.services.common import audit

    security.init_app(app)
    auth.init_app(app)
    audit.install()
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    tasks.init_app(app)
    health.init_app(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, the visitor's address is the one the nearest of
    them saw (the rate limits count it), never one the visitor wrote into the header."""
    from portal import config

    proxies = app.config["TRUSTED_PROXIES"]
    if proxies < 0:
        raise config.ConfigError(f"TRUSTED_PROXIES must be 0 or more, not {proxies}")
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _init_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from portal import models  # noqa: F401  (registers the tables with the metadata)
    from portal.extensions import csrf, db, htmx, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)


def _register_blueprints(app: Flask) -> None:
    from public.routes import bp as public_bp
    from staff.routes import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp, url_prefix="/staff")
