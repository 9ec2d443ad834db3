"""Issue 16: the worker's scheduled jobs record each run in job_run; (job, run_for) is
unique, so two workers never run a day's job twice."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_worker_job_runs'
down_revision = '0013_secmail_links_and_failures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=40), nullable=False),
        sa.Column('run_for', sa.String(length=20), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('failed', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_run')),
        sa.UniqueConstraint('job', 'run_for', name='uq_job_run_job_run_for'),
    )


def downgrade():
    op.drop_table('job_run')
