"""The admin dictionary: names the segmenter must keep whole. Changes apply at the next reindex."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from .analysis import fold
from .models import WORD_KINDS, SearchWord


def words() -> list[SearchWord]:
    return list(db.session.scalars(select(SearchWord).order_by(SearchWord.kind, SearchWord.word)))


def add_word(word: str, kind: str, author) -> SearchWord:
    """Add a name (folded: simplified, lower case) and commit; spaces are not allowed inside a word."""
    folded = fold(word or "").strip()
    if not folded or any(c.isspace() for c in folded) or len(folded) > 60:
        raise ValidationError(_("A dictionary word is one name without spaces (at most 60 characters)."))
    if not any(c.isalnum() for c in folded):
        raise ValidationError(_("A dictionary word needs letters or digits."))
    if kind not in WORD_KINDS:
        raise ValidationError(_("Unknown kind of name."))
    if db.session.scalar(select(SearchWord).where(SearchWord.word == folded)) is not None:
        raise ValidationError(_("“%(word)s” is already in the dictionary.", word=folded))
    entry = SearchWord(word=folded, kind=kind, created_by_id=author.id)
    db.session.add(entry)
    db.session.commit()
    return entry


def remove_word(entry: SearchWord) -> None:
    """Remove a name and commit."""
    db.session.delete(entry)
    db.session.commit()
