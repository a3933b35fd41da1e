"""A refused sign-in takes as long for an unknown e-mail as for a known one (no account probing by time).

    .venv/bin/python bench/bench_login.py [--runs 40]

Builds a throw-away app on a temp SQLite instance, makes one person, then alternates refused sign-ins
(wrong password for the known e-mail, any password for an unknown one) through the Flask test client.
Prints the median of each and their ratio; no assertion.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub import create_app  # noqa: E402
from hub.auth import services  # noqa: E402
from hub.extensions import db  # noqa: E402

KNOWN, UNKNOWN = "known@bench.hub", "nobody@bench.hub"


def build_app(folder: str):
    app = create_app(
        {
            "SECRET_KEY": "bench-" * 6,
            "INSTANCE_DIR": folder,
            "UPLOAD_DIR": f"{folder}/uploads",
            "INDEX_DIR": f"{folder}/index",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/hub.db",
            "RATELIMIT_ENABLED": False,
            "JOBS_EMBEDDED_WORKER": False,
        }
    )
    with app.app_context():
        db.create_all()
        services.create_user(KNOWN, "Known", "staff", "correct-horse-9")
        db.session.commit()
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="refused sign-ins per e-mail")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        client = build_app(folder).test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

        def refused(email: str) -> float:
            start = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": "wrong-pass", "csrf_token": token})
            if response.status_code != 401:
                raise SystemExit(f"expected 401 for {email}, got {response.status_code}")
            return (time.perf_counter() - start) * 1000

        times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        refused(KNOWN), refused(UNKNOWN)  # warm up: the dummy hash is made on first use
        for _ in range(args.runs):
            for email in times:
                times[email].append(refused(email))
    known, unknown = (statistics.median(times[e]) for e in (KNOWN, UNKNOWN))
    print(f"refused sign-in, median of {args.runs}: known e-mail {known:.1f} ms, unknown e-mail {unknown:.1f} ms")
    print(f"ratio unknown/known: {unknown / known:.2f} (1.00 = indistinguishable)")


if __name__ == "__main__":
    main()
