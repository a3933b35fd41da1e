"""Search latency on other data than the generated corpus, for the search benchmark (Whoosh).

The demo data (`flask demo load`): suggestions and searches; the real documents beside the project.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench._search_corpus import real_corpus_texts

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


def bench_real(reader, base: str, root: Path) -> None:
    """Index the real documents beside the project (Markdown and text) and time some queries on them."""
    texts = real_corpus_texts(root)
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
