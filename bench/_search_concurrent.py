"""Two app hosts querying at once: N spawned processes, each its own app on the same database/index.

Each process builds its app from the same settings, warms up, waits at a barrier, then runs the same
query list through `hub.search.service.search`; the parent reads per-process latencies and the wall
span from the first start to the last end (combined queries/s). One process alone runs first, as
the reference.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import queue
import time

from bench._search_setup import pct

WAIT = 600  # seconds a process may take to start, warm up and run its list


def _host(config: dict, queries: list[str], barrier, results) -> None:
    """One app host: build the app, warm up, wait for the others, time the queries."""
    faulthandler.dump_traceback_later(WAIT - 10, exit=True)  # a stuck host says where, then ends
    import jieba

    jieba.setLogLevel(60)
    from bench._search_setup import find_reader
    from hub import create_app
    from hub.search.analysis import segmenter
    from hub.search.service import search

    app = create_app(config)
    try:
        with app.test_request_context("/"):
            segmenter()
            reader = find_reader()
            for q in queries[:5]:
                search(reader, q, per_page=10)
            barrier.wait(WAIT)
            times, cpu = [], []
            started = time.monotonic()  # system-wide clock: comparable across processes
            for q in queries:
                t, c = time.perf_counter(), time.process_time()
                search(reader, q, per_page=10)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            ended = time.monotonic()
        results.put({"times": times, "cpu": cpu, "start": started, "end": ended})
    except Exception as exc:  # noqa: BLE001 - reported by the parent, not a traceback in the middle of the output
        barrier.abort()
        results.put({"error": repr(exc)})


def run_hosts(config: dict, queries: list[str], procs: int) -> list[dict]:
    """Run `procs` hosts at once on the same queries; return their results (times, cpu, start, end)."""
    ctx = multiprocessing.get_context("spawn")  # nothing inherited: each host opens its own connections
    barrier, results = ctx.Barrier(procs), ctx.Queue()
    hosts = [ctx.Process(target=_host, args=(config, queries, barrier, results)) for _ in range(procs)]
    for host in hosts:
        host.start()
    out = _collect(hosts, results)
    for host in hosts:
        host.join(10)
        if host.is_alive():
            host.terminate()
    return out


def _collect(hosts: list, results) -> list[dict]:
    """Every host's result; an error entry for a host that ended without one or ran out of time."""
    out, deadline = [], time.monotonic() + WAIT
    while len(out) < len(hosts):
        try:
            out.append(results.get(timeout=1))  # read before join: a full queue blocks its writer
            continue
        except queue.Empty:
            pass
        ended = all(not host.is_alive() for host in hosts)
        if ended or time.monotonic() > deadline:
            try:
                out.append(results.get(timeout=1))
                continue
            except queue.Empty:
                codes = [host.exitcode for host in hosts]
                out += [{"error": f"no result (exit codes {codes})"}] * (len(hosts) - len(out))
    return out


def _rate(runs: list[dict]) -> float:
    span = max(r["end"] for r in runs) - min(r["start"] for r in runs)
    return sum(len(r["times"]) for r in runs) / max(span, 1e-9)


def bench_hosts(label: str, config: dict, queries: list[str], procs: int = 2) -> dict:
    """Print one host alone, then `procs` hosts at once; return the figures for the summary."""
    alone = run_hosts(config, queries, 1)
    together = run_hosts(config, queries, procs)
    errors = [r["error"] for r in alone + together if "error" in r]
    if errors:
        print(f"{label} {procs} app processes: FAILED {errors}")
        return {}
    one = alone[0]
    print(
        f"{label} 1 app process, {len(queries)} 2-term queries: p50 {pct(one['times'], 50):.1f} ms,"
        f" p95 {pct(one['times'], 95):.1f} ms; {_rate(alone):.1f} queries/s"
    )
    for i, r in enumerate(together, start=1):
        print(
            f"{label} {procs} app processes at once, process {i}: p50 {pct(r['times'], 50):.1f} ms,"
            f" p95 {pct(r['times'], 95):.1f} ms (CPU p50 {pct(r['cpu'], 50):.1f} ms, p95 {pct(r['cpu'], 95):.1f} ms)"
        )
    skew = abs(together[0]["start"] - together[-1]["start"]) * 1000
    print(
        f"{label} {procs} app processes at once: {_rate(together):.1f} queries/s combined"
        f" ({_rate(together) / max(_rate(alone), 1e-9):.2f}x one process; starts {skew:.0f} ms apart)"
    )
    return {"alone": _rate(alone), "together": _rate(together)}
