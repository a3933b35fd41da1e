"""Live feed: latency from POST to receipt, and delivery rate for a burst, for many clients in one account room.

For each mode, N Socket.IO clients (WebSocket; by default the one-thread client of _sio_light, spread over
4 processes, so that client threads do not eat the CPU the server needs) join one account room; a poster sends
feed events through the JSON API (each POST: token check, policy check, SQLite write, commit, emit).
- steady: RATE events/s for SECONDS; latency = receipt time - time the POST was sent; p50, p99, max.
- burst: BURST events as fast as 4 posting threads go; deliveries/s until every client has them all.
Modes: the server in threading mode (app.py) or gevent (gunicorn gevent worker, wsgi.py); embedded
(one process) or Redis (two processes sharing events through Redis; clients split across both, posts
alternate between them).

    .venv/bin/python bench/bench_feed.py [--clients 200] [--rate 10] [--seconds 10] [--burst 200] [--modes ...]
        [--client light|python-socketio]
"""

import argparse
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
PY = sys.executable
REDIS_URL = "redis://127.0.0.1:6379/15"
MODES = ["threading", "gevent", "threading+redis", "gevent+redis"]
CLIENT_PROCESSES = 4

SETUP = """
import json
from hub import create_app, demo
from hub.auth import services
from hub.extensions import db
from hub.models import CustomerAccount
app = create_app()
with app.app_context():
    db.create_all()
    demo.load()
    rep = services.find_user("wanglei@yunfan.demo")
    watcher = services.find_user("sunyue@yunfan.demo")
    account = db.session.scalar(db.select(CustomerAccount).where(CustomerAccount.name == "华东精密制造集团"))
    out = {"poster": services.issue_token(rep, "bench"), "watcher": services.issue_token(watcher, "bench"),
           "account": account.id}
    db.session.commit()
    print("SETUP " + json.dumps(out))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(instance: str) -> dict:
    """A fresh instance with the schema, the demo data and two tokens (poster, watcher)."""
    env = os.environ | {"HUB_INSTANCE": instance}
    env.pop("DATABASE_URL", None)
    env.pop("HUB_REDIS_URL", None)
    done = subprocess.run([PY, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("SETUP "))
    return json.loads(line[6:])


def start_servers(mode: str, instance: str) -> tuple[list[str], list]:
    server, _, queue = mode.partition("+")
    count = 2 if queue == "redis" else 1
    env = os.environ | {"HUB_INSTANCE": instance, "HUB_LOGIN_RATE_LIMIT": "100000 per minute",
                        "HUB_SECRET_KEY": "bench-" + "x" * 32}
    env.pop("DATABASE_URL", None)
    env.pop("HUB_REDIS_URL", None)
    if queue == "redis":
        env["HUB_REDIS_URL"] = REDIS_URL
    urls, procs = [], []
    for i in range(count):
        port = free_port()
        log = open(Path(instance) / f"server-{i}.log", "w")  # noqa: SIM115 - the process keeps it
        if server == "gevent":
            cmd = [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
            penv = env | {"HUB_BIND": f"127.0.0.1:{port}", "HUB_WORKERS": "1"}
        else:
            cmd = [PY, "app.py", "--host", "127.0.0.1", "--port", str(port)]
            penv = env | {"HUB_ASYNC_MODE": "threading"}
        procs.append(subprocess.Popen(cmd, cwd=ROOT, env=penv, stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/login", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start ({mode})")
            time.sleep(0.2)
    return urls, procs


def light_worker(urls, first_index, count, token, account, run_id, ready, stop, results):
    """Like client_worker, with the one-thread client of _sio_light (the clients then cost little CPU)."""
    from urllib.parse import urlsplit

    from _sio_light import Connection, listen

    received = []

    def on_event(name, data, at):
        words = data.get("body", "").split() if name == "feed_event" else []
        if len(words) == 4 and words[0] == "bench" and words[1] == run_id:
            received.append((words[2], int(words[3]), at))

    connections = []
    for i in range(count):
        url = urlsplit(urls[(first_index + i) % len(urls)])
        conn = Connection(url.hostname, url.port, {"token": token})
        ack = conn.call("join", {"customer_id": account, "after": 0})
        assert ack.get("ok"), ack
        connections.append(conn)
    ready.put(count)
    listen(connections, on_event, stop)
    results.put(received)
    for conn in connections:
        conn.close()


def client_worker(urls, first_index, count, token, account, run_id, ready, stop, results):
    """Connect `count` clients, join the room, record (phase, seq, receipt time) until told to stop."""
    import socketio

    received = []
    clients = []

    def on_event(data):
        words = data.get("body", "").split()
        if len(words) == 4 and words[0] == "bench" and words[1] == run_id:
            received.append((words[2], int(words[3]), time.time()))

    for i in range(count):
        sio = socketio.Client(reconnection=False)
        sio.on("feed_event", on_event)
        sio.connect(urls[(first_index + i) % len(urls)], auth={"token": token}, transports=["websocket"],
                    wait_timeout=30)
        ack = sio.call("join", {"customer_id": account, "after": 0}, timeout=30)
        assert ack.get("ok"), ack
        clients.append(sio)
    ready.put(count)
    stop.wait()
    results.put(list(received))
    # Closing 50 sockets one by one can stall on a busy server; the parent ends this process anyway.
    closer = threading.Thread(target=lambda: [c.disconnect() for c in clients], daemon=True)
    closer.start()
    closer.join(10)


def post_event(session, url, token, account, body):
    r = session.post(f"{url}/api/v1/customers/{account}/events", json={"kind": "note", "body": body},
                     headers={"Authorization": f"Bearer {token}"}, timeout=30)
    r.raise_for_status()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_mode(mode: str, args) -> dict:
    with tempfile.TemporaryDirectory(prefix="hub-bench-feed-") as instance:
        setup = prepare(instance)
        urls, procs = start_servers(mode, instance)
        ctx = mp.get_context("spawn")
        ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        run_id = uuid.uuid4().hex[:8]
        per = [args.clients // CLIENT_PROCESSES + (1 if i < args.clients % CLIENT_PROCESSES else 0)
               for i in range(CLIENT_PROCESSES)]
        workers = []
        try:
            start = 0
            for n in per:
                target = light_worker if args.client == "light" else client_worker
                w = ctx.Process(target=target, args=(urls, start, n, setup["watcher"], setup["account"],
                                                            run_id, ready, stop, results))
                w.start()
                workers.append(w)
                start += n
            connected = sum(ready.get(timeout=180) for _ in workers)

            sessions = [requests.Session() for _ in range(4)]
            sent: dict[tuple[str, int], float] = {}
            # steady: RATE events per second, each POST timed from just before it is sent
            total = args.rate * args.seconds
            t0 = time.time() + 0.5
            for seq in range(total):
                delay = t0 + seq / args.rate - time.time()
                if delay > 0:
                    time.sleep(delay)
                sent[("steady", seq)] = time.time()
                post_event(sessions[0], urls[seq % len(urls)], setup["poster"], setup["account"],
                           f"bench {run_id} steady {seq}")
            time.sleep(3)
            # burst: BURST events from 4 threads as fast as the server takes them
            lock = threading.Lock()

            def burst_one(seq):
                with lock:
                    sent[("burst", seq)] = time.time()
                post_event(sessions[seq % 4], urls[seq % len(urls)], setup["poster"], setup["account"],
                           f"bench {run_id} burst {seq}")

            burst_start = time.time()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(burst_one, range(args.burst)))
            burst_posted = time.time() - burst_start
            time.sleep(max(5.0, args.burst * connected / 10_000))
            stop.set()
            received = []
            for _ in workers:
                received += results.get(timeout=120)
        finally:
            stop.set()
            for w in workers:
                w.join(timeout=15)
                if w.is_alive():
                    w.terminate()
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()

    steady = [t - sent[(ph, seq)] for ph, seq, t in received if ph == "steady"]
    burst = [(seq, t) for ph, seq, t in received if ph == "burst"]
    last = max((t for _, t in burst), default=burst_start)
    return {
        "mode": mode,
        "processes": len(urls),
        "clients": connected,
        "steady_events": total,
        "steady_delivered": f"{len(steady)}/{total * connected}",
        "p50_ms": round(statistics.median(steady) * 1000, 1) if steady else None,
        "p99_ms": round(percentile(steady, 99) * 1000, 1) if steady else None,
        "max_ms": round(max(steady) * 1000, 1) if steady else None,
        "burst_delivered": f"{len(burst)}/{args.burst * connected}",
        "burst_post_s": round(burst_posted, 2),
        "burst_deliveries_per_s": round(len(burst) / (last - burst_start)) if burst else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=int, default=10, help="events per second in the steady phase")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--modes", nargs="+", default=MODES, choices=MODES)
    parser.add_argument("--client", choices=["light", "python-socketio"], default="light",
                        help="light: one thread per client process (default); python-socketio: its Client class")
    args = parser.parse_args()
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is absent
        print(f"Redis at {REDIS_URL} is not reachable ({exc}); skipping the Redis modes")
        args.modes = [m for m in args.modes if "redis" not in m]
    print(f"{args.clients} clients ({args.client}) in one account room; steady {args.rate} events/s for "
          f"{args.seconds} s; burst {args.burst} events")
    header = f"{'mode':<17}{'procs':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'steady delivered':>19}" \
             f"{'burst delivered':>18}{'burst/s':>10}"
    print(header)
    for mode in args.modes:
        r = run_mode(mode, args)
        print(f"{r['mode']:<17}{r['processes']:>6}{r['p50_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}"
              f"{r['steady_delivered']:>19}{r['burst_delivered']:>18}{r['burst_deliveries_per_s']:>10}", flush=True)
        print("RESULT " + json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
