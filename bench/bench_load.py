"""Load: wrk drives a running Hub from another process with 50 concurrent connections.

Endpoints: the document list, a document page, search, and the customer feed API. Each mode also serves
the floor (bench/floor_app.py: a minimal Flask + SQLAlchemy + Jinja page of 20 rows) under the same server
and settings on the same kind of database, and reports every endpoint as a ratio to it.
Modes: embedded (app.py: threaded Werkzeug, SQLite) and production (`make serve`: gunicorn.conf.py's
gevent workers, as many as it gives, on PostgreSQL and Redis). Prints requests/s, p50/p95/p99, errors.

    .venv/bin/python bench/bench_load.py [--seconds 10] [--connections 50] [--warmup 2] [--mode embedded|production|both]
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import flask, floor_server, hub_server, serve_workers  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/hub_bench"
REDIS_URL = "redis://127.0.0.1:6379/11"

LUA = """
local token = os.getenv("HUB_BENCH_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, errors))
end
"""


def seed(base: str, token: str) -> dict:
    """Give the instance a document and a few feed events so every endpoint has work to do."""
    headers = {"Authorization": f"Bearer {token}"}
    dept = requests.get(f"{base}/api/v1/departments", headers=headers, timeout=10).json()["departments"][0]["id"]
    text = ("销售通的移动端拜访记录与客户管理功能说明。" * 40).encode()
    created = requests.post(
        f"{base}/api/v1/documents", headers=headers, timeout=60,
        data={"title": "销售通产品手册", "department_id": dept, "category": "product", "visibility": "staff"},
        files={"file": ("manual.txt", text, "text/plain")},
    )
    created.raise_for_status()
    customer = requests.get(f"{base}/api/v1/customers", headers=headers, timeout=10).json()
    customer_id = (customer.get("customers") or customer.get("accounts"))[0]["id"]
    for i in range(20):
        requests.post(f"{base}/api/v1/customers/{customer_id}/events", headers=headers, json={"kind": "note", "body": f"第{i}次拜访纪要"}, timeout=10)
    return {"doc": created.json()["id"], "customer": customer_id}


def run_wrk(url: str, token: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url],
        capture_output=True, text=True, env={"HUB_BENCH_TOKEN": token, "PATH": "/usr/bin:/bin"},
    )
    match = re.search(r"RESULT (\{.*\})", out.stdout)
    if not match:
        raise RuntimeError(out.stdout + out.stderr)
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def fresh_pg_database() -> None:
    """Recreate the `hub_bench` database, so the run never touches the test suite's `test` database."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS hub_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE hub_bench")


def report(label: str, name: str, r: dict, floor: dict | None = None) -> None:
    ratio = f"  {r['rps'] / floor['rps']:5.2f}x floor" if floor else ""
    print(f"  {label:<34} {name:<14} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f}"
          f"  p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}{ratio}", flush=True)


def measure(url: str, token: str, seconds: int, connections: int, warmup: int) -> dict:
    """wrk for `seconds` after `warmup` seconds of the same load, so pools, caches and the index are warm."""
    if warmup:
        run_wrk(url, token, warmup, connections)
    return run_wrk(url, token, seconds, connections)


def bench_mode(label: str, mode: str, seconds: int, connections: int, warmup: int, **server) -> dict:
    results = {}
    with hub_server(mode=mode, **server) as (base, env):
        token = flask(env, "users", "token", "admin@yunfan.demo").strip().splitlines()[-1]
        ids = seed(base, token)
        if mode != "embedded":
            label = label.format(workers=env.get("HUB_WORKERS") or serve_workers(env))
        # The floor first, on the same server kind, worker count and database, with Hub's instance idle.
        with floor_server(env, mode) as floor_base:
            results["floor"] = floor = measure(f"{floor_base}/", token, seconds, connections, warmup)
        report(label, "floor", floor)
        targets = {
            "document list": f"{base}/api/v1/documents",
            "document page": f"{base}/documents/{ids['doc']}",
            "search": f"{base}/api/v1/search?q=%E9%94%80%E5%94%AE",
            "feed API": f"{base}/api/v1/customers/{ids['customer']}/events?after=0",
        }
        for name, url in targets.items():
            results[name] = measure(url, token, seconds, connections, warmup)
            report(label, name, results[name], floor)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--mode", choices=["embedded", "production", "both"], default="both")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each figure")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it)")
    print(f"load: {args.connections} connections, {args.seconds} s per endpoint after {args.warmup} s of warm-up")
    runs = {}
    if args.mode in ("embedded", "both"):
        runs["embedded"] = bench_mode("embedded (app.py, SQLite)", "embedded", args.seconds, args.connections, args.warmup)
    if args.mode in ("production", "both"):
        fresh_pg_database()
        runs["production"] = bench_mode("make serve (gunicorn x{workers}, PG+Redis)", "gunicorn", args.seconds, args.connections, args.warmup,
                                        database_url=PG_URL, redis_url=REDIS_URL)
    if len(runs) == 2:
        embedded, scaled = runs["embedded"], runs["production"]
        print("  ratio production/embedded (req/s): " + ", ".join(f"{k} {scaled[k]['rps'] / max(embedded[k]['rps'], 1e-9):.2f}x" for k in embedded))


if __name__ == "__main__":
    main()
