"""Audit trail (issue 14, item 11): a redaction may only blank values, and neither database
allows an entry to be deleted.

0007 let a purge rewrite an entry's ``old`` and ``new`` values freely, once, so a purge (or
anyone who could send SQL) could put words in the trail; and SQLite's trigger covered
UPDATE only, so the trail could be deleted there. Now a redaction keeps the same keys in
``old`` and ``new`` and may only replace a value with ``"(removed)"``
(``portal.services.data_protection.purge.REMOVED``); every other column stays as it was, and it still
happens once. DELETE is refused on SQLite as it already was on PostgreSQL.

Revision ID: 0012_secsmall_audit_triggers
Revises: 0011_seclinks_people_and_links
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_secsmall_audit_triggers'
down_revision = '0011_seclinks_people_and_links'
branch_labels = None
depends_on = None

REMOVED = "(removed)"  # as portal.services.data_protection.purge writes it (fixed here, as a migration must be)
_COLUMNS = ("id", "at", "actor_id", "actor_label", "action", "entity_type", "entity_id", "ip_address")
_SAME_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _COLUMNS)
_SAME_SQLITE = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _COLUMNS)


def _only_blanked_sqlite(column: str) -> str:
    """SQL that is true when NEW.column is OLD.column with some values replaced by REMOVED:
    the same keys, and each value the same or REMOVED (an entry that is not an object, or
    NULL, must stay exactly as it was)."""
    old, new = f"OLD.{column}", f"NEW.{column}"
    return f"""(CASE
        WHEN {old} IS NULL OR json_type({old}) <> 'object' THEN {new} IS {old}
        WHEN {new} IS NULL OR json_type({new}) <> 'object' THEN 0
        ELSE NOT EXISTS (SELECT 1 FROM json_each({new}) AS a
                         WHERE NOT EXISTS (SELECT 1 FROM json_each({old}) AS b WHERE b.key = a.key))
         AND NOT EXISTS (SELECT 1 FROM json_each({old}) AS b
                         WHERE NOT EXISTS (SELECT 1 FROM json_each({new}) AS a
                                           WHERE a.key = b.key
                                             AND ((a.type = b.type AND a.value IS b.value)
                                                  OR (a.type = 'text' AND a.value = '{REMOVED}'))))
        END)"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_entry_only_blanked(before jsonb, after jsonb) RETURNS boolean AS $$
                SELECT CASE
                    WHEN before IS NULL OR jsonb_typeof(before) <> 'object' THEN after IS NOT DISTINCT FROM before
                    WHEN after IS NULL OR jsonb_typeof(after) <> 'object' THEN false
                    ELSE NOT EXISTS (
                        SELECT 1 FROM jsonb_each(before) AS b FULL JOIN jsonb_each(after) AS a ON a.key = b.key
                        WHERE b.key IS NULL OR a.key IS NULL
                           OR (a.value <> b.value AND a.value <> to_jsonb('{REMOVED}'::text)))
                END
            $$ LANGUAGE sql IMMUTABLE
            """
        )
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
                   AND {_SAME_PG}
                   AND audit_entry_only_blanked(OLD.old::jsonb, NEW.old::jsonb)
                   AND audit_entry_only_blanked(OLD.new::jsonb, NEW.new::jsonb) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'the audit trail is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only")
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry "
            f"WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND {_SAME_SQLITE} "
            f"AND {_only_blanked_sqlite('old')} AND {_only_blanked_sqlite('new')}) "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def downgrade():
    """Back to 0007: a redaction may rewrite the values; SQLite allows DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
                   AND {_SAME_PG} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'the audit trail is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute("DROP FUNCTION IF EXISTS audit_entry_only_blanked(jsonb, jsonb)")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only")
        op.execute(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_entry "
            f"WHEN NOT (OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND {_SAME_SQLITE}) "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
