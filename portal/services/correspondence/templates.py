"""Templates as data: one for each purpose, channel and audience, each saved version
kept (a letter records the version it came from), rendered in Jinja's sandbox.

Issue 18, "Bad input": a template that does not parse, names a field that is not a merge
field (merge_fields.FIELDS) or tries to reach outside the sandbox is refused when it is
saved, with its line and the reason. The sandbox has no globals (no ``range``, no
``lipsum``), no includes, and no attribute that starts with an underscore; a field is
checked where it is written, so a branch the sample values never take is checked too.
The defaults (defaults.py) ship with the portal; a template nobody has edited is saved
as version 1 the first time a letter is sent from it.
"""

from __future__ import annotations

import functools
import traceback
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2 import StrictUndefined
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import LetterTemplate, StaffUser
from portal.services.common import audit
from portal.services.common.errors import Refused
from portal.services.common.labels import LetterAudience, LetterChannel, LetterPurpose
from portal.services.correspondence import defaults, merge_fields

MAX_LENGTH = 20000


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                               lstrip_blocks=True, keep_trailing_newline=False)
    env.globals.clear()
    return env


ENV = environment()


@dataclass(frozen=True)
class Template:
    """The template in use: a saved version, or the shipped default (``id`` None,
    version 0 until it is first used)."""

    id: int | None
    purpose: str
    channel: str
    audience: str
    version: int
    subject: str
    body: str


# --- Checking a template ----------------------------------------------------------------


def _path(node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _path(node.node)
        return f"{inner}.{node.attr}" if inner else None
    return None


def _refuse(line: int | None, reason: str, field: str) -> Refused:
    return Refused(f"Line {line}: {reason}" if line else reason, field)


def check_template(text: str, field: str = "body") -> None:
    """Refuse ``text`` (Refused, on ``field``) unless it parses, names only merge fields
    and stays inside the sandbox; then try it on sample values."""
    if len(text or "") > MAX_LENGTH:
        raise Refused(f"The template must be {MAX_LENGTH:,} characters or fewer", field)
    try:
        tree = ENV.parse(text or "")
    except TemplateSyntaxError as error:
        raise _refuse(error.lineno, f"the template cannot be read: {error.message}", field) from error
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Macro,
                               nodes.CallBlock)):
        raise _refuse(node.lineno, "a letter template cannot include, import or define other templates", field)
    loops: dict[str, str | None] = {}
    declared: set[str] = set()
    for node in tree.find_all(nodes.For):
        over = _path(node.iter)
        target = node.target.name if isinstance(node.target, nodes.Name) else None
        if over not in merge_fields.LOOPS or target is None:
            raise _refuse(node.lineno, "a loop can only go through {{ elements }} or {{ restriction.list }}", field)
        loops[target] = merge_fields.LOOPS[over]
    for node in tree.find_all(nodes.Assign):
        declared.update(n.name for n in node.find_all(nodes.Name) if n.ctx == "store")
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_") or (
                isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
                and str(node.arg.value).startswith("_")):
            raise _refuse(node.lineno, "that reaches outside the merge fields, which a template cannot do", field)
        if isinstance(node, nodes.Getitem):
            raise _refuse(node.lineno, "write a merge field with dots, as {{ person.name }}", field)
    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Name) and node.ctx != "load":
            continue
        path = _path(node)
        if path is None:
            continue
        root, _, rest = path.partition(".")
        if root == "loop" and loops and rest in ("", "index", "first", "last", "length"):
            continue
        if root in loops:
            if not rest:
                continue
            prefix = loops[root]
            if prefix is None or f"{prefix}.{rest}" not in merge_fields.FIELDS:
                raise _refuse(node.lineno, f"{{{{ {path} }}}} is not a merge field", field)
            continue
        if root in declared and not rest:
            continue
        if path in merge_fields.FIELDS or path in merge_fields.ROOTS and not rest:
            continue
        if isinstance(node, nodes.Name) and root in merge_fields.ROOTS:
            continue
        if any(name.startswith(path + ".") for name in merge_fields.FIELDS):
            continue  # the group of a longer field (its own node is checked too)
        raise _refuse(node.lineno, f"{{{{ {path} }}}} is not a merge field: the list is in the guide", field)
    try:
        ENV.from_string(text or "").render(merge_fields.sample())
    except (SecurityError, UndefinedError, TypeError, ValueError, ArithmeticError, LookupError,
            AttributeError, OverflowError) as error:
        raise _refuse(_template_line(error), f"the template cannot be filled in: {error}", field) from error


def _template_line(error: Exception) -> int | None:
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if frame.filename == "<template>"]
    return lines[-1] if lines else None


def render(text: str, values: dict) -> str:
    """``text`` filled in with ``values`` (merge_fields.for_case) in the sandbox."""
    return _compiled(text).render(values).strip() + "\n"


@functools.lru_cache(maxsize=256)
def _compiled(text: str):
    # Parsing and compiling a template is most of the time of filling one in (every public
    # Send fills in its acknowledgement's subject and body); the compiled template depends
    # on its text alone, so a text edited and saved is simply a new entry.
    return ENV.from_string(text)


# --- Versions ---------------------------------------------------------------------------


def _check_kind(purpose: str, channel: str, audience: str) -> None:
    if purpose not in LetterPurpose or channel not in LetterChannel or audience not in LetterAudience:
        raise Refused("There is no such template")


def current(purpose: str, channel: str, audience: str) -> Template:
    """The template in use: the newest saved version, else the default."""
    _check_kind(purpose, channel, audience)
    saved = _newest(purpose, channel, audience)
    return _of(saved) if saved is not None else _default(purpose, channel, audience)


def current_in_use(purpose: str, channel: str, audience: str) -> tuple[Template, LetterTemplate]:
    """The template in use and the saved version a letter from it records (``in_use``),
    read once: the row ``current`` read is not kept by the session, so reading it again by
    its id was a second statement on every acknowledgement."""
    _check_kind(purpose, channel, audience)
    saved = _newest(purpose, channel, audience)
    if saved is not None:
        return _of(saved), saved
    template = _default(purpose, channel, audience)
    return template, in_use(template)


def _newest(purpose: str, channel: str, audience: str) -> LetterTemplate | None:
    return db.session.scalars(
        select(LetterTemplate).where(LetterTemplate.purpose == purpose, LetterTemplate.channel == channel,
                                     LetterTemplate.audience == audience)
        .order_by(LetterTemplate.version.desc()).limit(1)).first()


def _default(purpose: str, channel: str, audience: str) -> Template:
    subject, body = defaults.template(purpose, channel, audience)
    return Template(None, purpose, channel, audience, 0, subject, body)


def _of(row: LetterTemplate) -> Template:
    return Template(row.id, row.purpose, row.channel, row.audience, row.version, row.subject, row.body)


def in_use(template: Template) -> LetterTemplate:
    """The saved version a letter records: the default saved as version 1 when it is first used."""
    if template.id is not None:
        return db.session.get(LetterTemplate, template.id)
    row = LetterTemplate(purpose=template.purpose, channel=template.channel, audience=template.audience,
                         version=1, subject=template.subject, body=template.body)
    db.session.add(row)
    db.session.flush()
    return row


def versions(purpose: str, channel: str, audience: str) -> list[LetterTemplate]:
    return list(db.session.scalars(
        select(LetterTemplate).where(LetterTemplate.purpose == purpose, LetterTemplate.channel == channel,
                                     LetterTemplate.audience == audience)
        .order_by(LetterTemplate.version.desc())))


def save(purpose: str, channel: str, audience: str, subject: str, body: str, actor: StaffUser) -> LetterTemplate:
    """Save a new version of a template (refused as ``check_template`` says). The first
    edit of a default keeps the default as version 1."""
    _check_kind(purpose, channel, audience)
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise Refused("Enter the subject", "subject")
    if len(subject) > 200:
        raise Refused("The subject must be 200 characters or fewer", "subject")
    if not body:
        raise Refused("Enter the template", "body")
    check_template(subject, "subject")
    check_template(body, "body")
    now = current(purpose, channel, audience)
    if now.id is None:
        in_use(now)
    latest = db.session.scalar(select(func.max(LetterTemplate.version)).where(
        LetterTemplate.purpose == purpose, LetterTemplate.channel == channel,
        LetterTemplate.audience == audience)) or 0
    row = LetterTemplate(purpose=purpose, channel=channel, audience=audience, version=latest + 1,
                         subject=subject, body=body, created_by=actor)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "letter_template_saved", "letter_template", row.id,
                 new={"purpose": purpose, "channel": channel, "audience": audience, "version": row.version})
    return row
