"""drafts: complaint draft history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('drafts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('evidence_ids', sa.Text(), nullable=False),
    sa.Column('draft', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafts_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_drafts_case_created', ['case_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_drafts_case_created')
        batch_op.drop_index(batch_op.f('ix_drafts_case_id'))

    op.drop_table('drafts')
