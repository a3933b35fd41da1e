"""Full-text search: Chinese-first analysis, permission-trimmed queries, facets and suggestions.

Nothing is imported at module level: hub.models imports hub.search.models, so importing this
package must not pull in the rest of the app.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: pages, the built-in kinds, the indexing hooks and job, CLI."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from .. import jobs
    from . import backends, indexing, kinds_documents, kinds_knowledge
    from .cli import search_cli
    from .views import bp

    backends.init_app(app)  # refuses HUB_SEARCH=postgres without a PostgreSQL database
    app.register_blueprint(bp)
    kinds_documents.register_kinds()
    kinds_knowledge.register_kinds()
    for name, hook in indexing.SESSION_HOOKS:
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
    jobs.register_task(indexing.TASK, indexing.index_task, priority=3, lane="index")  # findable without waiting on previews
    app.cli.add_command(search_cli)
