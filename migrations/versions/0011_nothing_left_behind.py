"""one-time form tokens, upload slots, and when a video went to the queue

Revision ID: 0011_nothing_left_behind
Revises: 0010_spare_key
Create Date: 2026-12-02 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_nothing_left_behind'
down_revision = '0010_spare_key'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_uses',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('done_url', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'token'),
    )
    with op.batch_alter_table('form_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_uses_created_at'), ['created_at'], unique=False)
    op.create_table(
        'upload_slots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('upload_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_upload_slots_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_upload_slots_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_upload_slots_created_at'), ['created_at'], unique=False
        )
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processing_since', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('processing_since')
    op.drop_table('upload_slots')
    op.drop_table('form_uses')
