"""Reports, findings and triage.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("source_kind", sa.String(8), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("agency_key", sa.String(200), nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("agency_kind", sa.String(16), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("current", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("result", sa.Text, nullable=True),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("infos", sa.Integer, nullable=False),
        sa.Column("paired_with", sa.Integer, nullable=True),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("checked_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False, index=True),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("citation", sa.Text, nullable=False),
        sa.Column("suggestion", sa.Text, nullable=False),
        sa.UniqueConstraint("report_id", "fingerprint"),
    )
    op.create_table(
        "triage",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_triage_key", "triage", ["subject", "year", "fingerprint"])


def downgrade() -> None:
    op.drop_table("triage")
    op.drop_table("findings")
    op.drop_table("reports")
