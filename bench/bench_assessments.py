"""Assessments overview: time to build the overview page and its JSON for many accounts with long histories.

Creates ACCOUNTS customer accounts with HISTORY assessments each (SQLite in a temp folder), then times
GET /assessments/ (two SVG charts and the list) and GET /api/v1/assessments/overview as a staff member.
Prints the median and p90 of REPEAT requests each, and the page size.

    .venv/bin/python bench/bench_assessments.py [--accounts 1000] [--history 10] [--repeat 15]
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub import create_app  # noqa: E402
from hub.auth import services  # noqa: E402
from hub.extensions import db  # noqa: E402
from hub.models import Assessment, CustomerAccount  # noqa: E402


def seed(accounts: int, history: int, staff_id: int) -> None:
    rng = random.Random(9)
    rows = [CustomerAccount(name=f"客户{i:05d}", industry=rng.choice(["制造业", "物流", "医疗"])) for i in range(accounts)]
    db.session.add_all(rows)
    db.session.flush()
    for account in rows:
        for _ in range(history):
            db.session.add(Assessment(
                account_id=account.id, author_id=staff_id, short_term=rng.randint(0, 10), long_term=rng.randint(0, 10),
                territory=rng.choice(["ours", "neutral", "theirs"]), position=rng.choice(["lead", "even", "trail"]),
                deal_value=rng.randint(0, 500), competitor="远图软件",
            ))
    db.session.commit()


def timed(client, path: str, headers: dict, repeat: int) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        size = len(response.data)
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--history", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench", "INSTANCE_DIR": tmp, "UPLOAD_DIR": f"{tmp}/u",
            "INDEX_DIR": f"{tmp}/i", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/hub.db",
            "RATELIMIT_STORAGE_URI": "memory://",
        })
        with app.app_context():
            db.create_all()
            user = services.create_user("bench@test.hub", "Bench", "staff", "bench-pass-9", job="sales")
            db.session.flush()
            token = services.issue_token(user, "bench")
            seed(args.accounts, args.history, user.id)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        print(f"{args.accounts} accounts x {args.history} assessments")
        for label, path in (("overview JSON", "/api/v1/assessments/overview"),):
            times, size = timed(client, path, headers, args.repeat)
            print(f"{label:14s} median {statistics.median(times):7.1f} ms  p90 "
                  f"{statistics.quantiles(times, n=10)[-1]:7.1f} ms  {size / 1024:.0f} KiB")
        # The page needs a session: sign in through the login form once.
        import re

        html = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        client.post("/login", data={"email": "bench@test.hub", "password": "bench-pass-9", "csrf_token": csrf})
        for label, path in (("overview page", "/assessments/"), ("one cell", "/assessments/?territory=ours&position=lead")):
            times, size = timed(client, path, {}, args.repeat)
            print(f"{label:14s} median {statistics.median(times):7.1f} ms  p90 "
                  f"{statistics.quantiles(times, n=10)[-1]:7.1f} ms  {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
