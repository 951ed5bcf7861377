"""login throttling: failed logins and locks per account and per address (issue #15)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"  # after the case parties
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_login_failures_account_key", "login_failures", ["account_key"])
    op.create_index("ix_login_failures_ip_hash", "login_failures", ["ip_hash"])
    op.create_table(
        "login_locks",
        sa.Column("key", sa.String(length=80), primary_key=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_locks")
    op.drop_index("ix_login_failures_ip_hash", table_name="login_failures")
    op.drop_index("ix_login_failures_account_key", table_name="login_failures")
    op.drop_table("login_failures")
