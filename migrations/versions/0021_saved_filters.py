"""Issue 20: the inbox's filters a member of staff saves under a name (saved_filter)."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_saved_filters'
down_revision = '0020_child'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_filter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.String(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['staff_user.id'], name=op.f('fk_saved_filter_owner_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filter')),
        sa.UniqueConstraint('owner_id', 'name', name='uq_saved_filter_owner_id_name'),
    )
    with op.batch_alter_table('saved_filter') as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filter_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_filter') as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filter_owner_id'))
    op.drop_table('saved_filter')
