"""Twenty identical rating requests at once against a real server leave exactly one rating."""

import threading

import pytest
import requests
from sqlalchemy import create_engine, text

from hub.extensions import db

from .conftest import TEST_DATABASE_URL, service_missing
from .social_server import start

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
    uri = database_url or f"sqlite:///{instance / 'hub.db'}"
    engine = create_engine(uri.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT user_id, document_id, stars FROM ratings")).all()
        notices = connection.execute(
            text("SELECT count(*) FROM notifications WHERE kind = 'rating_summary'")
        ).scalar()
    if database_url:
        db.metadata.drop_all(engine)  # leave the shared test database as the other tests expect it
    engine.dispose()
    assert len(rows) == 1
    assert notices == 1  # the owner hears of the first rating once, not twenty times


def test_twenty_concurrent_ratings_make_one_row_sqlite(tmp_path):
    """On the embedded SQLite, a burst of twenty PUTs by one person stores one row and one summary."""
    run_race(tmp_path)


@pytest.mark.postgres
def test_twenty_concurrent_ratings_make_one_row_postgres(tmp_path):
    """On PostgreSQL, the unique constraint and the upsert keep it to one row as well."""
    url = TEST_DATABASE_URL or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is absent
        service_missing("PostgreSQL", str(exc))
    run_race(tmp_path, url)
