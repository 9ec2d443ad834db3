"""Issue 14: no secret link is kept after it is sent, failed mail is told apart, and case
access given by someone other than a feedback manager waits for one to approve.

- outbox_message.link_ref: what a message's link is for ("invite:<staff id>",
  "reset:<staff id>", "status:<feedback id>"); the body holds a placeholder and the link is
  made when the message goes (portal.services.common.outbox). failed_at: the message can never go.
- staff_user.case_access_requested_by_id: the account's case access awaits approval.
- The links already stored are cleared. In a message already sent each link becomes
  "(link removed)"; in one still waiting it becomes the placeholder with its link_ref, so it
  still goes with a fresh link (or is marked failed if its account or record is gone).
- Message bodies leave the audit trail: every unredacted entry about an outbox message has
  its body, address, subject and error replaced by "(removed)" and is marked redacted, as
  a purge would (the one change the audit trail's trigger allows, migration 0007); the
  address and subject go too, because a later purge passes over a redacted entry.
"""

import re
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_secmail_links_and_failures'
down_revision = '0012_secsmall_audit_triggers'
branch_labels = None
depends_on = None

LINK = "[link]"  # portal.services.common.outbox.LINK
REMOVED = "(removed)"  # portal.services.data_protection.purge.REMOVED
LINKS = re.compile(r"https?://\S*?/(staff/set-up|staff/reset-password|your-feedback)/[A-Za-z0-9_.\-]+")
PERSONAL = ("to_address", "subject", "body", "last_error")
STAFF_PURPOSES = {"staff_invite": "invite", "password_reset": "reset"}


def upgrade():
    op.add_column('outbox_message', sa.Column('link_ref', sa.String(length=60), nullable=True))
    op.add_column('outbox_message', sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_outbox_message_failed_at'), 'outbox_message', ['failed_at'], unique=False)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_access_requested_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_staff_user_case_access_requested_by_id_staff_user'),
                                    'staff_user', ['case_access_requested_by_id'], ['id'])
    _clear_stored_links()
    _bodies_out_of_the_audit_trail()


def _clear_stored_links():
    bind = op.get_bind()
    outbox = sa.table('outbox_message', sa.column('id'), sa.column('to_address'), sa.column('body'),
                      sa.column('purpose'), sa.column('feedback_id'), sa.column('sent_at'),
                      sa.column('link_ref'), sa.column('failed_at'), sa.column('last_error'))
    staff = sa.table('staff_user', sa.column('id'), sa.column('email'))
    now = datetime.now(timezone.utc)
    rows = bind.execute(sa.select(outbox).where(
        sa.or_(outbox.c.body.like('%/staff/set-up/%'), outbox.c.body.like('%/staff/reset-password/%'),
               outbox.c.body.like('%/your-feedback/%')))).all()
    for row in rows:
        if not LINKS.search(row.body):
            continue
        values = {}
        if row.sent_at is not None or row.failed_at is not None:
            values["body"] = LINKS.sub("(link removed)", row.body)
        else:
            link_ref = None
            kind = STAFF_PURPOSES.get(row.purpose)
            if kind is not None:
                user_id = bind.scalar(sa.select(staff.c.id).where(staff.c.email == row.to_address))
                link_ref = f"{kind}:{user_id}" if user_id is not None else None
            elif row.feedback_id is not None:
                link_ref = f"status:{row.feedback_id}"
            if link_ref is None:
                values.update(body=LINKS.sub("(link removed)", row.body), failed_at=now,
                              last_error="Not sent: its link could not be made again")
            else:
                values.update(body=LINKS.sub(LINK, row.body), link_ref=link_ref)
        bind.execute(sa.update(outbox).where(outbox.c.id == row.id).values(**values))


def _bodies_out_of_the_audit_trail():
    bind = op.get_bind()
    audit = sa.table('audit_entry', sa.column('id'), sa.column('entity_type'), sa.column('old', sa.JSON(none_as_null=True)),
                     sa.column('new', sa.JSON(none_as_null=True)), sa.column('redacted_at', sa.DateTime(timezone=True)))
    now = datetime.now(timezone.utc)
    rows = bind.execute(sa.select(audit.c.id, audit.c.old, audit.c.new).where(
        audit.c.entity_type == 'outbox_message', audit.c.redacted_at.is_(None))).all()
    for row in rows:
        if not any(key in (values or {}) for values in (row.old, row.new) for key in PERSONAL):
            continue
        bind.execute(sa.update(audit).where(audit.c.id == row.id).values(
            old=_removed(row.old), new=_removed(row.new), redacted_at=now))


def _removed(values):
    if values is None:
        return None
    return {key: (REMOVED if key in PERSONAL and value not in (None, "") else value)
            for key, value in values.items()}


def downgrade():
    # The links cleared and the audit entries redacted stay so: nothing can bring them back.
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_user_case_access_requested_by_id_staff_user'),
                                 type_='foreignkey')
        batch_op.drop_column('case_access_requested_by_id')
    op.drop_index(op.f('ix_outbox_message_failed_at'), table_name='outbox_message')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
        batch_op.drop_column('link_ref')
