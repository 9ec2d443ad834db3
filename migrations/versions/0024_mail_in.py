"""Issue 19, email in: the messages read from the team's mailbox, and the Message-ID (and
the message answered, and the sender) of each message the outbox sends."""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_mail_in'
down_revision = '0025_letters_more'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_in_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('message_id', sa.String(length=300), nullable=True),
        sa.Column('from_address', sa.String(length=254), nullable=True),
        sa.Column('from_name', sa.String(length=200), nullable=True),
        sa.Column('to_addresses', sa.Text(), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('feedback_id', sa.Integer(), nullable=True),
        sa.Column('named_reference', sa.String(length=40), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('quoted', sa.Text(), nullable=True),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('document_ids', sa.JSON(), nullable=False),
        sa.Column('attachments_refused', sa.JSON(), nullable=False),
        sa.Column('bounced_outbox_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.Column('review_action', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name='fk_mail_in_message_feedback_id_feedback'),
        sa.ForeignKeyConstraint(['bounced_outbox_id'], ['outbox_message.id'],
                                name='fk_mail_in_message_bounced_outbox_id_outbox_message'),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['staff_user.id'],
                                name='fk_mail_in_message_reviewed_by_id_staff_user'),
        sa.PrimaryKeyConstraint('id', name='pk_mail_in_message'),
        sa.UniqueConstraint('sha256', name='uq_mail_in_message_sha256'),
    )
    with op.batch_alter_table('mail_in_message') as batch_op:
        batch_op.create_index('ix_mail_in_message_message_id', ['message_id'])
        batch_op.create_index('ix_mail_in_message_received_at', ['received_at'])
        batch_op.create_index('ix_mail_in_message_kind', ['kind'])
        batch_op.create_index('ix_mail_in_message_feedback_id', ['feedback_id'])
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('in_reply_to', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('from_address', sa.String(length=254), nullable=True))
        batch_op.create_index('ix_outbox_message_message_id', ['message_id'])


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_index('ix_outbox_message_message_id')
        batch_op.drop_column('from_address')
        batch_op.drop_column('in_reply_to')
        batch_op.drop_column('message_id')
    op.drop_table('mail_in_message')
