"""Security (issue 14): a person made from a public form is unconfirmed until staff merge
them with a record they hold (person.confirmed), and each case's status links carry a
generation that a fresh link moves on, revoking the older ones
(feedback.status_link_generation).

People already held are confirmed, except those whose every case came through the web
forms: nobody on the staff side has checked those details.

Revision ID: 0011_seclinks_people_and_links
Revises: 0010_import_speed
Create Date: 2026-12-01 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_seclinks_people_and_links'
down_revision = '0010_import_speed'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ADD COLUMN, never a batch copy of the table on SQLite: the copy
    # would drop the search index's triggers on both tables (migration 0008).
    op.add_column('person', sa.Column('confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('feedback', sa.Column('status_link_generation', sa.Integer(), server_default=sa.text('1'),
                                        nullable=False))
    op.execute(
        "UPDATE person SET confirmed = false WHERE id IN (SELECT person_id FROM feedback "
        "WHERE person_id IS NOT NULL GROUP BY person_id "
        "HAVING SUM(CASE WHEN channel = 'web' THEN 0 ELSE 1 END) = 0)"
    )


def downgrade():
    # SQLite (3.35 and later) drops a column in place, keeping the triggers.
    op.drop_column('feedback', 'status_link_generation')
    op.drop_column('person', 'confirmed')
