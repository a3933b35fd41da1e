"""Full-text search: Chinese-first analysis, permission-trimmed queries, facets and suggestions.

Nothing is imported at module level: hub.models imports hub.search.models, so importing this
package must not pull in the rest of the app.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app."""
    from .views import bp

    app.register_blueprint(bp)
