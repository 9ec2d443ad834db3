"""Issue 17: the case file. Each document on a case (its metadata; the content is in the
file store under its sha256), what in the case it is attached to, its virus scan and,
once a feedback manager removes it, who did and why."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_case_file'
down_revision = '0014_worker_job_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=40), nullable=False),
        sa.Column('feedback_id', sa.Integer(), nullable=False),
        sa.Column('stage_id', sa.Integer(), nullable=True),
        sa.Column('element_id', sa.Integer(), nullable=True),
        sa.Column('ombudsman_enquiry_id', sa.Integer(), nullable=True),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('safe_name', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('metadata_removed', sa.Boolean(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_by_label', sa.String(length=200), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('scan_status', sa.String(length=20), nullable=False),
        sa.Column('scan_result', sa.String(length=300), nullable=True),
        sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('scan_attempts', sa.Integer(), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('removed_by_id', sa.Integer(), nullable=True),
        sa.Column('removed_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_document_feedback_id_feedback')),
        sa.ForeignKeyConstraint(['stage_id'], ['stage.id'], name=op.f('fk_document_stage_id_stage')),
        sa.ForeignKeyConstraint(['element_id'], ['element.id'], name=op.f('fk_document_element_id_element')),
        sa.ForeignKeyConstraint(['ombudsman_enquiry_id'], ['ombudsman_enquiry.id'],
                                name=op.f('fk_document_ombudsman_enquiry_id_ombudsman_enquiry')),
        sa.ForeignKeyConstraint(['added_by_id'], ['staff_user.id'], name=op.f('fk_document_added_by_id_staff_user')),
        sa.ForeignKeyConstraint(['removed_by_id'], ['staff_user.id'],
                                name=op.f('fk_document_removed_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
        sa.UniqueConstraint('public_id', name=op.f('uq_document_public_id')),
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        for column in ('feedback_id', 'stage_id', 'element_id', 'ombudsman_enquiry_id', 'sha256',
                       'storage_key', 'added_by_id'):
            batch_op.create_index(batch_op.f(f'ix_document_{column}'), [column], unique=False)


def downgrade():
    op.drop_table('document')
