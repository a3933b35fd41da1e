"""Twenty simultaneous helpful votes by one person on an answer and on a comment count once each."""

import threading

import pytest
import requests
from sqlalchemy import text

from .social_server import postgres_url, read_after_race, start

N = 20


def burst(method: str, url: str, token: str) -> list[int]:
    """Send N identical requests released together by a barrier; return their status codes."""
    barrier = threading.Barrier(N)
    statuses: list[int] = [0] * N

    def one(i: int) -> None:
        session = requests.Session()
        barrier.wait()
        response = session.request(method, url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
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
        author = {"Authorization": f"Bearer {data['tokens']['other']}"}
        voter = data["tokens"]["rater"]
        base = f"{server.url}/api/v1"
        department_id = requests.get(f"{base}/departments", headers=author, timeout=10).json()["departments"][0]["id"]
        question = requests.post(f"{base}/departments/{department_id}/questions", headers=author,
                                 json={"title": "数据接口限流是多少？", "body": ""}, timeout=10).json()
        answer = requests.post(f"{base}/questions/{question['id']}/answers", headers=author,
                               json={"body": "每分钟 600 次"}, timeout=10).json()
        comment = requests.post(f"{base}/documents/{data['doc_id']}/comments", headers=author,
                                json={"body": "第 3 页有示例"}, timeout=10).json()
        for url in (f"{base}/answers/{answer['id']}/helpful", f"{base}/comments/{comment['id']}/helpful"):
            assert burst("PUT", url, voter) == [200] * N
            counted = requests.put(url, headers={"Authorization": f"Bearer {voter}"}, timeout=10).json()
            assert counted["helpful"] == 1 and counted["helpful_by_me"] is True
        experts = requests.get(f"{base}/experts", headers=author, timeout=10).json()["experts"]
        assert next(e for e in experts if e["user"]["id"] == data["ids"]["other"])["helpful"] == 2
        assert burst("DELETE", f"{base}/answers/{answer['id']}/helpful", voter) == [200] * N
    finally:
        server.stop()
    answer_votes, comment_votes = read_after_race(instance, database_url, lambda connection: (
        connection.execute(text("SELECT count(*) FROM answer_helpful")).scalar(),
        connection.execute(text("SELECT count(*) FROM comment_helpful")).scalar(),
    ))
    assert (answer_votes, comment_votes) == (0, 1)


def test_concurrent_helpful_votes_count_once_sqlite(tmp_path):
    """On the embedded SQLite, twenty PUTs at once by one person leave one vote per item."""
    run_race(tmp_path)


@pytest.mark.postgres
def test_concurrent_helpful_votes_count_once_postgres(tmp_path):
    """On PostgreSQL, the table's key and the upsert keep it to one vote as well."""
    run_race(tmp_path, postgres_url("helpful"))
