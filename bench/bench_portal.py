"""Portal: what the share check costs on the paths a customer's browser hits most.

In-process (Flask test client, SQLite in a temp instance, the demo data plus a rendered 3-page PDF shared
with 华东精密制造集团), median and p95 over N requests of:
- a page image for staff (GET /api/v1/documents/ID/pages/1) and for the customer through the portal
  (GET /api/v1/portal/documents/ID/pages/1: expired-share sweep, share check, page-view upsert);
- the portal's home page, the shared-document list, and posting a conversation message.

    .venv/bin/python bench/bench_portal.py [--n 300]
"""

import argparse
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(client, method: str, url: str, n: int, **kwargs) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.open(url, method=method, **kwargs)
        response.get_data()
        response.close()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code < 400, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()

    from sqlalchemy import select
    from werkzeug.datastructures import FileStorage

    from hub import create_app, demo, jobs
    from hub.auth import services as auth
    from hub.documents import services as documents
    from hub.extensions import db
    from hub.models import CustomerAccount, Department
    from hub.portal import shares
    from tests.documents_helpers import pdf_bytes

    instance = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    app = create_app({
        "SECRET_KEY": "bench", "INSTANCE_DIR": str(instance), "UPLOAD_DIR": str(instance / "uploads"),
        "INDEX_DIR": str(instance / "index"), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'hub.db'}",
        "JOBS_EMBEDDED_WORKER": False, "RATELIMIT_ENABLED": False,
    })
    with app.app_context():
        db.create_all()
        demo.load()
        db.session.commit()
        dept = db.session.scalar(select(Department).where(Department.name == "移动CRM产品部"))
        upload = FileStorage(BytesIO(pdf_bytes(3, title="基准")), filename="bench.pdf")
        doc = documents.create_document(demo._user("hebin@yunfan.demo"), dept, upload, title="基准方案")
        account = db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == demo.PORTAL_ACCOUNT))
        shares.share(doc, account, demo._user("wanglei@yunfan.demo"))
        jobs.run_pending(app)
        staff = {"Authorization": "Bearer " + auth.issue_token(demo._user("wanglei@yunfan.demo"), "bench")}
        customer = {"Authorization": "Bearer " + auth.issue_token(demo._user("qian@hdjm.demo"), "bench")}
        db.session.commit()
        doc_id = doc.id

    client = app.test_client()
    rows = [
        ("staff page image", "GET", f"/api/v1/documents/{doc_id}/pages/1", {"headers": staff}),
        ("portal page image", "GET", f"/api/v1/portal/documents/{doc_id}/pages/1", {"headers": customer}),
        ("portal home (JSON)", "GET", "/api/v1/portal", {"headers": customer}),
        ("portal document list", "GET", "/api/v1/portal/documents", {"headers": customer}),
        ("portal message (POST)", "POST", "/api/v1/portal/messages", {"headers": customer, "json": {"body": "基准消息"}}),
    ]
    print(f"{'path':<24} {'median ms':>10} {'p95 ms':>8}   (n={args.n}, SQLite, in-process)")
    for name, method, url, kwargs in rows:
        median, p95 = timed(client, method, url, args.n, **kwargs)
        print(f"{name:<24} {median:>10.2f} {p95:>8.2f}")


if __name__ == "__main__":
    main()
