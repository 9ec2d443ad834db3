"""Error pages for every status a person may meet, and the expired-form page."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PAGES = {
    400: ("Sorry, there is a problem with your request", "Go back and try again. If it keeps happening, contact us."),
    403: ("You do not have permission to see this page", "If you think you should, ask your manager or an administrator."),
    404: ("Page not found", "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."),
    405: ("Sorry, that did not work", "Go back to the page you came from and try again."),
    413: ("What you sent is too large", "Go back and shorten your answers or choose fewer or smaller files, then try again. If you need to send us a lot of information, contact us and we will tell you how."),
    429: ("You have sent too many requests", "Wait a few minutes and try again. If you need to reach us now, phone us."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you sent has been lost if you saw a reference number."),
}

# Views that can show the expired-form page their own way (for example, by
# re-showing the person's answers). Blueprints register into this.
csrf_error_handlers: dict = {}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        handler = csrf_error_handlers.get(request.endpoint or "")
        if handler is not None:
            return handler(error)
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        title, advice = PAGES.get(code, (error.name, error.description))
        if code == 413 and _takes_files():
            advice = _files_too_large(app)
        return render_template("errors/error.html", code=code, title=title, advice=advice), code

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("unhandled error on %s %s", request.method, request.path)
        title, advice = PAGES[500]
        return render_template("errors/error.html", code=500, title=title, advice=advice), 500



def _takes_files() -> bool:
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "accepts_files", False)


def _files_too_large(app: Flask) -> str:
    """What to do when files came to more than a submission may hold: the limits, in the
    words of the upload's own hint (the body was never read, so nothing else is known)."""
    from portal.services.files.checks import megabytes

    each, together = app.config["FILE_MAX_BYTES"], app.config["SUBMISSION_MAX_BYTES"]
    return (f"The files you chose came to more than {megabytes(together)} together. Go back and choose "
            f"fewer or smaller files: each must be smaller than {megabytes(each)}, and "
            f"{megabytes(together)} at most together. If you need to send us more, contact us and we will "
            "tell you how.")
