"""Issue 21 (parts 4-7): the Member Responsible for Complaints' response to each year's
annual report, the self-assessment against the Complaint Handling Code, the Ombudsman's
case spreadsheets as imported (and the columns mapped once), and on each Ombudsman enquiry
whether it was put right before the Ombudsman became involved."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_annual_reports'
down_revision = '0017_effective_timescales'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'member_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'],
                                name=op.f('fk_member_response_updated_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_response')),
        sa.UniqueConstraint('year', name=op.f('uq_member_response_year')),
    )
    op.create_table(
        'self_assessment_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('requirement', sa.String(length=20), nullable=False),
        sa.Column('complies', sa.String(length=10), nullable=True),
        sa.Column('how', sa.Text(), nullable=True),
        sa.Column('evidence', sa.Text(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['staff_user.id'],
                                name=op.f('fk_self_assessment_answer_updated_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_self_assessment_answer')),
        sa.UniqueConstraint('year', 'requirement', name='uq_self_assessment_answer_year_requirement'),
    )
    op.create_table(
        'ombudsman_column',
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('heading', sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint('field', name=op.f('pk_ombudsman_column')),
    )
    op.create_table(
        'ombudsman_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['imported_by_id'], ['staff_user.id'],
                                name=op.f('fk_ombudsman_import_imported_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ombudsman_import')),
    )
    op.create_table(
        'ombudsman_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('decision', sa.String(length=40), nullable=True),
        sa.Column('decision_text', sa.String(length=200), nullable=True),
        sa.Column('remedy_complied', sa.String(length=200), nullable=True),
        sa.Column('extra', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['ombudsman_import.id'],
                                name=op.f('fk_ombudsman_case_import_id_ombudsman_import')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ombudsman_case')),
    )
    op.create_index(op.f('ix_ombudsman_case_import_id'), 'ombudsman_case', ['import_id'])
    op.create_index(op.f('ix_ombudsman_case_reference'), 'ombudsman_case', ['reference'])
    with op.batch_alter_table('ombudsman_enquiry') as batch:
        batch.add_column(sa.Column('remedied_before', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('ombudsman_enquiry') as batch:
        batch.drop_column('remedied_before')
    op.drop_index(op.f('ix_ombudsman_case_reference'), table_name='ombudsman_case')
    op.drop_index(op.f('ix_ombudsman_case_import_id'), table_name='ombudsman_case')
    op.drop_table('ombudsman_case')
    op.drop_table('ombudsman_import')
    op.drop_table('ombudsman_column')
    op.drop_table('self_assessment_answer')
    op.drop_table('member_response')
