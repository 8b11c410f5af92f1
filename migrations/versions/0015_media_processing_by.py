"""which consumer prepares a video, so a restarted one requeues a killed one's job

Revision ID: 0015_media_processing_by
Revises: 0014_pending_deletions
Create Date: 2026-12-03 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_media_processing_by'
down_revision = '0014_pending_deletions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processing_by', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('processing_by')
