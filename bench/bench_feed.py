"""Live feed under `make serve`: latency from POST to receipt for many clients in one account room, alone
and while another process loads pages.

The server is what `make serve` runs: gunicorn with gunicorn.conf.py and wsgi.py (gevent workers, as many as
its HUB_WORKERS default gives), on PostgreSQL (database `hub_feed_bench`, recreated each run) and Redis
(db 15, the Socket.IO message queue), migrated and demo-loaded by bench/_server.py. N Socket.IO clients
(WebSocket, the one-thread client of _sio_light, spread over 4 processes so that client threads do not eat
the CPU the server needs) join one account room. A poster sends RATE feed events/s through the JSON API
(each POST: token check, policy check, database write, commit, emit through Redis), paced from a clock so
a slow answer does not slow the rate.
Phases, on the same server one after the other, so their figures read as ratios:
- quiet: the feed alone.
- pages: the same, while another process GETs PAGE_RATE req/s (paced, open loop) in turn: a document page,
  the document list and the feed API; its latencies and errors are reported too.
Per phase: p50/p95/p99/max from the POST being sent to a client reading the event, the POST's own answer
time, and delivered counts. `--embedded` adds the same two phases on app.py (threads, SQLite, no Redis).

    .venv/bin/python bench/bench_feed.py [--clients 200] [--rate 10] [--seconds 10] [--page-rate 20] [--embedded]
"""

import argparse
import json
import multiprocessing as mp
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _server import flask, hub_server, serve_workers  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/hub_feed_bench"
REDIS_URL = "redis://127.0.0.1:6379/15"
ACCOUNT = "华东精密制造集团"
CLIENT_PROCESSES = 4


def fresh_pg_database() -> None:
    """Recreate `hub_feed_bench`, so the run never touches another database."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS hub_feed_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE hub_feed_bench")


def token(env: dict, email: str) -> str:
    return flask(env, "users", "token", email).strip().splitlines()[-1]


def targets(base: str, admin: str) -> dict:
    """The account the feed is posted to, and the pages the page load reads."""
    headers = {"Authorization": f"Bearer {admin}"}
    accounts = requests.get(f"{base}/api/v1/customers", headers=headers, timeout=30).json()["customers"]
    account = next(a["id"] for a in accounts if a["name"] == ACCOUNT)
    doc = requests.get(f"{base}/api/v1/documents", headers=headers, timeout=30).json()["documents"][0]["id"]
    return {"account": account, "pages": [f"{base}/documents/{doc}", f"{base}/api/v1/documents",
                                          f"{base}/api/v1/customers/{account}/events?after=0"]}


def light_worker(base, count, token, account, run_id, ready, stop, results):
    """Connect `count` clients, join the room, record (phase, seq, receipt time) until told to stop."""
    from _sio_light import Connection, listen

    received = []

    def on_event(name, data, at):
        words = data.get("body", "").split() if name == "feed_event" else []
        if len(words) == 4 and words[0] == "bench" and words[1] == run_id:
            received.append((words[2], int(words[3]), at))

    url = urlsplit(base)
    connections = []
    for _ in range(count):
        conn = Connection(url.hostname, url.port, {"token": token})
        ack = conn.call("join", {"customer_id": account, "after": 0})
        assert ack.get("ok"), ack
        connections.append(conn)
    ready.put(count)
    closed = listen(connections, on_event, stop)
    results.put((received, closed))
    for conn in connections:
        conn.close()


def page_load(urls, token, rate, started, stop, results):
    """GET the pages in turn at `rate` req/s from a clock (open loop) until told to stop.

    Each latency runs from the request's scheduled time, so a backlog behind a slow server counts.
    GETs still queued at the stop are dropped and counted as errors."""
    local = threading.local()
    done = []

    def get(url, due):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        try:
            ok = session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code == 200
        except requests.RequestException:
            ok = False
        done.append((time.monotonic() - due, ok))

    pool = ThreadPoolExecutor(32)
    t0 = time.monotonic()
    started.set()
    i = 0
    while not stop.is_set():
        due = t0 + i / rate
        if due > time.monotonic():
            time.sleep(due - time.monotonic())
        pool.submit(get, urls[i % len(urls)], due)
        i += 1
    seconds = time.monotonic() - t0
    pool.shutdown(wait=True, cancel_futures=True)
    results.put({"sent": i, "seconds": seconds, "done": done})


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else None


def ms(value):
    return None if value is None else round(value * 1000, 1)


def post_phase(base, poster, account, run_id, phase, rate, seconds) -> tuple[dict, list]:
    """POST rate*seconds events, paced from a clock by 4 threads; returns (send times, POST answer times)."""
    sent, answers = {}, []
    local = threading.local()

    def post(seq):
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        sent[seq] = time.time()
        t = time.perf_counter()
        r = session.post(f"{base}/api/v1/customers/{account}/events", json={"kind": "note", "body": f"bench {run_id} {phase} {seq}"},
                         headers={"Authorization": f"Bearer {poster}"}, timeout=30)
        r.raise_for_status()
        answers.append(time.perf_counter() - t)

    with ThreadPoolExecutor(4) as pool:
        t0 = time.monotonic() + 0.2
        futures = []
        for seq in range(rate * seconds):
            delay = t0 + seq / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(post, seq))
        for f in futures:
            f.result()
    return sent, answers


def run_server(label: str, args, **server) -> list[dict]:
    ctx = mp.get_context("spawn")
    with hub_server(**server) as (base, env):
        if server.get("mode") == "gunicorn":
            label = label.format(workers=serve_workers(env))
        admin, poster, watcher = (token(env, e) for e in ("admin@yunfan.demo", "wanglei@yunfan.demo", "sunyue@yunfan.demo"))
        found = targets(base, admin)
        run_id = uuid.uuid4().hex[:8]
        ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        per = [args.clients // CLIENT_PROCESSES + (1 if i < args.clients % CLIENT_PROCESSES else 0) for i in range(CLIENT_PROCESSES)]
        workers = [ctx.Process(target=light_worker, args=(base, n, watcher, found["account"], run_id, ready, stop, results)) for n in per]
        sent, answers, pages = {}, {}, {}
        try:
            for w in workers:
                w.start()
            connected = sum(ready.get(timeout=180) for _ in workers)
            for phase in ("quiet", "pages"):
                loader = None
                if phase == "pages":
                    started, load_stop, load_results = ctx.Event(), ctx.Event(), ctx.Queue()
                    loader = ctx.Process(target=page_load, args=(found["pages"], admin, args.page_rate, started, load_stop, load_results))
                    loader.start()
                    started.wait(60)
                    time.sleep(1)  # the load is running before the first event
                sent[phase], answers[phase] = post_phase(base, poster, found["account"], run_id, phase, args.rate, args.seconds)
                time.sleep(2)  # the last events arrive (the page load goes on meanwhile)
                if loader is not None:
                    load_stop.set()
                    pages[phase] = load_results.get(timeout=120)
                    loader.join(30)
            stop.set()
            received, closed = [], 0
            for _ in workers:
                got, lost = results.get(timeout=120)
                received += got
                closed += lost
        finally:
            stop.set()
            for w in workers:
                w.join(timeout=15)
                if w.is_alive():
                    w.terminate()

    rows = []
    for phase in ("quiet", "pages"):
        lat = [t - sent[phase][seq] for ph, seq, t in received if ph == phase]
        total = len(sent[phase])
        row = {"server": label, "phase": phase, "clients": connected, "closed_by_server": closed, "events": total,
               "delivered": f"{len(lat)}/{total * connected}",
               "p50_ms": ms(percentile(lat, 50)), "p95_ms": ms(percentile(lat, 95)), "p99_ms": ms(percentile(lat, 99)),
               "max_ms": ms(max(lat, default=None)), "post_p50_ms": ms(percentile(answers[phase], 50)),
               "post_p99_ms": ms(percentile(answers[phase], 99))}
        if phase in pages:
            load = pages[phase]
            took = [t for t, _ in load["done"]]
            row["pages"] = {"sent": load["sent"], "answered": len(took), "rate": round(load["sent"] / load["seconds"], 1),
                            "errors": sum(1 for _, ok in load["done"] if not ok) + load["sent"] - len(took),
                            "p50_ms": ms(percentile(took, 50)), "p95_ms": ms(percentile(took, 95)),
                            "p99_ms": ms(percentile(took, 99))}
        rows.append(row)
    return rows


def show(row: dict) -> None:
    line = (f"{row['server']:<26}{row['phase']:<7}{row['p50_ms']:>8}{row['p95_ms']:>8}{row['p99_ms']:>8}{row['max_ms']:>8}"
            f"{row['post_p50_ms']:>9}{row['post_p99_ms']:>9}{row['delivered']:>13}{row['closed_by_server']:>8}")
    if "pages" in row:
        p = row["pages"]
        line += f"   pages {p['rate']} req/s p50 {p['p50_ms']} p95 {p['p95_ms']} p99 {p['p99_ms']} ms, errors {p['errors']}"
    print(line, flush=True)
    print("RESULT " + json.dumps(row, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=int, default=10, help="feed events per second")
    parser.add_argument("--seconds", type=int, default=10, help="length of each phase")
    parser.add_argument("--page-rate", type=float, default=20, help="page GETs per second in the `pages` phase")
    parser.add_argument("--embedded", action="store_true", help="also run app.py (threads, SQLite, no Redis)")
    args = parser.parse_args()
    print(f"{args.clients} clients in one account room; {args.rate} events/s for {args.seconds} s per phase; "
          f"page load {args.page_rate} req/s in phase `pages`")
    print(f"{'server':<26}{'phase':<7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'POST p50':>9}{'POST p99':>9}"
          f"{'delivered':>13}{'closed':>8}")
    fresh_pg_database()
    rows = run_server("serve {workers}x gevent PG+Redis", args, mode="gunicorn", database_url=PG_URL, redis_url=REDIS_URL)
    if args.embedded:
        rows += run_server("embedded threads SQLite", args, mode="embedded")
    for row in rows:
        show(row)
    quiet, loaded = rows[0], rows[1]
    if quiet["p99_ms"] and loaded["p99_ms"]:
        print(f"ratio pages/quiet (serve): p50 {loaded['p50_ms'] / quiet['p50_ms']:.2f}x, p99 {loaded['p99_ms'] / quiet['p99_ms']:.2f}x")


if __name__ == "__main__":
    main()
