"""Tables of the reviewer workspace (the migration in migrations/versions creates the same schema)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Report(Base):
    """One distinct content (sha256 of its bytes); a corrected re-upload is a new row, a new version."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(8), default="bytes")
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    agency: Mapped[str] = mapped_column(Text, default="")
    agency_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[str | None] = mapped_column(String(16), nullable=True)
    agency_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[int] = mapped_column(Integer, default=1)  # 1 = latest version of its agency and year
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | checked | unreadable
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)  # the `check --format json` object
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    paired_with: Mapped[int | None] = mapped_column(Integer, nullable=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    findings: Mapped[list[Finding]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                   order_by="Finding.position")

    @property
    def subject(self) -> str:
        return subject_of(self)


def subject_of(report) -> str:
    """What triage is keyed by with the year: the agency, or the content when the agency is unknown
    (`report`: a Report, or a row with agency_key, year and sha256)."""
    return report.agency_key if report.agency_key and report.year else f"sha:{report.sha256}"


class Finding(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("report_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(32), index=True)
    rule: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(Text)  # JSON
    citation: Mapped[str] = mapped_column(Text, default="")
    suggestion: Mapped[str] = mapped_column(Text, default="")
    report: Mapped[Report] = relationship(back_populates="findings")


class Triage(Base):
    """A reviewer's decision; rows are only appended, so concurrent reviewers never overwrite each other.
    The latest row of (subject, year, fingerprint) is the finding's state."""

    __tablename__ = "triage"
    __table_args__ = (Index("ix_triage_key", "subject", "year", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)  # 0 when the report's year is unknown
    fingerprint: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))  # confirm | dismiss
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime)


class RosterEntry(Base):
    """An agency that must publish a report each year (its kind sets the deadline, 条例第四十九条)."""

    __tablename__ = "roster"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(Text)
    agency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # department | government
