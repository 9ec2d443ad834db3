"""Email in (issue 19, docs/mail-in.md): the team's mailbox becomes cases, and replies join
their case.

Layers, each importing only those above it: ``parse`` (one message as the portal reads
it), ``html_text`` (HTML as text), ``quotes`` (folding earlier messages away), ``rules``
(what is not a case: auto-replies, bounces, loops, spam), ``route`` (which case, or none),
``receive`` (carrying a message to where it goes, in the caller's transaction), ``review``
(the list staff look through), ``thread`` (the case's correspondence, and replying from
it), ``reader`` (a mailbox over IMAP, a file or an mbox: one commit a message).
"""
