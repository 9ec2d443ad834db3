"""Ombudsman, money, learning actions, restrictions: action owners as staff accounts,
the Ombudsman recommendation an action came from, a restriction's review outcome

Revision ID: 0006_ombudsman_learning
Revises: 0004_triage
Create Date: 2026-11-26 12:27:37.640586

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_ombudsman_learning'
down_revision = '0004_triage'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contact_restriction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_outcome', sa.String(length=20), nullable=True))

    with op.batch_alter_table('learning_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recommendation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_learning_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learning_action_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_learning_action_owner_id_staff_user'), 'staff_user', ['owner_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_learning_action_recommendation_id_ombudsman_recommendation'), 'ombudsman_recommendation', ['recommendation_id'], ['id'])



def downgrade():
    with op.batch_alter_table('learning_action', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_learning_action_recommendation_id_ombudsman_recommendation'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_learning_action_owner_id_staff_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_action_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_learning_action_owner_id'))
        batch_op.drop_column('recommendation_id')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('contact_restriction', schema=None) as batch_op:
        batch_op.drop_column('review_outcome')

