"""Issue 23 (the reports page at 1,000,000 records): its counts by theme and its examples
of compliments from indexes.

ix_feedback_kind_received_on_theme on (kind, received_on, theme_id, id), in place of
ix_feedback_kind_received_on (kind, received_on): the reports page counts the period's
initial contacts and complaints by theme, and reads the words of an even share of them
(every step-th record by number). With the theme and the number in the index both are
answered from it alone; without them each of a year's million records was read from
the table (27 seconds on SQLite under load, 2 with the index). Every query that used the
narrower index (the report's counts of each kind in a period, the inbox's filter by kind)
reads its first columns just the same.

ix_feedback_shareable on (kind, received_on, id), of the records whose sender agreed to
share them and whose wording staff cleared: the report's five examples of compliments,
oldest first. A year's report read every compliment of the year in date order to find
five that could be shown (11 seconds of the reports page, under load, at 1,000,000).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_report_page'
down_revision = '0028_workload_speed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_feedback_kind_received_on_theme', 'feedback', ['kind', 'received_on', 'theme_id', 'id'])
    op.drop_index('ix_feedback_kind_received_on', table_name='feedback')
    op.create_index('ix_feedback_shareable', 'feedback', ['kind', 'received_on', 'id'],
                    postgresql_where=sa.text("publish_consent IS TRUE AND anonymised_text IS NOT NULL"),
                    sqlite_where=sa.text("publish_consent IS 1 AND anonymised_text IS NOT NULL"))


def downgrade():
    op.drop_index('ix_feedback_shareable', table_name='feedback')
    op.create_index('ix_feedback_kind_received_on', 'feedback', ['kind', 'received_on'])
    op.drop_index('ix_feedback_kind_received_on_theme', table_name='feedback')
