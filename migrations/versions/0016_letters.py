"""Issue 18: letters. Templates staff edit (each saved version kept), the letters and
emails sent from them (exact text, PDF, the version used), and the jargon list the check
before sending reads, with a first list of terms."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_letters'
down_revision = '0015b_upload_drafts'
branch_labels = None
depends_on = None

# The first jargon list (staff edit it at /staff/letters/jargon).
JARGON = [
    ("LAC", "a child in care (or 'looked after child')"),
    ("CLA", "a child in care"),
    ("CIN", "a child in need (a child who gets help from children's services)"),
    ("CP", "child protection"),
    ("s.17", "help for a child in need (section 17 of the Children Act 1989)"),
    ("s.47", "a child protection enquiry (section 47 of the Children Act 1989)"),
    ("EHCP", "an Education, Health and Care Plan (a plan for a child's special educational needs)"),
    ("SEND", "special educational needs and disabilities"),
    ("IRO", "Independent Reviewing Officer (the person who checks a child's care plan)"),
    ("PLO", "the Public Law Outline (the steps before going to court about a child)"),
    ("MASH", "the team that first looks at worries about a child"),
    ("LADO", "the officer who looks at worries about adults who work with children"),
    ("LGSCO", "the Local Government and Social Care Ombudsman"),
    ("pursuant to", "under"),
    ("in accordance with", "as set out in"),
    ("escalate", "take further"),
]


def upgrade():
    jargon = op.create_table(
        'jargon_term',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=80), nullable=False),
        sa.Column('plainer', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jargon_term')),
        sa.UniqueConstraint('term', name=op.f('uq_jargon_term_term')),
    )
    op.create_table(
        'letter_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('audience', sa.String(length=10), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'],
                                name=op.f('fk_letter_template_created_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
        sa.UniqueConstraint('purpose', 'channel', 'audience', 'version', name='uq_letter_template_version'),
    )
    op.create_table(
        'letter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('feedback_id', sa.Integer(), nullable=True),
        sa.Column('restriction_id', sa.Integer(), nullable=True),
        sa.Column('purpose', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('audience', sa.String(length=10), nullable=False),
        sa.Column('template_id', sa.Integer(), nullable=True),
        sa.Column('template_version', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=True),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('override_reason', sa.Text(), nullable=True),
        sa.Column('overridden_by_id', sa.Integer(), nullable=True),
        sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_letter_created_by_id_staff_user')),
        sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_letter_feedback_id_feedback')),
        sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'],
                                name=op.f('fk_letter_outbox_message_id_outbox_message')),
        sa.ForeignKeyConstraint(['overridden_by_id'], ['staff_user.id'],
                                name=op.f('fk_letter_overridden_by_id_staff_user')),
        sa.ForeignKeyConstraint(['restriction_id'], ['contact_restriction.id'],
                                name=op.f('fk_letter_restriction_id_contact_restriction')),
        sa.ForeignKeyConstraint(['template_id'], ['letter_template.id'],
                                name=op.f('fk_letter_template_id_letter_template')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_feedback_id'), ['feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_restriction_id'), ['restriction_id'], unique=False)
    op.bulk_insert(jargon, [{"term": term, "plainer": plainer} for term, plainer in JARGON])


def downgrade():
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_restriction_id'))
        batch_op.drop_index(batch_op.f('ix_letter_feedback_id'))
    op.drop_table('letter')
    op.drop_table('letter_template')
    op.drop_table('jargon_term')
