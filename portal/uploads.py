"""Requests that carry files: how large they may be, and the mark a view wears to take them.

Every request is capped at ``MAX_CONTENT_LENGTH`` (64 KB: text forms only). A view that
takes files (the case file's uploads, docs/case-file.md) is marked ``@accepts_files``, and
its requests may be as large as ``SUBMISSION_MAX_BYTES`` and a little over for the form's
other fields. The limit is decided when the request is routed, before anything reads the
body (the CSRF check reads the form before any view runs). Werkzeug keeps a large file
part in a temporary file, never whole in memory.
"""

from __future__ import annotations

from flask import Request, current_app

# Room for the form's text fields and the multipart framing, on top of the files.
FORM_ALLOWANCE = 1024 * 1024


def accepts_files(view):
    """Mark a view as one that takes files (see the module docstring)."""
    view.accepts_files = True
    return view


class PortalRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if self.url_rule is not None and current_app:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            if getattr(view, "accepts_files", False):
                return current_app.config["SUBMISSION_MAX_BYTES"] + FORM_ALLOWANCE
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
