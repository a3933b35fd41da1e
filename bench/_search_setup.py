"""The search benchmark's instance: app settings per backend, the generated documents, timing helpers."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench._search_corpus import Corpus

READER_EMAIL = "reader@bench.hub"

# CPU ms per query by label: on a loaded machine wall times mostly measure waiting for a core.
CPU_TIMES: dict[str, list[float]] = {}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def dir_size(path: str) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def app_config(base: str, backend: str = "whoosh", database_url: str | None = None) -> dict:
    """Settings of a bench app: files under base; SQLite there unless a database URL is given."""
    return {
        "TESTING": True,
        "SECRET_KEY": "bench",
        "INSTANCE_DIR": base,
        "UPLOAD_DIR": f"{base}/uploads",
        "INDEX_DIR": f"{base}/search_index",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{base}/hub.db",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SEARCH_BACKEND": backend,
    }


def build_app(base: str, backend: str = "whoosh", database_url: str | None = None):
    """An app with its tables created (the PostgreSQL search tables too, as the migration would)."""
    from hub import create_app
    from hub.extensions import db
    from hub.search import pg_models

    app = create_app(app_config(base, backend, database_url))
    with app.app_context():
        db.create_all()
        if backend == "postgres":
            pg_models.metadata.create_all(db.engine)
    return app


def find_reader():
    from hub.extensions import db
    from hub.models import User

    return db.session.scalar(db.select(User).where(User.email == READER_EMAIL))


def load_database(corpus: Corpus, n: int) -> object:
    """Insert departments, a staff member, and n documents with one version and their pages (Core inserts)."""
    from hub.auth import services
    from hub.extensions import db
    from hub.models import Department, Document, DocumentPage, DocumentVersion, Rating

    reader = services.create_user(
        READER_EMAIL, "Reader", "staff", "bench-password-1", department_name="部门1"
    )
    for i in range(2, 9):
        services.get_or_create_department(f"部门{i}")
    db.session.commit()
    dept_ids = list(db.session.scalars(db.select(Department.id)))
    rng = random.Random(7)
    now = datetime(2026, 11, 1)
    docs, versions, pages, ratings = [], [], [], []
    for i, doc in enumerate(corpus.documents(n), start=1):
        when = now - timedelta(days=rng.randrange(0, 730), seconds=rng.randrange(86400))
        docs.append(
            {
                "id": i,
                "department_id": rng.choice(dept_ids),
                "owner_id": reader.id,
                "title": doc["title"],
                "description": doc["description"],
                "category": doc["category"],
                "tags": doc["tags"],
                "visibility": "staff" if rng.random() < 0.8 else "department",
                "current_version_id": None,
                "created_at": when,
                "updated_at": when,
            }
        )
        versions.append(
            {
                "id": i,
                "document_id": i,
                "number": 1,
                "uploader_id": reader.id,
                "filename": f"d{i}.{doc['file_type']}",
                "sha256": f"{i:064d}",
                "size": len(doc["body"]),
                "mime_type": "application/octet-stream",
                "file_type": doc["file_type"],
                "preview_state": "ready",
                "pages_ready": len(doc["pages"]),
                "page_count": len(doc["pages"]),
            }
        )
        pages += [{"version_id": i, "number": k, "text": t} for k, t in enumerate(doc["pages"], start=1)]
        if rng.random() < 0.3:
            ratings.append({"user_id": reader.id, "document_id": i, "stars": rng.randint(1, 5)})
    for model, rows in (
        (Document, docs),
        (DocumentVersion, versions),
        (DocumentPage, pages),
        (Rating, ratings),
    ):
        for start in range(0, len(rows), 5000):
            db.session.execute(db.insert(model), rows[start : start + 5000])
    db.session.execute(db.update(Document).values(current_version_id=Document.id))
    db.session.commit()
    return reader


def time_queries(label: str, queries: list[str], run) -> tuple[list[float], list]:
    """Wall ms per query of queries[5:] (the first 5 warm up), and their outcomes; CPU ms go to
    CPU_TIMES[label]. No timed query ran before: a generation remembers the answers it gave."""
    for q in queries[:5]:
        run(q)  # warm caches (scope sets, columns, jieba, PostgreSQL buffers)
    times, outs = [], []
    cpu = CPU_TIMES.setdefault(label, [])
    for q in queries[5:]:
        t, c = time.perf_counter(), time.process_time()
        outs.append(run(q))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return times, outs


def cpu_text(label: str) -> str:
    values = CPU_TIMES.get(label, [])
    return f"CPU p50 {pct(values, 50):.1f} ms, p95 {pct(values, 95):.1f} ms" if values else ""


def profile_queries(reader, queries: list[str], search) -> None:
    """Where a search spends its time, over these queries (pyinstrument, as text)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for q in queries:
        search(reader, q, per_page=10)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))
