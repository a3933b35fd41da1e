"""Search benchmark: Whoosh and PostgreSQL full-text search on the same generated documents, and FTS5.

    .venv/bin/python bench/bench_search.py [--docs 50000] [--queries 100] [--backends whoosh,postgres]
        [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/hub_bench_search] [--real] [--keep]
    .venv/bin/python bench/bench_search.py --instance /tmp/hub-bench-search-XXXX [--profile 30]

For each backend in --backends (default both, Whoosh first) it builds an instance and inserts the
same --docs documents of about 800 characters (80% Chinese, 20% English; words drawn Zipf-like
from jieba's dictionary and an English list; `Corpus(seed=11)` each time):
- whoosh runs as deployed embedded: SQLite + a Whoosh index in a temp dir;
- postgres runs with HUB_SEARCH=postgres on the database of --pg-url (its name must start with
  hub_bench_), created fresh and dropped at the end unless --keep; the app tables and the
  search tables are created as the tests do (db.create_all + pg_models).
Then, per backend:
- load time; reindex from the database (`hub.search.maintenance.reindex`, what `flask search
  reindex` runs, on the configured backend): entries per second; index size (Whoosh: the index
  folder; PostgreSQL: pg_total_relation_size of search_entries and search_meta, GIN indexes and
  TOAST included, after a VACUUM ANALYZE, as autovacuum does soon after a reindex);
- 1-, 2- and 3-term queries (the same lists on both backends) through `hub.search.service.search`
  as a staff member with per_page=10: scope trimming, facets and the top 10 with highlighted
  snippets: p50/p95 wall and CPU (CPU of this process; PostgreSQL's work runs in its server),
  median hits and ms per stage; then suggest p50/p95;
- the hostile queries of tests/test_search_pg.py (HOSTILE: wildcards, 5,000-deep parentheses,
  10,000 ORs, NUL bytes, 16k characters, field injection): median and max ms, which ended with
  a statement timeout notice, and any exception (search must never raise);
- two app processes querying at once: one spawned process alone, then two started together
  (barrier), each its own app on the same database/index running the 2-term list: per-process
  p50/p95 and combined queries/s.
FTS5 is built once, from the first backend's database, with the same analysed tokens, and runs
the same queries (MATCH + rank, snippet() for the top 10, a GROUP BY per facet, scope filter).
A summary table ends the run: p95 per query size for each backend, their ratio and FTS5.

--keep leaves the instance (temp dir; the PostgreSQL database) in place; --instance times the
Whoosh queries on a kept instance again without loading, reindexing or building FTS5 (before/after
comparisons in one machine state; Whoosh only: --instance does not support postgres); --profile N
prints a pyinstrument profile of N 2-term searches per backend; --no-demo skips the demo data
timings (Whoosh); --real also indexes ../shared/corpus (when present, Whoosh). Prints; no assertion.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import whoosh  # noqa: E402

from bench import _search_pg as pg  # noqa: E402
from bench._search_concurrent import bench_hosts  # noqa: E402
from bench._search_corpus import Corpus  # noqa: E402
from bench._search_demo import bench_demo, bench_real  # noqa: E402
from bench._search_fts5 import fts5_build, fts5_query, fts5_rows  # noqa: E402
from bench._search_hostile import bench_hostile  # noqa: E402
from bench._search_setup import (  # noqa: E402
    CPU_TIMES,
    app_config,
    build_app,
    cpu_text,
    dir_size,
    find_reader,
    load_database,
    pct,
    profile_queries,
    time_queries,
)

BACKENDS = ("whoosh", "postgres")
SIZES = (1, 2, 3)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--backends", default=None, help="comma-separated: whoosh,postgres (default both)")
    parser.add_argument(
        "--pg-url", default=pg.DEFAULT_URL, help="the postgres backend's database (hub_bench_*)"
    )
    parser.add_argument(
        "--real", action="store_true", help="also index ../shared/corpus when present (whoosh)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temp instance and the PostgreSQL database"
    )
    parser.add_argument(
        "--instance", help="reuse a Whoosh instance kept by --keep (no loading, reindex, FTS5 build)"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="pyinstrument N 2-term queries")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data timings")
    args = parser.parse_args()
    backends = [
        b.strip() for b in (args.backends or ("whoosh" if args.instance else ",".join(BACKENDS))).split(",")
    ]
    if unknown := set(backends) - set(BACKENDS):
        parser.error(f"--backends: unknown {sorted(unknown)}; use {','.join(BACKENDS)}")
    if args.instance and "postgres" in backends:
        parser.error("--instance reuses a Whoosh instance only: use --backends whoosh")
    if "postgres" in backends:
        pg.database_name(args.pg_url)  # refuse a database the benchmark does not own before doing anything
    jieba.setLogLevel(60)
    version = getattr(whoosh, "versionstring", lambda: "?")()
    print(f"whoosh {version} from {Path(whoosh.__file__).parent}; {os.cpu_count()} CPUs; backends {backends}")
    corpus, rng = Corpus(seed=11), random.Random(5)
    queries = {n: [corpus.query(rng, n) for _ in range(args.queries)] for n in SIZES}
    profile = [corpus.query(rng, 2) for _ in range(args.profile)]
    work = args.instance or tempfile.mkdtemp(prefix="hub-bench-search-")
    results, fts = {}, {}
    try:
        if not args.no_demo and not args.instance and "whoosh" in backends:
            bench_demo(build_app, f"{work}/demo")
        for name in backends:
            results[name] = run_backend(name, work, args, queries, profile, fts)
        summary(results, fts)
    finally:
        if "postgres" in backends and not args.keep:
            pg.drop_database(args.pg_url)
        if args.keep:
            print(f"kept {work}" + (f" and {args.pg_url}" if "postgres" in backends else ""))
        elif not args.instance:
            shutil.rmtree(work, ignore_errors=True)


def run_backend(name: str, work: str, args, queries: dict, profile: list, fts: dict) -> dict:
    """Build, load, reindex and query one backend; then two app processes at once."""
    from hub.extensions import db

    base = f"{work}/corpus" if name == "whoosh" else f"{work}/pg"
    url = args.pg_url if name == "postgres" else None
    print(f"--- {name} ---")
    if url:
        pg.create_database(url)
    app = build_app(base, name, url)
    context = app.test_request_context(
        "/"
    )  # results carry links, built as in a request; one context throughout
    context.push()
    try:
        out = measure(name, app, base, args, queries, profile)
        if not fts:  # FTS5 once, from the first backend's documents
            fts.update(bench_fts5(f"{base}/fts.db", queries, reuse=bool(args.instance)))
        if args.real and name == "whoosh":
            bench_real(find_reader(), base, ROOT.parent / "shared" / "corpus")
    finally:
        db.session.remove()
        context.pop()
    out["hosts"] = bench_hosts(name, app_config(base, name, url), queries[2])
    with app.app_context():
        db.engine.dispose()  # the database is dropped at the end: no idle connection may hold it
    return out


def measure(name: str, app, base: str, args, queries: dict, profile: list) -> dict:
    from hub.extensions import db
    from hub.models import Document, User
    from hub.search.analysis import segmenter
    from hub.search.maintenance import reindex
    from hub.search.service import search

    segmenter()
    out: dict = {}
    index_dir = app.config["INDEX_DIR"]
    if args.instance:
        reader = find_reader()
        args.docs = db.session.scalar(db.select(db.func.count(Document.id)))
        out["size"] = dir_size(index_dir)
        print(f"reused instance: {args.docs} documents; index size {out['size'] / 1e6:.1f} MB")
    else:
        if name == "postgres":
            print(db.session.execute(db.text("SELECT version()")).scalar_one().split(" on ")[0])
        corpus, t = Corpus(seed=11), time.perf_counter()
        reader_id = load_database(corpus, args.docs).id
        print(
            f"{name} corpus: {args.docs} documents, ~{corpus.mean_chars:.0f} characters each,"
            f" loaded in {time.perf_counter() - t:.1f} s"
        )
        t = time.perf_counter()
        written = reindex(index_dir)
        took = time.perf_counter() - t
        out["rate"] = written / took
        reader = db.session.get(User, reader_id)
        detail = ""
        if name == "postgres":
            vacuum = pg.vacuum_analyze()
            out["size"], parts = pg.index_size()
            detail = f" ({parts}; VACUUM ANALYZE after it {vacuum:.1f} s)"
        else:
            out["size"] = dir_size(index_dir)
        print(
            f"{name} reindex from the database: {written} entries in {took:.1f} s = {out['rate']:.0f} docs/s;"
            f" index size {out['size'] / 1e6:.1f} MB{detail}"
        )
    out["p95"] = {}
    for n_terms in SIZES:
        label = f"{name}{n_terms}"
        times, outs = time_queries(label, queries[n_terms], lambda q: search(reader, q, per_page=10))
        out["p95"][n_terms] = pct(times, 95)
        stages: dict[str, list[float]] = {}
        for o in outs:
            for k, v in o.timings.items():
                stages.setdefault(k, []).append(v)
        hits = statistics.median([o.total for o in outs])
        stage_text = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in stages.items())
        print(
            f"{name} {n_terms}-term: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms"
            f" ({cpu_text(label)}; median hits {hits:.0f}; median ms per stage: {stage_text})"
        )
        found = [o for o in outs if o.hits]
        faceted = sum(1 for o in found if o.facets)
        marked = sum(1 for o in found if any("<mark>" in h.snippet_html for h in o.hits))
        print(f"  of {len(found)} with hits: {faceted} with facets, {marked} with <mark> in a snippet")
    bench_suggest(name, reader, args.docs)
    if profile:
        profile_queries(reader, profile, search)
    out["hostile"] = bench_hostile(name, reader)
    return out


def bench_suggest(name: str, reader, docs: int) -> None:
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
    print(f"{name} suggest at {docs} documents: p50 {pct(times, 50):.1f} ms, p95 {pct(times, 95):.1f} ms")


def bench_fts5(fts_path: str, queries: dict, reuse: bool) -> dict:
    """Build FTS5 from the current app's documents (unless reused) and time the same queries: {size: p95}."""
    from hub import policy
    from hub.extensions import db
    from hub.search.analysis import analyze

    if not reuse:
        rate = fts5_build(fts_path, fts5_rows(db))
        print(
            f"FTS5 build (same jieba analysis, 2 processes): {rate:.0f} docs/s;"
            f" size {os.path.getsize(fts_path) / 1e6:.1f} MB"
        )
    con = sqlite3.connect(fts_path)
    scopes = policy.search_scope(find_reader())
    p95 = {}
    for n_terms in SIZES:
        label = f"fts{n_terms}"
        times, _ = time_queries(label, queries[n_terms], lambda q: fts5_query(con, analyze(q), scopes))
        p95[n_terms] = pct(times, 95)
        print(
            f"FTS5 {n_terms}-term: p50 {pct(times, 50):.1f} ms, p95 {p95[n_terms]:.1f} ms ({cpu_text(label)})"
        )
    con.close()
    return p95


def summary(results: dict, fts: dict) -> None:
    """One table: p95 per query size on each backend, postgres/whoosh and FTS5; then the other figures."""
    names = list(results)
    cols = [*(f"{n} p95" for n in names), *(["pg/whoosh"] if len(names) == 2 else []), "FTS5 p95"]
    print("--- summary (ms; same documents and queries on each backend) ---")
    print(f"{'':<22}" + "".join(f"{c:>14}" for c in cols))
    for n_terms in SIZES:
        row = [results[n]["p95"][n_terms] for n in names]
        cells = [f"{v:.1f}" for v in row]
        if len(names) == 2:
            cells.append(f"{row[1] / max(row[0], 0.01):.2f}")
        cells.append(f"{fts.get(n_terms, 0):.1f}")
        cpu = " / ".join(f"{pct(CPU_TIMES[f'{n}{n_terms}'], 95):.1f}" for n in names)
        print(f"{f'{n_terms}-term':<22}" + "".join(f"{c:>14}" for c in cells) + f"   (CPU p95 {cpu})")
    for title, cell in (
        ("reindex docs/s", lambda r: f"{r['rate']:.0f}" if "rate" in r else "-"),
        ("index size MB", lambda r: f"{r['size'] / 1e6:.1f}"),
        ("1 process queries/s", lambda r: f"{r['hosts']['alone']:.1f}" if r["hosts"] else "failed"),
        ("2 processes queries/s", lambda r: f"{r['hosts']['together']:.1f}" if r["hosts"] else "failed"),
        ("hostile max ms", lambda r: f"{r['hostile']['max']:.0f}"),
        ("hostile raised", lambda r: str(r["hostile"]["raised"])),
    ):
        print(f"{title:<22}" + "".join(f"{cell(results[n]):>14}" for n in names))


if __name__ == "__main__":
    main()
