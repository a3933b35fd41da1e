"""Search while the index is written: bulk uploads through the API while readers search at full speed.

    .venv/bin/python bench/bench_search_live.py [--docs 200] [--readers 4] [--latency 300] [--mode gunicorn]

Starts `app.py` (threads, SQLite, in-process job worker) on a fresh instance, uploads --docs text
documents with a token (real files from ../shared/corpus/zh when present, generated text
otherwise); each upload commits, and its indexing and preview jobs commit to the index in the
background. Meanwhile --readers threads call GET /api/v1/search without pause. Prints searches
made, failures (non-200) and the tracebacks the server logged; then, once indexing has settled,
p50/p95 of --latency sequential searches on this small index. No assertion.

With --in-process, no server: --docs generated documents are indexed one commit each through
`hub.search.indexing.apply` in this process, then --latency calls of `hub.search.service.search`
each run on a new thread, as the development server runs each request (p50/p95 of the call).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import flask, hub_server  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "zh"
QUERIES = ["配置", "路由", "服务", "插件", "集群", "数据库", "销售 客户", "用户 权限", "监控", "日志"]


def documents(n: int) -> list[tuple[str, bytes]]:
    files = sorted(p for p in CORPUS.rglob("*.md") if 500 < p.stat().st_size < 40_000) if CORPUS.is_dir() else []
    out = [(p.name, p.read_bytes()) for p in files[: n * 2]]  # spares for files the upload refuses
    rng = random.Random(3)
    words = ["配置", "路由", "服务", "插件", "集群", "数据库", "客户", "用户", "权限", "监控", "日志", "销售"]
    while len(out) < n * 2:
        text = "。".join("".join(rng.choices(words, k=8)) for _ in range(60))
        out.append((f"generated-{len(out)}.txt", text.encode()))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))]


def in_process(args) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench._search_corpus import Corpus
    from bench.bench_search import build_app, load_database
    from hub.extensions import db
    from hub.models import User
    from hub.search import indexing
    from hub.search.service import search

    with tempfile.TemporaryDirectory(prefix="hub-live-") as base:
        app = build_app(base)
        with app.test_request_context("/"):
            reader_id = load_database(Corpus(seed=5), args.docs).id
            t0 = time.perf_counter()
            for ident in range(1, args.docs + 1):
                indexing.apply([["document", ident, "refresh"]])
            print(f"indexed {args.docs} documents one commit each in {time.perf_counter() - t0:.1f} s")
        timings: list[float] = []
        rng = random.Random(9)

        def one(q: str) -> None:
            with app.test_request_context("/"):
                user = db.session.get(User, reader_id)
                t = time.perf_counter()
                search(user, q)
                timings.append((time.perf_counter() - t) * 1000)

        words = ["system", "data", "客户", "服务", "管理", "平台"]
        for _ in range(args.latency):
            thread = threading.Thread(target=one, args=(rng.choice(words),))
            thread.start()
            thread.join()
        print(f"search(), {args.latency} calls each on a new thread: p50 {statistics.median(timings):.2f} ms, "
              f"p95 {pct(timings, 95):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--latency", type=int, default=300)
    parser.add_argument("--log", help="copy the server log here")
    parser.add_argument("--in-process", action="store_true", help="time search() in this process, no server")
    parser.add_argument("--mode", default="embedded", choices=("embedded", "gunicorn"), help="app.py threads or gevent")
    args = parser.parse_args()
    if args.in_process:
        in_process(args)
        return
    files = documents(args.docs)
    with hub_server(args.mode) as (base, env):
        token = flask(env, "users", "token", "wanglei@yunfan.demo").strip().splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        dept = requests.get(f"{base}/api/v1/me", headers=headers, timeout=10).json()["department_ids"][0]
        done = threading.Event()
        counts = {"searches": 0, "failures": 0}
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def reader(seed: int) -> None:
            rng = random.Random(seed)
            with requests.Session() as http:
                while not done.is_set():
                    r = http.get(f"{base}/api/v1/search", params={"q": rng.choice(QUERIES)}, headers=headers, timeout=30)
                    with lock:
                        counts["searches"] += 1
                        if r.status_code != 200:
                            counts["failures"] += 1
                            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
        for t in threads:
            t.start()
        started = time.monotonic()
        uploaded = refused = 0
        with requests.Session() as http:
            for name, body in files:
                if uploaded == args.docs:
                    break
                mime = "text/markdown" if name.endswith(".md") else "text/plain"
                r = http.post(
                    f"{base}/api/v1/documents", headers=headers, timeout=60,
                    data={"title": name.rsplit(".", 1)[0], "department_id": dept, "category": "product", "visibility": "staff"},
                    files={"file": (name, body, mime)},
                )
                if r.status_code == 415:  # e.g. Markdown full of HTML, sniffed as HTML
                    refused += 1
                    continue
                r.raise_for_status()
                uploaded += 1
            # let the background jobs finish while the readers keep going: wait until no commit for 5 s
            index = Path(env["HUB_INSTANCE"]) / "search_index"
            seen, quiet_since, deadline = None, time.monotonic(), time.monotonic() + 300
            while time.monotonic() - quiet_since < 5 and time.monotonic() < deadline:
                generation = max((int(p.stem.rsplit("_", 1)[1]) for p in index.glob("_MAIN_*.toc")), default=None)
                if generation != seen:
                    seen, quiet_since = generation, time.monotonic()
                time.sleep(0.5)
        done.set()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        log = (Path(env["HUB_INSTANCE"]) / "server.log").read_text(errors="replace")
        if args.log:
            Path(args.log).write_text(log)
        print(f"uploads: {uploaded} ({refused} refused), index generation {seen}, in {elapsed:.1f} s with {args.readers} readers")
        print(f"searches: {counts['searches']}, failures: {counts['failures']} {statuses or ''}")
        print(f"server log: FileNotFoundError x{log.count('FileNotFoundError')}, "
              f"EmptyIndexError x{log.count('EmptyIndexError')}, Traceback x{log.count('Traceback')}")

        timings, late = [], 0
        rng = random.Random(9)
        with requests.Session() as http:
            for _ in range(args.latency):
                t0 = time.perf_counter()
                r = http.get(f"{base}/api/v1/search", params={"q": rng.choice(QUERIES)}, headers=headers, timeout=30)
                timings.append((time.perf_counter() - t0) * 1000)
                late += r.status_code != 200
        print(f"latency, {args.latency} sequential searches after indexing: p50 {statistics.median(timings):.1f} ms, "
              f"p95 {pct(timings, 95):.1f} ms, failures {late}")


if __name__ == "__main__":
    main()
