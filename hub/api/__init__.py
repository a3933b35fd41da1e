"""The JSON API under /api/v1: one blueprint, routes contributed by each area's module."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules attach their views to `bp` on import.
from . import (  # noqa: E402,F401
    assessments,
    customers,
    departments,
    documents,
    me,
    notifications,
    openapi,
    portal,
    search,
    social,
)
