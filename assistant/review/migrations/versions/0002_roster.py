"""The roster of agencies expected to report.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("agency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("roster")
