"""Social rankings and experts at scale: time the ranking lists, the home page and the experts page.

Creates DOCS documents in 8 departments, 200 staff, RATINGS ratings, VIEWS daily views over 30 days and
COMMENTS comments with helpful marks (SQLite in a temp folder), then times, as a staff member:
rankings.all_rankings (4 lists), GET / (home with rankings), GET /api/v1/rankings, GET /experts and
GET /api/v1/experts?tag=.... Prints the median and p90 of REPEAT runs each.

    .venv/bin/python bench/bench_social.py [--docs 5000] [--ratings 50000] [--views 200000] [--repeat 15]
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from hub import create_app  # noqa: E402
from hub.auth import services  # noqa: E402
from hub.extensions import db  # noqa: E402
from hub.models import Comment, CommentHelpful, Document, DocumentView, Rating, User, utcnow  # noqa: E402
from hub.social import experts, rankings  # noqa: E402

TAGS = ["CRM", "报价", "竞品", "案例", "SLA", "实施", "安全", "数据"]


def seed(docs: int, n_ratings: int, n_views: int, n_comments: int) -> User:
    rng = random.Random(4)
    people = []
    for i in range(200):
        people.append(services.create_user(f"p{i}@bench.hub", f"同事{i:03d}", role="staff", password="bench-pass-1",
                                           department_name=f"产品部{i % 8}"))
    db.session.flush()
    dept_ids = sorted({p.department_ids.pop() for p in people})
    now = utcnow()
    db.session.execute(insert(Document), [
        {"department_id": rng.choice(dept_ids), "owner_id": rng.choice(people).id, "title": f"文档{i:05d}",
         "description": "", "category": "product", "tags": ",".join(rng.sample(TAGS, 2)),
         "visibility": "staff" if rng.random() < 0.8 else "department", "created_at": now - timedelta(days=rng.randint(0, 400))}
        for i in range(docs)
    ])
    doc_ids = list(db.session.scalars(db.select(Document.id)))
    pairs = {(rng.choice(people).id, rng.choice(doc_ids)) for _ in range(n_ratings)}
    db.session.execute(insert(Rating), [
        {"user_id": u, "document_id": d, "stars": rng.randint(1, 5), "updated_at": now - timedelta(days=rng.randint(0, 60))}
        for u, d in pairs
    ])
    triples = {(rng.choice(doc_ids), rng.choice(people).id, (now - timedelta(days=rng.randint(0, 30))).date())
               for _ in range(n_views)}
    db.session.execute(insert(DocumentView), [{"document_id": d, "user_id": u, "day": day} for d, u, day in triples])
    db.session.execute(insert(Comment), [
        {"document_id": rng.choice(doc_ids), "author_id": rng.choice(people).id, "body": "经验分享",
         "created_at": now - timedelta(days=rng.randint(0, 30))}
        for _ in range(n_comments)
    ])
    comment_ids = list(db.session.scalars(db.select(Comment.id)))
    marks = {(rng.choice(comment_ids), rng.choice(people).id) for _ in range(n_comments)}
    db.session.execute(insert(CommentHelpful), [{"comment_id": c, "user_id": u} for c, u in marks])
    db.session.commit()
    return people[0]


def stats(times: list[float]) -> str:
    times = sorted(times)
    return f"median {statistics.median(times):7.1f} ms   p90 {times[int(len(times) * 0.9) - 1]:7.1f} ms"


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--ratings", type=int, default=50000)
    parser.add_argument("--views", type=int, default=200000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "INSTANCE_DIR": tmp,
            "UPLOAD_DIR": f"{tmp}/u", "INDEX_DIR": f"{tmp}/i", "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "10000 per minute",
        })
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            me = seed(args.docs, args.ratings, args.views, args.comments)
            print(f"seeded {args.docs} documents, ~{args.ratings} ratings, ~{args.views} views, "
                  f"{args.comments} comments in {time.perf_counter() - started:.1f} s")
            token = services.issue_token(me, "bench")
            db.session.commit()
            auth = {"Authorization": f"Bearer {token}"}
            client = app.test_client()
            with app.test_request_context():
                print("uncached (what the first request after SOCIAL_CACHE_SECONDS pays):")
                for name in ("best_rated", "most_viewed", "newest", "hot"):
                    fn = getattr(rankings, name)
                    print(f"  rankings.{name:<16} {stats(timed(lambda f=fn: f(me), args.repeat))}")
                print(f"  {'all four':<25} {stats(timed(lambda: rankings.all_rankings(me, fresh=True), args.repeat))}")
                print(f"  {'experts (all)':<25} {stats(timed(lambda: experts._ranked(me, None, None, 50), args.repeat))}")
                print(f"  {'experts (tag)':<25} {stats(timed(lambda: experts._ranked(me, None, '报价', 50), args.repeat))}")
                dept = sorted(me.department_ids)[0]
                print(f"  {'experts (department)':<25} {stats(timed(lambda: experts._ranked(me, dept, None, 50), args.repeat))}")
            email = me.email
        # Requests outside the app context above, as a server runs them (each pushes its own context).
        print("through HTTP (lists remembered for SOCIAL_CACHE_SECONDS):")
        for label, path in (("GET /api/v1/rankings", "/api/v1/rankings"),
                            ("GET /api/v1/experts", "/api/v1/experts"),
                            ("GET /api/v1/experts?tag", "/api/v1/experts?tag=报价")):
            print(f"  {label:<25} {stats(timed(lambda p=path: client.get(p, headers=auth), args.repeat))}")
        client = app.test_client()  # a browser: signs in with the form, then opens the home page
        login_page = client.get("/login")
        page = login_page.get_data(as_text=True)
        assert login_page.status_code == 200, (login_page.status_code, page[:300])
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        signed_in = client.post("/login", data={"email": email, "password": "bench-pass-1", "csrf_token": csrf})
        assert signed_in.status_code == 302, signed_in.status_code
        assert "data-testid=\"rankings\"" in client.get("/").get_data(as_text=True)
        print(f"  {'GET / (home page)':<25} {stats(timed(lambda: client.get('/'), args.repeat))}")


if __name__ == "__main__":
    main()
