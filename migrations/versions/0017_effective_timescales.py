"""Issue 21: timescales that change on a date. A set of a procedure's timescales applies
to stages whose clock starts on or after its date (timescale_set); the sets written in the
code (the Complaint Handling Code's corporate clocks from 1 April 2026) have no row.
A corporate Stage 2 handled by the Stage 1 officer keeps the manager's reason
(stage.same_handler_reason). feedback.acknowledge_by is the open stage's acknowledgement
due date while it waits for one; deadlines.refresh keeps it (existing open corporate
stages get it when their record is next refreshed)."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_effective_timescales'
down_revision = '0016_letters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'timescale_set',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procedure', sa.String(length=20), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('timescale_values', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'],
                                name=op.f('fk_timescale_set_created_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timescale_set')),
        sa.UniqueConstraint('procedure', 'effective_from',
                            name='uq_timescale_set_procedure_effective_from'),
    )
    with op.batch_alter_table('stage') as batch:
        batch.add_column(sa.Column('same_handler_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('feedback') as batch:
        batch.add_column(sa.Column('acknowledge_by', sa.Date(), nullable=True))
    op.create_index('ix_feedback_acknowledge_by', 'feedback', ['acknowledge_by'],
                    postgresql_where=sa.text('acknowledge_by IS NOT NULL'),
                    sqlite_where=sa.text('acknowledge_by IS NOT NULL'))


def downgrade():
    op.drop_index('ix_feedback_acknowledge_by', table_name='feedback')
    with op.batch_alter_table('feedback') as batch:
        batch.drop_column('acknowledge_by')
    with op.batch_alter_table('stage') as batch:
        batch.drop_column('same_handler_reason')
    op.drop_table('timescale_set')
