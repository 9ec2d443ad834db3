"""timeline of a case

Revision ID: 0003_timeline
Revises: 0002_staff_and_audit
Create Date: 2026-11-26 12:19:44.318376

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_timeline'
down_revision = '0002_staff_and_audit'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('timeline_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_timeline_event_feedback_id_feedback')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_timeline_event_staff_user_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_event'))
    )
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_event_feedback_id'), ['feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_event_staff_user_id'), ['staff_user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_event_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_timeline_event_feedback_id'))

    op.drop_table('timeline_event')
