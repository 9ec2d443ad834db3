"""Domain logic: plain functions over explicit arguments, tested without HTTP.

A service checks, then changes what it is given in the caller's session; it never
commits and never rolls back. It refuses with ``Refused(message, field)`` before
changing anything, and a service that changes a case takes the ``version`` the form
carried and calls ``check_version``, which raises ``EditConflict`` for a stale page
(both in ``common/errors.py``). The caller (a view, a CLI command, a worker job, the
demo loader) commits once the service returns, or rolls back on a refusal; mail queued
in the outbox goes only after that commit. The few places that commit on their own say
why: sign-in (failures counted even when the request fails), the outbox's sender and
the worker's job runner (each message or run claimed in a transaction of its own).
"""
