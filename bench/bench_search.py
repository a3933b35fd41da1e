"""Search benchmark: index a generated corpus of Chinese and English documents, time queries, compare FTS5.

    .venv/bin/python bench/bench_search.py [--docs 50000] [--queries 100] [--real] [--keep]
    .venv/bin/python bench/bench_search.py --instance /tmp/hub-bench-search-XXXX [--profile 30]

--keep leaves the instance (database, index, FTS5 file) in place; --instance times the queries on
it again without loading, reindexing or building FTS5 (before/after comparisons in one machine
state); --profile N prints a pyinstrument profile of N 2-term searches.

Builds a throwaway instance (SQLite + Whoosh index in a temp dir), inserts --docs documents of
about 800 characters (80% Chinese, 20% English; words drawn Zipf-like from jieba's dictionary and
an English list), then:
- reindexes from the database (`hub.search.maintenance.reindex`, what `flask search reindex` runs):
  documents per second and index size;
- runs 1-, 2- and 3-term queries through `hub.search.service.search` as a staff member (scope
  trimming, facets, top-10 with highlighted snippets cut from the database): p50/p95, and where
  the time goes per stage;
- indexes the same analysed tokens in SQLite FTS5 and runs the same queries there (MATCH + rank,
  snippet() for the top 10, a GROUP BY per facet, scope filter): p50/p95, reported as a ratio.
With --real, also indexes the documents under ../shared/corpus (when present) and times a few
queries on them. Prints medians; no assertion.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import whoosh  # noqa: E402

from bench._search_corpus import Corpus, real_corpus_texts  # noqa: E402
from bench._search_demo import bench_demo  # noqa: E402
from bench._search_fts5 import fts5_build, fts5_query, fts5_rows  # noqa: E402


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def dir_size(path: str) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def build_app(base: str):
    from hub import create_app
    from hub.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "INSTANCE_DIR": base,
            "UPLOAD_DIR": f"{base}/uploads",
            "INDEX_DIR": f"{base}/search_index",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base}/hub.db",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def load_database(corpus: Corpus, n: int) -> object:
    """Insert departments, a staff member, and n documents with one version and their pages (Core inserts)."""
    from hub.auth import services
    from hub.extensions import db
    from hub.models import Department, Document, DocumentPage, DocumentVersion, Rating

    reader = services.create_user(
        "reader@bench.hub", "Reader", "staff", "bench-password-1", department_name="部门1"
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
    for q in queries[:5]:
        run(q)  # warm caches (scope sets, columns, jieba)
    times, outs = [], []
    cpu = CPU_TIMES.setdefault(label, [])
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        outs.append(run(q))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return times, outs


# CPU ms per query by label: on a loaded machine wall times mostly measure waiting for a core.
CPU_TIMES: dict[str, list[float]] = {}


def cpu_text(label: str) -> str:
    values = CPU_TIMES.get(label, [])
    return f"CPU p50 {pct(values, 50):.1f} ms, p95 {pct(values, 95):.1f} ms" if values else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--real", action="store_true", help="also index ../shared/corpus when present")
    parser.add_argument("--keep", action="store_true", help="keep the temp instance")
    parser.add_argument(
        "--instance", help="reuse an instance kept by --keep (skips loading, reindexing and the FTS5 build)"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="pyinstrument N 2-term queries")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data timings")
    args = parser.parse_args()
    jieba.setLogLevel(60)
    version = getattr(whoosh, "versionstring", lambda: "?")()
    print(f"whoosh {version} from {Path(whoosh.__file__).parent}; {os.cpu_count()} CPUs")
    if args.instance:
        run_bench(f"{args.instance}/corpus", args)
        return
    base = tempfile.mkdtemp(prefix="hub-bench-search-")
    try:
        if not args.no_demo:
            bench_demo(build_app, f"{base}/demo")
        run_bench(f"{base}/corpus", args)
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def run_bench(base: str, args) -> None:
    from hub import policy
    from hub.extensions import db
    from hub.models import Document, User
    from hub.search.analysis import analyze, segmenter
    from hub.search.maintenance import reindex
    from hub.search.service import search

    reuse = bool(args.instance)
    app = build_app(base)
    app.test_request_context("/").push()  # results carry links, built as in a request; one context throughout
    segmenter()
    corpus = Corpus(seed=11)
    index_dir = app.config["INDEX_DIR"]
    if reuse:
        reader = db.session.scalar(db.select(User).where(User.email == "reader@bench.hub"))
        args.docs = db.session.scalar(db.select(db.func.count(Document.id)))
        print(f"reused instance: {args.docs} documents; index size {dir_size(index_dir) / 1e6:.1f} MB")
    else:
        t = time.perf_counter()
        reader_id = load_database(corpus, args.docs).id
        print(
            f"corpus: {args.docs} documents, ~{corpus.mean_chars:.0f} characters each,"
            f" loaded in {time.perf_counter() - t:.1f} s"
        )
        t = time.perf_counter()
        written = reindex(index_dir)
        took = time.perf_counter() - t
        reader = db.session.get(User, reader_id)
        print(
            f"reindex from the database: {written} entries in {took:.1f} s = {written / took:.0f} docs/s;"
            f" index size {dir_size(index_dir) / 1e6:.1f} MB"
        )

    rng = random.Random(5)
    results = {}
    for n_terms in (1, 2, 3):
        queries = [corpus.query(rng, n_terms) for _ in range(args.queries)]
        times, outs = time_queries(f"{n_terms}", queries, lambda q: search(reader, q, per_page=10))
        stages = {}
        for out in outs:
            for k, v in out.timings.items():
                stages.setdefault(k, []).append(v)
        hits = statistics.median([o.total for o in outs])
        results[n_terms] = (queries, times)
        stage_text = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items())
        print(
            f"whoosh {n_terms}-term: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms"
            f" ({cpu_text(str(n_terms))}; median hits {hits:.0f}; median ms per stage: {stage_text})"
        )

    from hub.search.suggest import suggest

    typed = ["xs", "xsy", "kh", "kehu", "gl", "guanli", "销售", "客户", "管理", "cr", "crm", "dep", "deploy"]
    for q in typed:
        suggest(reader, q)
    times = []
    for _ in range(5):
        for q in typed:
            t = time.perf_counter()
            suggest(reader, q)
            times.append((time.perf_counter() - t) * 1000)
    print(f"suggest at {args.docs} documents: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms")

    if args.profile:
        profile_queries(reader, [corpus.query(rng, 2) for _ in range(args.profile)], search)
    fts_path = f"{base}/fts.db"
    if not reuse:
        rate = fts5_build(fts_path, fts5_rows(db))
        print(
            f"FTS5 build (same jieba analysis, 2 processes): {rate:.0f} docs/s;"
            f" size {os.path.getsize(fts_path) / 1e6:.1f} MB"
        )
    con = sqlite3.connect(fts_path)
    scopes = policy.search_scope(reader)
    for n_terms, (queries, whoosh_times) in results.items():
        times, _ = time_queries(f"fts{n_terms}", queries, lambda q: fts5_query(con, analyze(q), scopes))
        print(
            f"FTS5 {n_terms}-term: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms"
            f" ({cpu_text(f'fts{n_terms}')}); whoosh/FTS5 p95 ratio"
            f" {pct(whoosh_times, 95) / max(pct(times, 95), 0.01):.1f},"
            f" CPU p95 ratio {pct(CPU_TIMES[str(n_terms)], 95) / max(pct(CPU_TIMES[f'fts{n_terms}'], 95), 0.01):.1f}"
        )
    con.close()
    if args.real:
        bench_real(app, reader, base)


def profile_queries(reader, queries: list[str], search) -> None:
    """Where a search spends its time, over these queries (pyinstrument, as text)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for q in queries:
        search(reader, q, per_page=10)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def bench_real(app, reader, base) -> None:
    """Index the real documents beside the project (Markdown and text) and time some queries on them."""
    texts = real_corpus_texts(ROOT.parent / "shared" / "corpus")
    if not texts:
        print("real corpus: not present, skipped")
        return
    from hub.search.index import create_index
    from hub.search.kinds import Entry, to_fields
    from hub.search.service import search

    path = f"{base}/real_index"
    ix = create_index(path)
    t = time.perf_counter()
    with ix.writer(limitmb=256) as writer:
        for i, (title, text) in enumerate(texts, start=1):
            writer.add_document(**to_fields("document", i, Entry(title=title, body=text, scope=["staff"])))
    took = time.perf_counter() - t
    chars = sum(len(t) for _, t in texts)
    print(
        f"real corpus: {len(texts)} files, {chars / 1e6:.1f} M characters indexed in {took:.1f} s"
        f" ({len(texts) / took:.0f} docs/s, {chars / took / 1000:.0f} k chars/s)"
    )
    times = []
    for q in (
        "分布式 事务",
        "集群 部署",
        "消息 队列 延迟",
        "性能 调优",
        "gateway plugin",
        "事务 隔离级别",
        "慢查询",
    ):
        t = time.perf_counter()
        out = search(reader, q, path=path)
        times.append((time.perf_counter() - t) * 1000)
        print(f"  {q!r}: {out.total} hits, {times[-1]:.1f} ms")
    print(f"real corpus queries: median {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    main()
