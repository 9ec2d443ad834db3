"""triage: due dates kept for lists, the safeguarding follow-up, referrals

Revision ID: 0004_triage
Revises: 0003_timeline
Create Date: 2026-11-26 12:24:00.221564

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_triage'
down_revision = '0003_timeline'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referred_to', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('safeguarding_actioned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('safeguarding_actioned_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('safeguarding_action', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_feedback_due_on'), ['due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_feedback_safeguarding_actioned_by_id_staff_user'), 'staff_user', ['safeguarding_actioned_by_id'], ['id'])

    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stage_due_on'), ['due_on'], unique=False)



def downgrade():
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_due_on'))
        batch_op.drop_column('due_on')

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_safeguarding_actioned_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_feedback_due_on'))
        batch_op.drop_column('safeguarding_action')
        batch_op.drop_column('safeguarding_actioned_by_id')
        batch_op.drop_column('safeguarding_actioned_at')
        batch_op.drop_column('due_on')
        batch_op.drop_column('referred_to')

