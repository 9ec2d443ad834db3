"""Inbox speed (issue 4): composite indexes for the lists a team or an assignee sees,
newest first; a search index over the reference, summary, name and email (SQLite: FTS5
trigram tables kept in step by triggers; PostgreSQL: pg_trgm GIN indexes on lower(column)).

The search must find any substring, ignoring case, as LIKE '%...%' did, without reading
every row. On SQLite the FTS5 tables are external-content tables over ``feedback`` and
``person``: they hold only the index, and the triggers below keep them right whatever
writes the rows (forms, import, retention purges, merges, erasure).

On SQLite, a later migration that rebuilds ``feedback`` or ``person`` (batch_alter_table
copies a table to change it) drops these triggers with the old table: make them again
after it, as ``search_index_sqlite`` below does (0007 does the same for its trigger).

Revision ID: 0008_inbox_speed
Revises: 0007_data_protection
Create Date: 2026-11-26 15:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_inbox_speed'
down_revision = '0007_data_protection'
branch_labels = None
depends_on = None


# table -> (FTS5 table, the columns it indexes)
SEARCHED = {
    "feedback": ("feedback_search", ("reference", "summary")),
    "person": ("person_search", ("name", "email")),
}


def upgrade():
    op.create_index('ix_feedback_team_id_received_on', 'feedback', ['team_id', 'received_on', 'id'])
    op.create_index('ix_feedback_assigned_to_id_received_on', 'feedback', ['assigned_to_id', 'received_on', 'id'])
    # Both were the first column of the new ones, which serve every lookup they did.
    op.drop_index('ix_feedback_team_id', table_name='feedback')
    op.drop_index('ix_feedback_assigned_to_id', table_name='feedback')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # On lower(column), as the search asks: an index on the column itself would also
        # answer "column = ANY(...)" (pg_trgm supports equality), and the planner, before
        # statistics, took it over the unique index for the import's lookups, at seconds
        # a batch.
        for table, (_, columns) in SEARCHED.items():
            for column in columns:
                op.execute(f"CREATE INDEX ix_{table}_{column}_trgm ON {table} "
                           f"USING gin (lower({column}) gin_trgm_ops)")
    else:
        search_index_sqlite(op)


def search_index_sqlite(op) -> None:
    """The FTS5 tables and their triggers (made again, and filled from the tables, if
    they exist)."""
    for table, (index, columns) in SEARCHED.items():
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
        op.execute(f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', content_rowid='id', "
                   "tokenize='trigram')")
        op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
        op.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old}); END")
        op.execute(f"CREATE TRIGGER {index}_update AFTER UPDATE OF id, {names} ON {table} BEGIN "
                   f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new}); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, (_, columns) in SEARCHED.items():
            for column in columns:
                op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_trgm")
        # The extension stays: other things may use it, and it holds no data.
    else:
        for index, _ in SEARCHED.values():
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {index}")
    op.create_index('ix_feedback_assigned_to_id', 'feedback', ['assigned_to_id'])
    op.create_index('ix_feedback_team_id', 'feedback', ['team_id'])
    op.drop_index('ix_feedback_assigned_to_id_received_on', table_name='feedback')
    op.drop_index('ix_feedback_team_id_received_on', table_name='feedback')
