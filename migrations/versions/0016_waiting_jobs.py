"""jobs kept while the job queue is unreachable

Revision ID: 0016_waiting_jobs
Revises: 0015_media_processing_by
Create Date: 2026-12-03 17:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_waiting_jobs'
down_revision = '0015_media_processing_by'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('waiting_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('arguments', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_jobs'))
    )


def downgrade():
    op.drop_table('waiting_jobs')
