"""Key-account opening assessments: customer value scores and the opening position, kept as a history.

Every assessment is a new row (nothing is edited in place), so an account's page can show how the
scores moved and who moved them. The quadrant and the opening class are derived by
hub.assessments.scoring from the stored scores and positions, never stored themselves.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

TERRITORIES = ("ours", "neutral", "theirs")
POSITIONS = ("lead", "even", "trail")
SHORT_TERM_PARTS = ("deal_revenue", "quota_effect")
LONG_TERM_PARTS = ("follow_on", "reference_value", "team_morale")
SUB_SCORES = SHORT_TERM_PARTS + LONG_TERM_PARTS


def _score_check(column: str, nullable: bool = False) -> CheckConstraint:
    rule = f"{column} >= 0 AND {column} <= 10"
    if nullable:
        rule = f"{column} IS NULL OR ({rule})"
    return CheckConstraint(rule, name=f"ck_account_assessments_{column}")


class Assessment(db.Model):
    """One scoring of an account (or of one opportunity on it) by one colleague at one moment."""

    __tablename__ = "account_assessments"
    __table_args__ = (
        Index("ix_account_assessments_account_id_id", "account_id", "id"),
        _score_check("short_term"),
        _score_check("long_term"),
        *(_score_check(name, nullable=True) for name in SUB_SCORES),
        CheckConstraint("territory IN ('ours', 'neutral', 'theirs')", name="ck_account_assessments_territory"),
        CheckConstraint("position IN ('lead', 'even', 'trail')", name="ck_account_assessments_position"),
        CheckConstraint("deal_value >= 0", name="ck_account_assessments_deal_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    opportunity: Mapped[str] = mapped_column(String(120), default="")  # empty: the account as a whole
    competitor: Mapped[str] = mapped_column(String(80), default="")  # the main rival on this deal
    deal_value: Mapped[float] = mapped_column(Float, default=0.0)  # expected deal size, in 10,000 CNY
    short_term: Mapped[float] = mapped_column(Float)
    long_term: Mapped[float] = mapped_column(Float)
    deal_revenue: Mapped[int | None] = mapped_column(Integer)
    quota_effect: Mapped[int | None] = mapped_column(Integer)
    follow_on: Mapped[int | None] = mapped_column(Integer)
    reference_value: Mapped[int | None] = mapped_column(Integer)
    team_morale: Mapped[int | None] = mapped_column(Integer)
    territory: Mapped[str] = mapped_column(String(8))
    position: Mapped[str] = mapped_column(String(8))
    suggested_territory: Mapped[str | None] = mapped_column(String(8))  # what the recorded shares said then
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account = relationship("CustomerAccount")
    author = relationship("User")


class AccountShare(db.Model):
    """Historical business with an account in the same product line: ours (competitor '') or one rival's."""

    __tablename__ = "account_shares"
    __table_args__ = (
        UniqueConstraint("account_id", "competitor", name="uq_account_shares_account_competitor"),
        CheckConstraint("amount >= 0", name="ck_account_shares_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("customer_accounts.id", ondelete="CASCADE"), index=True)
    competitor: Mapped[str] = mapped_column(String(80), default="")  # '' is our own business
    amount: Mapped[float] = mapped_column(Float, default=0.0)  # past deal volume, in 10,000 CNY
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    recorded_by = relationship("User")

    @property
    def is_ours(self) -> bool:
        return self.competitor == ""
