"""JSON bodies are strict: "5" is no number, 5 no text, "true" no boolean; dates (text in JSON) still parse."""

from datetime import timedelta

import pytest

from hub.extensions import db
from hub.models import FeedEvent, Notification, Rating, Share, utcnow

from .assessments_helpers import GOOD, assess, counts
from .customers_helpers import post, setup_accounts
from .social_helpers import api, make_document


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def test_stars_as_text_are_refused_and_the_old_vote_stays(client, people):
    doc_id = make_document(people)
    assert api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 4}).status_code == 200
    for stars in ("5", " 5", "5.0"):
        response = api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": stars})
        assert response.status_code == 422, stars
    assert [r.stars for r in db.session.query(Rating)] == [4]


def test_feed_events_with_mistyped_fields_are_refused(client, people, acc):
    doc_id = make_document(people)
    for body in ({"kind": "note", "body": 5}, {"kind": "task", "body": "回访", "assignee_id": str(people.ids["expert"])},
                 {"kind": "task", "body": "回访", "due_date": 20300102},
                 {"kind": "help_request", "body": "求助", "to_department_id": str(people.departments["B"])},
                 {"kind": "document", "document_id": str(doc_id)}):
        response = post(client, people, "staff", acc["X"], **body)
        assert response.status_code == 422, (body, response.get_json())
    assert db.session.query(FeedEvent).count() == 0
    assert post(client, people, "staff", acc["X"], kind="document", document_id=doc_id).status_code == 201


def test_task_dates_as_json_text_still_parse(client, people, acc):
    created = post(client, people, "staff", acc["X"], kind="task", body="回访", due_date="2030-01-02")
    assert created.status_code == 201 and created.get_json()["task"]["due_date"] == "2030-01-02"
    task_id = created.get_json()["id"]
    moved = client.patch(f"/api/v1/tasks/{task_id}", json={"due_date": "2030-02-03"}, headers=people.auth("staff"))
    assert moved.status_code == 200
    refused = client.patch(f"/api/v1/tasks/{task_id}", json={"assignee_id": str(people.ids["expert"])},
                           headers=people.auth("staff"))
    assert refused.status_code == 422
    # Query parameters are text by nature: they are still read as numbers and booleans.
    listed = client.get(f"/api/v1/customers/{acc['X']}/events?after=0&limit=5", headers=people.auth("staff"))
    assert listed.status_code == 200 and len(listed.get_json()["events"]) == 2  # the task and its new date
    assert client.get("/api/v1/notifications?unread=true", headers=people.auth("staff")).status_code == 200


def test_booleans_must_be_booleans(client, people, acc):
    doc_id = make_document(people)
    for body in ({"customer_id": acc["X"], "allow_download": "true"}, {"customer_id": str(acc["X"])},
                 {"customer_id": acc["X"], "allow_download": 1}):
        response = client.post(f"/api/v1/documents/{doc_id}/shares", json=body, headers=people.auth("expert"))
        assert response.status_code == 422, body
    assert db.session.query(Share).count() == 0
    later = (utcnow() + timedelta(days=3)).isoformat() + "Z"
    ok = client.post(f"/api/v1/documents/{doc_id}/shares", json={"customer_id": acc["X"], "expires_at": later,
                                                                  "allow_download": True}, headers=people.auth("expert"))
    assert ok.status_code == 201, ok.get_json()
    read = client.post("/api/v1/notifications/read", json={"all": "true"}, headers=people.auth("staff"))
    assert read.status_code == 422
    read = client.post("/api/v1/notifications/read", json={"ids": ["1"]}, headers=people.auth("staff"))
    assert read.status_code == 422
    assert db.session.query(Notification).count() == 0


def test_assessment_scores_as_text_are_refused_but_whole_numbers_are_fine(client, people, acc):
    assert assess(client, people, "staff", acc["X"], **(GOOD | {"short_term": "8"})).status_code == 422
    assert assess(client, people, "staff", acc["X"], **(GOOD | {"deal_value": "120"})).status_code == 422
    assert counts()[0] == 0
    assert assess(client, people, "staff", acc["X"], **GOOD).status_code == 201  # 8 where a float belongs
