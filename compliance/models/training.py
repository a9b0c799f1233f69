"""Guidance modules (versioned content), their sources, and who has read what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from compliance.models.base import Base, TimestampMixin, UTCDateTime, str200, utcnow


class Source(Base):
    """A public source that content cites by tag (S1, S5b…), from the domain reference."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(String(10), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500))


class TrainingModule(TimestampMixin, Base):
    """One version of a guidance module. A changed file adds a version; old ones stay."""

    __tablename__ = "training_modules"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=True, index=True)
    position: Mapped[int]
    title: Mapped[str200]
    summary: Mapped[str] = mapped_column(String(500))
    body_markdown: Mapped[str] = mapped_column(Text)
    reading_minutes: Mapped[int]
    jurisdictions: Mapped[list[str]] = mapped_column(JSON)
    jurisdiction_notes: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_tags: Mapped[list[str]] = mapped_column(JSON)
    last_reviewed: Mapped[date]
    # The role of whoever checked this version against the domain reference on last_reviewed.
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    content_hash: Mapped[str] = mapped_column(String(64))


class ModuleRead(Base):
    """A user reached the end of a module and confirmed they had read it."""

    __tablename__ = "module_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_slug: Mapped[str] = mapped_column(String(80))
    module_id: Mapped[int] = mapped_column(ForeignKey("training_modules.id"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
