"""gunicorn settings: the schema is prepared once, in the master, before workers start.

So `gunicorn wsgi:app` with several workers works on an empty database: no two
workers race to create tables.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
accesslog = "-"
# Status-link tokens never reach the access log (docs/security.md).
logger_class = "portal.access_logging.TokenRedactingLogger"


def on_starting(server):
    from flask_migrate import upgrade

    from portal import create_app

    app = create_app()
    with app.app_context():
        upgrade()
        from portal.extensions import db

        db.engine.dispose()  # workers open their own connections after the fork
