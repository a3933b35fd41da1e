"""Documents: upload, type sniffing, storage, versions, previews and the viewer."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: pages, preview jobs, worker hooks."""
    from .. import jobs
    from . import office, tasks
    from .views import bp

    app.register_blueprint(bp)
    jobs.register_task("documents.preview", tasks.preview, priority=1)
    # The rest of a long file runs before ordinary jobs such as indexing, after every first page.
    jobs.register_task("documents.preview_rest", tasks.preview_rest, priority=2)
    jobs.register_recovery(tasks.sweep_uploads)
    jobs.register_exit(office.stop_for_exit)  # a stopping `flask worker` ends its warm LibreOffice

