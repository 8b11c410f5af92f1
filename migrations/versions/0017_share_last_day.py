"""shares and invitations that end after a last day; notices about a share

Revision ID: 0017_share_last_day
Revises: 0016_waiting_jobs
Create Date: 2026-12-03 17:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_share_last_day'
down_revision = '0016_waiting_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('warned_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_shares_last_day'), ['last_day'], unique=False)
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_day', sa.Date(), nullable=True))
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notices_share_id'), ['share_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_notices_share_id_shares'), 'shares', ['share_id'], ['id'],
            ondelete='CASCADE',
        )


def downgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notices_share_id_shares'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notices_share_id'))
        batch_op.drop_column('share_id')
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_column('last_day')
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shares_last_day'))
        batch_op.drop_column('warned_at')
        batch_op.drop_column('last_day')
