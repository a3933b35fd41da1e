"""Suggestion and search latency on the demo data (`flask demo load`), for the search benchmark."""

from __future__ import annotations

import statistics
import time

TYPED = [
    "x",
    "xs",
    "xsy",
    "xiaoshou",
    "销售",
    "客户",
    "kh",
    "zhineng",
    "投诉",
    "hd",
    "wuq",
    "等保",
    "crm",
    "移动",
]
QUERIES = ["客户 演示", "投诉 工单", "销售预测", "等保三级", "CRM", "经销商 库存", "物流 SLA"]


def bench_demo(build_app, base: str, rounds: int = 30) -> None:
    from hub import demo
    from hub.extensions import db
    from hub.models import User
    from hub.search.maintenance import reindex
    from hub.search.service import search
    from hub.search.suggest import suggest

    app = build_app(base)
    with app.test_request_context("/"):
        demo.load()
        db.session.commit()
        count = reindex(app.config["INDEX_DIR"], procs=1)
        reader = db.session.scalar(db.select(User).where(User.role == "staff").limit(1))
        for label, run, inputs in (("suggest", suggest, TYPED), ("search", search, QUERIES)):
            for q in inputs:
                run(reader, q)  # warm
            times = []
            for _ in range(rounds):
                for q in inputs:
                    t = time.perf_counter()
                    run(reader, q)
                    times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(
                f"demo data ({count} entries) {label}: median {statistics.median(times):.1f} ms,"
                f" p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, max {times[-1]:.1f} ms"
            )
        sample = [(s["kind"], s["label"]) for s in suggest(reader, "xsy")][:3]
        print(f"  e.g. suggest('xsy') -> {sample}")
