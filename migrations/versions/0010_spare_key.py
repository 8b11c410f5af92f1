"""a spare key for a new password without e-mail

Revision ID: 0010_spare_key
Revises: 0009_viewer_reactions
Create Date: 2026-12-02 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_spare_key'
down_revision = '0009_viewer_reactions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spare_key_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('spare_key_hash')
