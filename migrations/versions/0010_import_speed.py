"""Import speed (issue 7): every index on ``feedback`` costs every insert, and a bulk import
of 100,000 records on PostgreSQL is held up by the server's own work on them. Two
single-column indexes that serve no query go; three others become partial, holding only the
few rows their queries look for (a new record, one with a due date, a safeguarding flag),
so that the closed records an import mostly brings cost them nothing. Inserting 100,000
records (8% of them open or new), the five indexes replaced took about 0.43 s of the
server's time and the four partial ones 0.01 to 0.02 s; on 200,000 records, every query the
portal runs on feedback took as long as before (within 0.05 ms) or less.

- ix_feedback_outcome: dropped. The only query on outcome is the report's count of initial
  contacts by ``coalesce(outcome, 'open')``, grouped within a kind and period that
  ix_feedback_kind_received_on finds; nothing filters or sorts on outcome.
- ix_feedback_procedure: dropped. Queries ask only ``procedure IS NULL`` or ``IS NOT NULL``
  (the inbox's kind filter, the dashboard's open initial contacts, stage reminders: most of
  the rows either way, or reached through stage) or group by it after a join from stage.
- ix_feedback_purged_at: kept. Queries ask only ``purged_at IS NULL``, but the subject
  access copy's search for records written about a person
  (portal.services.data_protection.subject_access.records_about) reads only the unpurged rows through it
  (more worth it as retention purges more), as does retention's due list on SQLite; and it
  costs an import less than the others (every new row is NULL, added at the index's end).
- ix_feedback_safeguarding_concern becomes two indexes of the flagged records alone
  (WHERE safeguarding_concern IS TRUE: a few in a thousand).
  ix_feedback_safeguarding_actioned_at (safeguarding_actioned_at) finds the unactioned concerns
  (portal.services.triage.inbox.unactioned_safeguarding, above the inbox and on the dashboard) by
  ``safeguarding_actioned_at IS NULL`` without reading the actioned ones;
  ix_feedback_safeguarding_received_on (received_on, id) gives the inbox's safeguarding
  filter its page newest first without walking every record's date. The condition is
  written as those queries write it (``IS TRUE``; ``IS 1`` on SQLite): PostgreSQL 15
  cannot prove that ``IS TRUE`` implies a bare ``WHERE safeguarding_concern``, and SQLite
  matches a partial index only by the same term. The inbox's other lists ask ``IS FALSE
  OR actioned``, most rows, and never used an index for it.
- ix_feedback_due_on: only WHERE due_on IS NOT NULL (closed records have no due date). It
  serves the dashboard's due this week and overdue counts and the inbox's overdue filter:
  ``due_on < today`` and ``due_on >= today`` imply NOT NULL to PostgreSQL and SQLite alike.
  The inbox's "due soonest" sort orders by ``coalesce(due_on, ...)``, which it never served.
- ix_feedback_status becomes ix_feedback_status_received_on: (status, received_on, id)
  WHERE status = 'new', for the only queries that look a status up: the dashboard's count
  of new records (from the index alone), the inbox's "new" filter (newest first) and the
  demonstration's casework (oldest first). ``status <> 'closed'`` (open counts, the inbox's
  open and overdue filters) is not indexable, and ``status = 'closed'`` is most rows. (An
  index WHERE status <> 'closed' was tried: PostgreSQL then ANDed it into the due date
  counts' bitmaps, which made them slower, as it adds nothing to a due date.)
- ix_feedback_theme_id: kept. Themes are never deleted (only retired), but the inbox's
  theme filter (``theme_id = ?``) finds a rarely used theme's few records through it.

ix_feedback_received_on, ix_feedback_person_id, the composite indexes of 0008 and 0009 and
the trigram indexes are unchanged.

Revision ID: 0010_import_speed
Revises: 0009_report_speed
Create Date: 2026-11-26 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_import_speed'
down_revision = '0009_report_speed'
branch_labels = None
depends_on = None


# The conditions as portal.models.feedback writes them: the safeguarding one in each
# dialect's spelling of SQLAlchemy's ``safeguarding_concern.is_(True)``.
FLAGGED = dict(postgresql_where=sa.text("safeguarding_concern IS TRUE"),
               sqlite_where=sa.text("safeguarding_concern IS 1"))
DUE = dict(postgresql_where=sa.text("due_on IS NOT NULL"), sqlite_where=sa.text("due_on IS NOT NULL"))
NEW = dict(postgresql_where=sa.text("status = 'new'"), sqlite_where=sa.text("status = 'new'"))


def upgrade():
    op.drop_index('ix_feedback_outcome', table_name='feedback')
    op.drop_index('ix_feedback_procedure', table_name='feedback')
    op.create_index('ix_feedback_safeguarding_actioned_at', 'feedback', ['safeguarding_actioned_at'], **FLAGGED)
    op.create_index('ix_feedback_safeguarding_received_on', 'feedback', ['received_on', 'id'], **FLAGGED)
    op.drop_index('ix_feedback_safeguarding_concern', table_name='feedback')
    op.drop_index('ix_feedback_due_on', table_name='feedback')
    op.create_index('ix_feedback_due_on', 'feedback', ['due_on'], **DUE)
    op.create_index('ix_feedback_status_received_on', 'feedback', ['status', 'received_on', 'id'], **NEW)
    op.drop_index('ix_feedback_status', table_name='feedback')


def downgrade():
    op.create_index('ix_feedback_status', 'feedback', ['status'])
    op.drop_index('ix_feedback_status_received_on', table_name='feedback')
    op.drop_index('ix_feedback_due_on', table_name='feedback')
    op.create_index('ix_feedback_due_on', 'feedback', ['due_on'])
    op.create_index('ix_feedback_safeguarding_concern', 'feedback', ['safeguarding_concern'])
    op.drop_index('ix_feedback_safeguarding_received_on', table_name='feedback')
    op.drop_index('ix_feedback_safeguarding_actioned_at', table_name='feedback')
    op.create_index('ix_feedback_procedure', 'feedback', ['procedure'])
    op.create_index('ix_feedback_outcome', 'feedback', ['outcome'])
