"""Indexing benchmark: how soon uploads become searchable, and how fast a full reindex runs.

    .venv/bin/python bench/bench_indexing.py [--uploads 500] [--docs 50000] [--skip-fresh] [--skip-reindex]

(a) Freshness: a throwaway instance (SQLite, the embedded job worker thread as `app.py` runs it)
receives --uploads small Chinese/English text files through `POST /api/v1/documents`, each holding a
word found in no other. A watcher records when each preview settles (ready or failed) and when the
committed index first finds the document by its word. Printed: last preview settled -> last document
searchable, and for one more upload afterwards, preview settled -> found by `GET /api/v1/search`.
Run twice in the same process: with the index job in the main lane behind the previews (as before)
and in the lane it is registered with now (a worker thread of its own, hub/jobs_worker.py).
(b) Reindex: --docs generated documents (bench/_search_corpus.py, inserted as bench/bench_search.py
does), rebuilt with the previous reindex (Whoosh's multiprocessing writer, one growing segment per
process) and with the current one (`hub.search.maintenance.reindex`): docs/s, docs per CPU second (all
processes; the figure to compare when other work shares the cores), index size, segments.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from bench._search_corpus import Corpus  # noqa: E402


def dir_size(path: str) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


# --- (a) freshness ---------------------------------------------------------------------------


def make_app(base: Path):
    from hub import create_app
    from hub.auth import services as people
    from hub.extensions import db

    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_DIR": str(base), "UPLOAD_DIR": str(base / "uploads"),
        "INDEX_DIR": str(base / "search_index"), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'hub.db'}",
        "RATELIMIT_STORAGE_URI": "memory://", "JOBS_EMBEDDED_WORKER": True, "REDIS_URL": None,
    })
    with app.app_context():
        db.create_all()
        user = people.create_user("bench@bench.hub", "Bench", "staff", password="bench-pass-1", department_name="基准部")
        db.session.flush()
        token = people.issue_token(user, "bench")
        dept_id = user.memberships[0].department_id
        db.session.commit()
    return app, token, dept_id


class Watcher(threading.Thread):
    """Polls the database for settled previews and the committed index for each document's word."""

    def __init__(self, app, words: dict[int, str]):
        super().__init__(daemon=True)
        self.app, self.words = app, words
        self.settled: dict[int, float] = {}
        self.found: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        from whoosh import index as whoosh_index
        from whoosh.query import Or, Term

        from hub.extensions import db
        from hub.models import Document, DocumentVersion

        with self.app.app_context():
            while not self.stop.wait(0.05):
                rows = db.session.execute(
                    db.select(Document.id, DocumentVersion.preview_state)
                    .join(DocumentVersion, DocumentVersion.id == Document.current_version_id)
                ).all()
                db.session.commit()
                now = time.monotonic()
                for doc_id, state in rows:
                    if state in ("ready", "failed") and doc_id not in self.settled:
                        self.settled[doc_id] = now
                waiting = {w: i for i, w in self.words.items() if i not in self.found}
                path = self.app.config["INDEX_DIR"]
                if not waiting or not whoosh_index.exists_in(path):
                    continue
                with whoosh_index.open_dir(path).searcher() as searcher:
                    hits = searcher.search(Or([Term("body", w) for w in waiting]), limit=None)
                    keys = {hit["key"] for hit in hits}
                now = time.monotonic()
                for doc_id in waiting.values():
                    if f"document:{doc_id}" in keys:
                        self.found[doc_id] = now


def text_file(corpus: Corpus, n: int) -> tuple[str, bytes, str]:
    doc = next(corpus.documents(1))
    word = f"uq{n:05d}z"
    body = doc["body"]
    cut = len(body) // 2
    return f"{doc['title'][:40]}-{n}.txt", (body[:cut] + f" {word} " + body[cut:]).encode("utf-8"), word


def freshness(label: str, uploads: int, lane: str) -> None:
    from hub import jobs
    from hub.search import indexing

    base = Path(tempfile.mkdtemp(prefix="hub-bench-fresh-"))
    try:
        app, token, dept_id = make_app(base)
        registered = jobs.REGISTRY[indexing.TASK]
        jobs.register_task(indexing.TASK, indexing.index_task, priority=registered.priority, lane=lane)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        corpus = Corpus(seed=3)
        words: dict[int, str] = {}
        watcher = Watcher(app, words)
        watcher.start()
        started = time.monotonic()
        for n in range(uploads):
            name, data, word = text_file(corpus, n)
            form = {"file": (io.BytesIO(data), name), "department_id": str(dept_id), "allow_duplicate": "true"}
            response = client.post("/api/v1/documents", data=form, headers=headers, content_type="multipart/form-data")
            assert response.status_code == 201, response.get_json()
            words[response.get_json()["id"]] = word
        uploaded = time.monotonic()
        deadline = uploaded + 1800
        while len(watcher.found) < uploads and time.monotonic() < deadline:
            time.sleep(0.1)
        watcher.stop.set()
        watcher.join()
        last_settled = max(watcher.settled[i] for i in words if i in watcher.settled)
        last_found = max(watcher.found.values()) if watcher.found else float("nan")
        lags = sorted(watcher.found[i] - watcher.settled[i] for i in words if i in watcher.found and i in watcher.settled)
        print(
            f"  {label}: {uploads} uploads in {uploaded - started:.1f} s; last preview settled at "
            f"+{last_settled - started:.1f} s, last searchable at +{last_found - started:.1f} s: "
            f"settled -> all searchable {last_found - last_settled:.1f} s; per document settled -> searchable "
            f"median {lags[len(lags) // 2]:.2f} s, max {lags[-1]:.2f} s ({len(watcher.found)}/{uploads} found)"
        )
        print(f"  {label}: single upload preview settled -> searchable {single_upload(app, client, headers, dept_id, corpus):.2f} s")
        jobs.stop_worker(app)
        jobs.REGISTRY[indexing.TASK] = registered
    finally:
        shutil.rmtree(base, ignore_errors=True)


def single_upload(app, client, headers, dept_id, corpus) -> float:
    """One upload on an idle queue: seconds from its preview settling to `GET /api/v1/search` finding it."""
    from hub.extensions import db
    from hub.models import Document

    name, data, word = text_file(corpus, 99999)
    form = {"file": (io.BytesIO(data), name), "department_id": str(dept_id), "allow_duplicate": "true"}
    doc_id = client.post("/api/v1/documents", data=form, headers=headers, content_type="multipart/form-data").get_json()["id"]
    settled, deadline = None, time.monotonic() + 600
    with app.app_context():
        while time.monotonic() < deadline:
            db.session.expire_all()
            if settled is None and db.session.get(Document, doc_id).current_version.preview_state in ("ready", "failed"):
                settled = time.monotonic()
            db.session.commit()
            if settled is not None:
                found = client.get(f"/api/v1/search?q={word}", headers=headers).get_json()
                if any((r["kind"], r["id"]) == ("document", doc_id) for r in found.get("results", [])):
                    return time.monotonic() - settled
            time.sleep(0.01)
    return float("nan")


# --- (b) reindex -----------------------------------------------------------------------------


def previous_reindex(path: str) -> int:
    """The reindex as it was: Whoosh's multiprocessing writer, analysis and segments in its processes."""
    from whoosh.writing import CLEAR

    from hub.search import maintenance
    from hub.search.analysis import set_dictionary
    from hub.search.index import _write_lock, create_index, save_dictionary

    items, words = maintenance.all_items(), maintenance.admin_words()
    procs = min(os.cpu_count() or 1, 4)
    with _write_lock:
        set_dictionary(words)
        writer = create_index(path).writer(procs=procs, multisegment=True, batchsize=50, limitmb=128)
        written = 0
        for _kind, _ident, fields in maintenance._entries(items):
            if fields is not None:
                writer.add_document(**fields)
                written += 1
        writer.commit(mergetype=CLEAR)
        save_dictionary(path, words)
    return written


def reindex_bench(docs: int) -> None:
    from whoosh import index as whoosh_index

    from bench.bench_search import build_app, load_database
    from hub.search.analysis import segmenter
    from hub.search.maintenance import reindex

    base = tempfile.mkdtemp(prefix="hub-bench-reindex-")
    try:
        app = build_app(base)
        app.test_request_context("/").push()
        segmenter()
        started = time.perf_counter()
        load_database(Corpus(seed=11), docs)
        print(f"  corpus: {docs} documents loaded in {time.perf_counter() - started:.1f} s")
        for label, run in (("previous", previous_reindex), ("current", reindex)):
            path = f"{base}/index-{label}"
            started, before = time.perf_counter(), os.times()
            written = run(path)
            took, after = time.perf_counter() - started, os.times()
            cpu = sum(after[:4]) - sum(before[:4])  # this process and its (joined) worker processes
            segments = len(whoosh_index.open_dir(path)._segments())
            print(
                f"  reindex {label}: {written} entries in {took:.1f} s = {written / took:.0f} docs/s"
                f" ({cpu:.1f} CPU s = {written / cpu:.0f} docs per CPU second, load {os.getloadavg()[0]:.1f});"
                f" index {dir_size(path) / 1e6:.1f} MB in {segments} segments"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=500)
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--skip-fresh", action="store_true")
    parser.add_argument("--skip-reindex", action="store_true")
    args = parser.parse_args()
    jieba.setLogLevel(60)
    random.seed(1)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if not args.skip_fresh:
        print(f"(a) freshness, {args.uploads} uploads")
        freshness("index jobs in the main lane (before)", args.uploads, lane="")
        freshness("index jobs in their own lane (now)", args.uploads, lane="index")
    if not args.skip_reindex:
        print(f"(b) reindex, {args.docs} documents")
        reindex_bench(args.docs)


if __name__ == "__main__":
    main()
