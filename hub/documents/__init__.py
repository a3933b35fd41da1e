"""Documents: upload, type sniffing, storage, versions, previews and the viewer."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Add what this area brings to the app: pages, preview jobs, worker hooks, the upload refusal answer."""
    from .. import jobs
    from . import office, tasks
    from .services import UploadRefused
    from .views import bp

    app.register_blueprint(bp)
    jobs.register_task("documents.preview", tasks.preview, priority=1)
    # The rest of a long file runs before ordinary jobs such as indexing, after every first page.
    jobs.register_task("documents.preview_rest", tasks.preview_rest, priority=2)
    jobs.register_recovery(tasks.sweep_uploads)
    jobs.register_exit(office.stop_for_exit)  # a stopping `flask worker` ends its warm LibreOffice
    app.register_error_handler(UploadRefused, refused_upload)


def refused_upload(exc):
    """Like every ValidationError, but with the file's own status: 413 too large, 415 type, 422 broken."""
    from flask import render_template, request

    from ..errors import json_error
    from ..extensions import db

    db.session.rollback()
    if request.path.startswith("/api/"):
        return json_error(exc.status, exc.message)
    return render_template("error.html", status=exc.status, message=exc.message), exc.status
