"""The admin-edited dictionary: product, competitor and customer names the segmenter keeps whole."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..models.base import utcnow

WORD_KINDS = ("product", "competitor", "customer", "other")


class SearchWord(db.Model):
    __tablename__ = "search_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(60), unique=True)  # stored folded (simplified, lower case)
    kind: Mapped[str] = mapped_column(String(12), default="product")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
