"""a colleague who stands in while a worker is on leave

Revision ID: 0018_stand_ins
Revises: 0017_share_last_day
Create Date: 2026-12-03 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_stand_ins'
down_revision = '0017_share_last_day'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stand_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_place_id', sa.Integer(), nullable=False),
    sa.Column('colleague_place_id', sa.Integer(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['colleague_place_id'], ['memberships.id'], name=op.f('fk_stand_ins_colleague_place_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_place_id'], ['memberships.id'], name=op.f('fk_stand_ins_worker_place_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stand_ins'))
    )
    with op.batch_alter_table('stand_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stand_ins_colleague_place_id'), ['colleague_place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stand_ins_worker_place_id'), ['worker_place_id'], unique=False)
    op.create_table('stand_in_asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stand_in_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_stand_in_asks_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stand_in_id'], ['stand_ins.id'], name=op.f('fk_stand_in_asks_stand_in_id_stand_ins'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stand_in_asks')),
    sa.UniqueConstraint('stand_in_id', 'plan_id', name=op.f('uq_stand_in_asks_stand_in_id'))
    )
    with op.batch_alter_table('stand_in_asks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stand_in_asks_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stand_in_asks_stand_in_id'), ['stand_in_id'], unique=False)


def downgrade():
    op.drop_table('stand_in_asks')
    op.drop_table('stand_ins')
