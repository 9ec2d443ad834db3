"""Issue 17: files chosen on a public form wait with its draft (draft_upload) until the
form is sent, when they become documents of the new record."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015b_upload_drafts'
down_revision = '0015_case_file'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'draft_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_key', sa.String(length=64), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('safe_name', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('metadata_removed', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_upload')),
    )
    op.create_index(op.f('ix_draft_upload_draft_key'), 'draft_upload', ['draft_key'], unique=False)
    op.create_index(op.f('ix_draft_upload_storage_key'), 'draft_upload', ['storage_key'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_draft_upload_storage_key'), table_name='draft_upload')
    op.drop_index(op.f('ix_draft_upload_draft_key'), table_name='draft_upload')
    op.drop_table('draft_upload')
