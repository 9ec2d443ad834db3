"""Report speed (issue 7): feedback is counted by kind within a period, so its index on
kind alone (three values: no use to any query) becomes one on (kind, received_on), which
finds a half year's compliments or initial contacts without reading the other kinds.

Revision ID: 0009_report_speed
Revises: 0008_inbox_speed
Create Date: 2026-11-26 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_report_speed'
down_revision = '0008_inbox_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_feedback_kind_received_on', 'feedback', ['kind', 'received_on'])
    op.drop_index('ix_feedback_kind', table_name='feedback')


def downgrade():
    op.create_index('ix_feedback_kind', 'feedback', ['kind'])
    op.drop_index('ix_feedback_kind_received_on', table_name='feedback')
