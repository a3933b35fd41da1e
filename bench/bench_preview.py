"""Preview benchmark: upload request -> first page available, and pages per second for the rest.

Runs the embedded default (SQLite, in-process worker thread, real poppler and LibreOffice) on a
20-page Chinese PDF, a DOCX, a PPTX and an XLSX made on the spot, several runs each, and prints
medians. Usage: .venv/bin/python bench/bench_preview.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub import create_app, jobs  # noqa: E402
from hub.auth import services as people  # noqa: E402
from hub.documents import office  # noqa: E402
from hub.extensions import db  # noqa: E402
from hub.models import Document  # noqa: E402

CORPUS = Path("/work/shared/corpus/office")


def samples() -> dict[str, tuple[str, bytes]]:
    """The files to time: made with the dev libraries, or taken from the shared corpus without them."""
    try:
        from tests.documents_helpers import docx_bytes, pdf_bytes, pptx_bytes, xlsx_bytes

        return {
            "pdf-20p-zh": ("手册.pdf", pdf_bytes(20)),
            "docx": ("白皮书.docx", docx_bytes(150)),
            "pptx": ("竞品.pptx", pptx_bytes(10)),
            "xlsx": ("价格表.xlsx", xlsx_bytes(400)),
        }
    except ImportError:
        pick = {"pdf-zh": "pdf/texlive__lshort-zh-cn.pdf", "docx": "docx/poitl__resume.docx",
                "pptx": "pptx/tika__testPPT_various.pptx", "xlsx": "xlsx/easyexcel__demo_demo.xlsx"}
        return {k: (Path(v).name, (CORPUS / v).read_bytes()) for k, v in pick.items()}


def make_app(tmp: Path, warm: bool = True):
    instance = tmp / "instance"
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_DIR": str(instance), "UPLOAD_DIR": str(instance / "uploads"),
        "INDEX_DIR": str(instance / "search_index"), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'hub.db'}",
        "RATELIMIT_STORAGE_URI": "memory://", "JOBS_EMBEDDED_WORKER": True, "REDIS_URL": None, "PREVIEW_WARM_OFFICE": warm,
    })
    with app.app_context():
        db.create_all()
        user = people.create_user("bench@bench.hub", "Bench", "staff", password="bench-pass-1", department_name="基准部")
        db.session.flush()
        token = people.issue_token(user, "bench")
        dept_id = user.memberships[0].department_id
        db.session.commit()
    return app, token, dept_id


def one_run(app, client, token, dept_id, name, data) -> tuple[float, float | None, int]:
    """Return (seconds to first page, pages per second after it, page count)."""
    started = time.perf_counter()
    response = client.post(
        "/api/v1/documents", headers={"Authorization": f"Bearer {token}"}, content_type="multipart/form-data",
        data={"file": (io.BytesIO(data), name), "department_id": str(dept_id)},
    )
    assert response.status_code == 201, response.get_json()
    doc_id = response.get_json()["id"]
    first = ready = None
    with app.app_context():
        while time.perf_counter() - started < 300:
            db.session.expire_all()
            version = db.session.get(Document, doc_id).current_version
            if first is None and version.pages_ready >= 1:
                first = time.perf_counter()
            if version.preview_state in ("ready", "failed"):
                ready = time.perf_counter()
                break
            time.sleep(0.005)
        if version.preview_state != "ready":
            raise RuntimeError(f"{name}: {version.preview_state} {version.preview_error}")
        count = version.page_count
        db.session.remove()
    rest = count - 1
    rate = rest / (ready - first) if rest > 0 and ready > first else None
    return first - started, rate, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--office", choices=["warm", "cold"], default="warm",
                        help="LibreOffice kept running (default) or one soffice per file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        app, token, dept_id = make_app(Path(tmp), warm=args.office == "warm")
        client = app.test_client()
        jobs.start_worker(app)
        # One warm-up conversion: the first soffice start of a fresh profile is not what users see.
        one_run(app, client, token, dept_id, "warm.docx", samples()["docx"][1])
        print(f"{'file':<12} {'pages':>5} {'first page (s)':>15} {'rest (pages/s)':>15}   "
              f"runs={args.runs} office={args.office}")
        for label, (name, data) in samples().items():
            firsts, rates, count = [], [], 0
            for _ in range(args.runs):
                first, rate, count = one_run(app, client, token, dept_id, name, data)
                firsts.append(first)
                if rate is not None:
                    rates.append(rate)
            rate_text = f"{statistics.median(rates):15.1f}" if rates else f"{'-':>15}"
            print(f"{label:<12} {count:>5} {statistics.median(firsts):15.3f} {rate_text}", flush=True)
        jobs.stop_worker(app)
        office.shutdown()


if __name__ == "__main__":
    main()
