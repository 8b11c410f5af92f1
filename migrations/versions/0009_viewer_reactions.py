"""a viewer sees the reactions only when the young person says so

Revision ID: 0009_viewer_reactions
Revises: 0008_meetings
Create Date: 2026-12-02 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_viewer_reactions'
down_revision = '0008_meetings'
branch_labels = None
depends_on = None


def upgrade():
    # Off for every existing share: a worker sees the reactions whatever this says, and a
    # viewer who saw them before now needs the young person to switch them on.
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sees_reactions', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('shares', schema=None) as batch_op:
        batch_op.drop_column('sees_reactions')
