"""What an import found and did: the problems, line by line, and the counts.

``importer`` makes a ``Summary`` and records each ``LineError`` in it; ``loading`` adds
what it loaded, skipped and replaced. It sits below both so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"line {self.line}: {self.field}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool = False
    update: bool = False
    lines: int = 0
    imported: int = 0
    skipped: int = 0
    replaced: int = 0
    restrictions_imported: int = 0
    restrictions_skipped: int = 0
    restrictions_replaced: int = 0
    teams_created: list[str] = field(default_factory=list)
    themes_created: list[str] = field(default_factory=list)
    # Version 2 (an archive with documents): its document lines.
    archive: bool = False
    documents_imported: int = 0
    documents_skipped: int = 0
    children_created: int = 0  # version 2: the children the records name, each made once
    error_count: int = 0
    # The problems found, when no ``on_error`` was given to ``import_file``.
    errors: list[LineError] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "lines": self.lines, "imported": self.imported, "skipped": self.skipped, "replaced": self.replaced,
            "restrictions_imported": self.restrictions_imported,
            "restrictions_skipped": self.restrictions_skipped,
            "restrictions_replaced": self.restrictions_replaced,
            "teams_created": self.teams_created, "themes_created": self.themes_created,
            **({"documents_imported": self.documents_imported, "documents_skipped": self.documents_skipped,
                "children_created": self.children_created}
               if self.archive else {}),
        }

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def report(self) -> list[str]:
        if not self.ok:
            return [f"{self.error_count} problem{'s' if self.error_count != 1 else ''} found: nothing was imported"]
        would = "would be " if self.dry_run else ""
        lines = ["Dry run: nothing was imported." if self.dry_run else "Import finished."]
        lines.append(f"Feedback records {would}imported: {self.imported}")
        lines.append(f"Feedback records skipped (reference exists): {self.skipped}")
        if self.update:
            lines.append(f"Feedback records {would}replaced (--update): {self.replaced}")
        lines.append(f"Contact restrictions {would}imported: {self.restrictions_imported}")
        lines.append(f"Contact restrictions skipped (already held): {self.restrictions_skipped}")
        if self.update:
            lines.append(f"Contact restrictions {would}replaced (--update): {self.restrictions_replaced}")
        if self.archive:
            lines.append(f"Documents {would}imported: {self.documents_imported}")
            lines.append(f"Documents skipped (record skipped, or the file already in its case file): "
                         f"{self.documents_skipped}")
            lines.append(f"Children {would}created: {self.children_created}")
        for label, names in (("Teams", self.teams_created), ("Themes", self.themes_created)):
            listed = ": " + ", ".join(names) if names else ""
            lines.append(f"{label} {would}created: {len(names)}{listed}")
        return lines
