"""Hostile queries through `hub.search.service.search`: the list tests/test_search_pg.py holds (HOSTILE).

The list is read from the test file (evaluated on its own, without importing the test module and
its fixtures), so the benchmark times exactly what the tests assert answers with a page.
"""

from __future__ import annotations

import ast
import statistics
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests" / "test_search_pg.py"
WATCHED = ("search_timeout", "index_unavailable")


def hostile_queries() -> list[str]:
    tree = ast.parse(TESTS.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HOSTILE" for t in node.targets):
            return eval(compile(ast.Expression(node.value), str(TESTS), "eval"), {"__builtins__": {}})  # noqa: S307
    raise SystemExit(f"HOSTILE not found in {TESTS}")


def _label(q: str) -> str:
    shown = q[:24].encode("unicode_escape").decode()
    return f"{shown}... ({len(q)} chars)" if len(q) > 24 else shown


def bench_hostile(label: str, reader) -> dict:
    """Time each hostile query once (after one untimed run); print median/max, notices and exceptions."""
    from hub.extensions import db
    from hub.search.service import search

    times, flagged, raised = [], [], []
    for q in hostile_queries():
        try:
            search(reader, q, per_page=10)  # warm: parse caches, buffers
            t = time.perf_counter()
            outcome = search(reader, q, per_page=10)
            times.append(((time.perf_counter() - t) * 1000, q))
            notices = [code for code, _ in outcome.notices if code in WATCHED]
            if notices:
                flagged.append(f"{_label(q)}: {', '.join(notices)}")
        except Exception as exc:  # noqa: BLE001 - the benchmark reports it; search must never raise
            db.session.rollback()
            raised.append(f"{_label(q)}: {exc!r}"[:300])
    if times:
        ms = [t for t, _ in times]
        slowest = max(times)
        print(
            f"{label} hostile queries ({len(times)} answered): median {statistics.median(ms):.1f} ms,"
            f" max {slowest[0]:.1f} ms ({_label(slowest[1])})"
        )
        print(f"  ms each: {', '.join(f'{t:.0f}' for t in ms)}")
    print(f"  timeout/unavailable notices: {'; '.join(flagged) or 'none'}")
    print(f"  exceptions: {'; '.join(raised) or 'none'}")
    return {"max": max((t for t, _ in times), default=0.0), "raised": len(raised), "flagged": len(flagged)}
