"""Load a record for the current person, or answer 404 (also when they may not see it)."""

from collections.abc import Callable
from typing import TypeVar

from flask import abort
from flask_login import current_user

from .extensions import db

T = TypeVar("T")


def load_visible(model: type[T], ident: int, may_view: Callable[..., bool]) -> T:
    """Return the row when it exists and `may_view(user, row)`; otherwise 404, so ids reveal nothing."""
    row = db.session.get(model, ident)
    if row is None or not may_view(current_user, row):
        abort(404)
    return row
