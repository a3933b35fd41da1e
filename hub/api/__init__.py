"""The JSON API under /api/v1: one blueprint, routes contributed by one module per area.

The API sits on top of the areas: it imports their services and schemas, never the other way round.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Attach every route module's views to the blueprint, then register it."""
    from . import (  # noqa: F401 - each module adds its routes to the blueprint
        assessments,
        customers,
        departments,
        documents,
        follows,
        me,
        notifications,
        openapi,
        portal,
        portal_staff,
        search,
        social,
    )
    from .blueprint import bp

    app.register_blueprint(bp)
