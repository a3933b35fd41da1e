"""The JSON API under /api/v1: one blueprint, routes contributed by each area's module."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Route modules attach their views to `bp` on import.
from . import assessments, customers, departments, documents, me, notifications, openapi, search, social  # noqa: E402,F401
