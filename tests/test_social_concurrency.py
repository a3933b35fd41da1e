"""Twenty identical rating requests at once against a real server leave exactly one rating."""

import threading

import pytest
import requests
from sqlalchemy import text

from .social_server import postgres_url, read_after_race, start

N = 20


def hammer(url: str, token: str, stars_for) -> list[int]:
    """Send N PUTs released together by a barrier; return their status codes."""
    barrier = threading.Barrier(N)
    statuses: list[int] = [0] * N

    def one(i: int) -> None:
        session = requests.Session()
        barrier.wait()
        response = session.put(
            url, json={"stars": stars_for(i)}, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )
        statuses[i] = response.status_code

    threads = [threading.Thread(target=one, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def run_race(instance, database_url=None):
    server, data = start(instance, database_url)
    try:
        url = f"{server.url}/api/v1/documents/{data['doc_id']}/rating"
        token = data["tokens"]["rater"]
        statuses = hammer(url, token, lambda i: 4)
        assert statuses == [200] * N
        statuses = hammer(url, token, lambda i: 1 + i % 5)  # twenty different changes at once
        assert statuses == [200] * N
        summary = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert summary["count"] == 1 and summary["mine"] in {1, 2, 3, 4, 5}
        assert sum(summary["distribution"].values()) == 1
    finally:
        server.stop()
    rows, notices = read_after_race(instance, database_url, lambda connection: (
        connection.execute(text("SELECT user_id, document_id, stars FROM ratings")).all(),
        connection.execute(text("SELECT count(*) FROM notifications WHERE kind = 'rating_summary'")).scalar(),
    ))
    assert len(rows) == 1
    assert notices == 1  # the owner hears of the first rating once, not twenty times


def test_twenty_concurrent_ratings_make_one_row_sqlite(tmp_path):
    """On the embedded SQLite, a burst of twenty PUTs by one person stores one row and one summary."""
    run_race(tmp_path)


@pytest.mark.postgres
def test_twenty_concurrent_ratings_make_one_row_postgres(tmp_path):
    """On PostgreSQL, the unique constraint and the upsert keep it to one row as well."""
    run_race(tmp_path, postgres_url("ratings"))
