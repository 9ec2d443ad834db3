"""gunicorn's access log without status-link tokens (gunicorn.conf.py names the class).

A status link's token opens a person's case (portal.services.intake.status_links): written
into the access log, it would be readable by whoever reads the logs, and kept as long
as they are. The log keeps the request, with the token replaced by "[token]".
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# /your-feedback/<token>; the portal's own pages under /your-feedback keep their names.
_TOKEN = re.compile(r"(/your-feedback/)(?!(?:case|link-sent)(?:[/?\s\"]|$))[^/?#\s\"]+")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\1[token]", text)


class TokenRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
