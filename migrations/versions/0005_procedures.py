"""procedures: timescale settings, pauses, extensions as granted, stage responses; stage
accounts (officer, Investigating Officer, Independent Person), acknowledgement date,
events date and late-complaint reason

Revision ID: 0005_procedures
Revises: 0006_ombudsman_learning
Create Date: 2026-11-26 12:32:14.455113

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_procedures'
down_revision = '0006_ombudsman_learning'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('timescale_setting',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_timescale_setting'))
    )
    op.create_table('stage_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('extended_to', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('told_by', sa.String(length=10), nullable=False),
    sa.Column('told_on', sa.Date(), nullable=False),
    sa.Column('agreed_with_complainant', sa.Boolean(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_stage_extension_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_stage_extension_outbox_message_id_outbox_message')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stage_extension_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_extension'))
    )
    with op.batch_alter_table('stage_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_extension_stage_id'), ['stage_id'], unique=False)

    op.create_table('stage_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('working_days', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_stage_pause_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stage_pause_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_pause'))
    )
    with op.batch_alter_table('stage_pause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_pause_stage_id'), ['stage_id'], unique=False)

    op.create_table('stage_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('next_step_deadline', sa.Date(), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_stage_response_created_by_id_staff_user')),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], name=op.f('fk_stage_response_outbox_message_id_outbox_message')),
    sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_stage_response_stage_id_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_response')),
    sa.UniqueConstraint('stage_id', name=op.f('uq_stage_response_stage_id'))
    )
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('investigating_officer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('independent_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('events_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('late_complaint_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stage_independent_person_id'), ['independent_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_investigating_officer_id'), ['investigating_officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_officer_id'), ['officer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stage_investigating_officer_id_staff_user'), 'staff_user', ['investigating_officer_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_stage_independent_person_id_staff_user'), 'staff_user', ['independent_person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_stage_officer_id_staff_user'), 'staff_user', ['officer_id'], ['id'])


def downgrade():
    with op.batch_alter_table('stage', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stage_officer_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_stage_independent_person_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_stage_investigating_officer_id_staff_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stage_officer_id'))
        batch_op.drop_index(batch_op.f('ix_stage_investigating_officer_id'))
        batch_op.drop_index(batch_op.f('ix_stage_independent_person_id'))
        batch_op.drop_column('late_complaint_reason')
        batch_op.drop_column('events_on')
        batch_op.drop_column('acknowledged_on')
        batch_op.drop_column('independent_person_id')
        batch_op.drop_column('investigating_officer_id')
        batch_op.drop_column('officer_id')

    op.drop_table('stage_response')
    with op.batch_alter_table('stage_pause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_pause_stage_id'))

    op.drop_table('stage_pause')
    with op.batch_alter_table('stage_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_extension_stage_id'))

    op.drop_table('stage_extension')
    op.drop_table('timescale_setting')

