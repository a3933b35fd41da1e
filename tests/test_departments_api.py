"""Departments, notes and Q&A through the JSON API, including bad input."""

import pytest
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Answer, Post, Question


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_me_describes_the_caller(client, people):
    """GET /me returns the caller's id, role and, for customers, their account."""
    me = client.get("/api/v1/me", headers=people.auth("customer")).get_json()
    assert me["role"] == "customer"
    assert me["account_id"] == people.accounts["customer"]
    staff = client.get("/api/v1/me", headers=people.auth("staff")).get_json()
    assert staff["account_id"] is None and staff["department_ids"] == [people.departments["A"]]


def test_ask_answer_accept_round_trip(client, people):
    """A staff member asks, an expert answers, the asker accepts; the department shows it."""
    dept = people.departments["B"]
    asked = client.post(f"/api/v1/departments/{dept}/questions", json={"title": "机器人支持粤语吗？", "body": "物流客户"}, headers=people.auth("staff"))
    assert asked.status_code == 201
    qid = asked.get_json()["id"]
    answered = client.post(f"/api/v1/questions/{qid}/answers", json={"body": "支持，**识别率九成**"}, headers=people.auth("expert"))
    assert answered.status_code == 201
    aid = answered.get_json()["id"]
    accepted = client.post(f"/api/v1/answers/{aid}/accept", headers=people.auth("staff"))
    assert accepted.status_code == 200
    assert accepted.get_json()["accepted_answer_id"] == aid
    listed = client.get(f"/api/v1/departments/{dept}", headers=people.auth("staff")).get_json()
    assert [q["id"] for q in listed["questions"]] == [qid]
    assert listed["questions"][0]["answer_count"] == 1


def test_only_asker_or_member_accepts(client, people):
    """Someone who neither asked nor belongs to the department cannot accept an answer."""
    dept = people.departments["B"]
    qid = client.post(f"/api/v1/departments/{dept}/questions", json={"title": "问题"}, headers=people.auth("expert")).get_json()["id"]
    aid = client.post(f"/api/v1/questions/{qid}/answers", json={"body": "答案"}, headers=people.auth("expert")).get_json()["id"]
    response = client.post(f"/api/v1/answers/{aid}/accept", headers=people.auth("staff"))
    assert response.status_code == 403
    assert db.session.get(Question, qid).accepted_answer_id is None


def test_notes_are_written_by_members_only(client, people):
    """Department members publish notes; other staff get 403 and nothing is stored."""
    dept = people.departments["A"]
    ok = client.post(f"/api/v1/departments/{dept}/posts", json={"title": "报价技巧", "body": "先报模块价"}, headers=people.auth("staff"))
    assert ok.status_code == 201
    refused = client.post(f"/api/v1/departments/{dept}/posts", json={"title": "x", "body": "y"}, headers=people.auth("expert"))
    assert refused.status_code == 403
    assert count(Post) == 1
    posts = client.get(f"/api/v1/departments/{dept}/posts", headers=people.auth("expert")).get_json()["posts"]
    assert [p["title"] for p in posts] == ["报价技巧"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({"title": ""}, 422),
        ({"title": "   "}, 422),
        ({"title": "x" * 201}, 422),
        ({"title": "ok", "body": "x" * 20001}, 422),
        ({"title": 5}, 422),
        ({"title": "ok", "unknown": 1}, 422),
        ([1, 2], 422),
    ],
)
def test_bad_question_bodies_are_refused(client, people, body, status):
    """Empty, overlong, mistyped or extra fields get a JSON 422 and nothing is stored."""
    response = client.post(f"/api/v1/departments/{people.departments['A']}/questions", json=body, headers=people.auth("staff"))
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == "invalid"
    assert count(Question) == 0


def test_malformed_json_is_a_400(client, people):
    """A body that is not JSON gets a clear 400."""
    response = client.post(
        f"/api/v1/departments/{people.departments['A']}/questions",
        data="{not json",
        headers=people.auth("staff") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]["message"]


def test_forged_ids_get_404(client, people):
    """Ids that do not exist answer 404 in JSON."""
    for path in ("/api/v1/departments/999999", "/api/v1/questions/999999"):
        response = client.get(path, headers=people.auth("staff"))
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert client.post("/api/v1/questions/999999/answers", json={"body": "x"}, headers=people.auth("staff")).status_code == 404
    assert count(Answer) == 0


def test_customers_reach_no_department_api(client, people):
    """Customer users are refused every department route."""
    assert client.get("/api/v1/departments", headers=people.auth("customer")).status_code == 403
    response = client.post(f"/api/v1/departments/{people.departments['A']}/questions", json={"title": "x"}, headers=people.auth("customer"))
    assert response.status_code == 403
    assert count(Question) == 0


def test_openapi_lists_every_api_route(app, client):
    """Every /api/v1 route appears in the OpenAPI document with each of its methods."""
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule[len("/api/v1"):]
        for conv in ("<int:", "<"):
            while conv in path:
                start = path.index(conv)
                end = path.index(">", start)
                name = path[start + len(conv):end].split(":")[-1]
                path = path[:start] + "{" + name + "}" + path[end + 1:]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in doc["paths"].get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []
