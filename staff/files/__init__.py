"""The case file on the staff side: the Documents panel, downloads, the quarantine, and
the bundles (docs/case-file.md)."""
