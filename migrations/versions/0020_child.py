"""Issue 20: the child or young person a case is about (child, feedback.child_id), the
advocacy offered to them (advocacy), and the inbox's search over the child's name and
record number (PostgreSQL: pg_trgm GIN indexes on lower(column); SQLite: an FTS5 trigram
table kept in step by triggers, as migration 0008 does for feedback and person).

feedback.child_id is added with a plain ALTER TABLE ADD COLUMN, never a batch copy of the
table on SQLite: the copy would drop the search triggers of migration 0008.

Revision ID: 0020_child
Revises: 0014_worker_job_runs
Create Date: 2026-12-01 23:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_child'
down_revision = '0018_annual_reports'
branch_labels = None
depends_on = None

SEARCHED = ("name", "record_number")


def upgrade():
    op.create_table(
        'child',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('date_of_birth', sa.Date(), nullable=True),
        sa.Column('record_number', sa.String(length=40), nullable=True),
        sa.Column('school', sa.String(length=200), nullable=True),
        sa.Column('statuses', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_child')),
    )
    op.create_index('ix_child_date_of_birth', 'child', ['date_of_birth'])
    op.create_index('ix_child_record_number', 'child', ['record_number'])
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('feedback', sa.Column('child_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_feedback_child_id_child', 'feedback', 'child', ['child_id'], ['id'])
    else:  # Alembic would refuse the constraint without a batch copy; SQLite itself takes it
        op.execute("ALTER TABLE feedback ADD COLUMN child_id INTEGER "
                   "CONSTRAINT fk_feedback_child_id_child REFERENCES child (id)")
    op.create_index('ix_feedback_child_id', 'feedback', ['child_id'])
    op.create_table(
        'advocacy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('feedback_id', sa.Integer(), nullable=False),
        sa.Column('offered_on', sa.Date(), nullable=True),
        sa.Column('offered_how', sa.String(length=20), nullable=True),
        sa.Column('answer', sa.String(length=20), nullable=True),
        sa.Column('answered_on', sa.Date(), nullable=True),
        sa.Column('referred_to', sa.String(length=200), nullable=True),
        sa.Column('referred_on', sa.Date(), nullable=True),
        sa.Column('advocate_name', sa.String(length=200), nullable=True),
        sa.Column('in_place_on', sa.Date(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('pause_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_advocacy_feedback_id_feedback')),
        sa.ForeignKeyConstraint(['pause_id'], ['stage_pause.id'], name=op.f('fk_advocacy_pause_id_stage_pause')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_advocacy')),
        sa.UniqueConstraint('feedback_id', name=op.f('uq_advocacy_feedback_id')),
    )
    if op.get_bind().dialect.name == "postgresql":
        for column in SEARCHED:
            op.execute(f"CREATE INDEX ix_child_{column}_trgm ON child USING gin (lower({column}) gin_trgm_ops)")
    else:
        child_search_sqlite(op)


def child_search_sqlite(op) -> None:
    """The FTS5 table over the child's name and record number, and its triggers (made
    again, and filled from the table, if they exist): what 0008's search_index_sqlite does
    for feedback and person."""
    names = ", ".join(SEARCHED)
    new = ", ".join(f"new.{c}" for c in SEARCHED)
    old = ", ".join(f"old.{c}" for c in SEARCHED)
    for suffix in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS child_search_{suffix}")
    op.execute("DROP TABLE IF EXISTS child_search")
    op.execute(f"CREATE VIRTUAL TABLE child_search USING fts5({names}, content='child', content_rowid='id', "
               "tokenize='trigram')")
    op.execute("INSERT INTO child_search(child_search) VALUES ('rebuild')")
    op.execute(f"CREATE TRIGGER child_search_insert AFTER INSERT ON child BEGIN "
               f"INSERT INTO child_search(rowid, {names}) VALUES (new.id, {new}); END")
    op.execute(f"CREATE TRIGGER child_search_delete AFTER DELETE ON child BEGIN "
               f"INSERT INTO child_search(child_search, rowid, {names}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER child_search_update AFTER UPDATE OF id, {names} ON child BEGIN "
               f"INSERT INTO child_search(child_search, rowid, {names}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO child_search(rowid, {names}) VALUES (new.id, {new}); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for column in SEARCHED:
            op.execute(f"DROP INDEX IF EXISTS ix_child_{column}_trgm")
    else:
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS child_search_{suffix}")
        op.execute("DROP TABLE IF EXISTS child_search")
    op.drop_table('advocacy')
    op.drop_index('ix_feedback_child_id', table_name='feedback')
    # SQLite cannot drop a column with a foreign key in place: the batch copy of feedback
    # drops 0008's search triggers with the old table, so they are made again after it.
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('fk_feedback_child_id_child', 'feedback', type_='foreignkey')
        op.drop_column('feedback', 'child_id')
    else:
        with op.batch_alter_table('feedback') as batch:
            batch.drop_column('child_id')
        _inbox_speed().search_index_sqlite(op)
    op.drop_index('ix_child_record_number', table_name='child')
    op.drop_index('ix_child_date_of_birth', table_name='child')
    op.drop_table('child')


def _inbox_speed():
    """Migration 0008's module (its name starts with a digit: no plain import)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("0008_inbox_speed.py")
    spec = importlib.util.spec_from_file_location("inbox_speed_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
