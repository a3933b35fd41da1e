"""The assessments API: scoring an account, its history, the overview; bad input and strangers store nothing."""

import json

import pytest

from hub.extensions import db
from hub.models import AccountShare, Assessment, FeedEvent

from .assessments_helpers import GOOD, accounts, assess, counts, disable
from .customers_helpers import received, socket_for


@pytest.fixture
def acc(app, people):
    return accounts(people)


def test_post_stores_and_answers_quadrant_and_opening_class(client, people, acc):
    """The stored assessment comes back with its quadrant, opening class, author and advice."""
    response = assess(client, people, "staff", acc["X"], **GOOD)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["quadrant"] == "big_business_big_impact"
    assert body["opening_class"] == "normal"
    assert (body["territory"], body["position"], body["competitor"]) == ("ours", "lead", "远图软件")
    assert body["author"] == {"id": people.ids["staff"], "name": "Staff"}
    assert body["advice"] and body["meaning"] and body["quadrant_advice"]
    stored = db.session.get(Assessment, body["id"])
    assert (stored.short_term, stored.long_term, stored.deal_value) == (8.0, 7.0, 120.0)


@pytest.mark.parametrize(
    ("territory", "position", "cls"),
    [("ours", "even", "problem"), ("ours", "trail", "abnormal"), ("theirs", "lead", "abnormal"),
     ("theirs", "even", "problem"), ("theirs", "trail", "normal"), ("neutral", "trail", "normal")],
)
def test_opening_class_follows_territory_and_position(client, people, acc, territory, position, cls):
    body = assess(client, people, "staff", acc["X"], short_term=3, long_term=2, territory=territory,
                  position=position).get_json()
    assert (body["opening_class"], body["quadrant"]) == (cls, "small_business_small_impact")


def test_scores_can_come_from_the_scoring_sheet(client, people, acc):
    """Without short_term/long_term, the sheet's sub-scores are averaged and kept."""
    body = assess(client, people, "staff", acc["X"], deal_revenue=9, quota_effect=6, follow_on=4,
                  reference_value=3, team_morale=2, territory="neutral", position="even").get_json()
    assert (body["short_term"], body["long_term"]) == (7.5, 3.0)
    assert body["quadrant"] == "big_business_small_impact"
    assert body["sub_scores"] == {"deal_revenue": 9, "quota_effect": 6, "follow_on": 4,
                                  "reference_value": 3, "team_morale": 2}


def test_history_keeps_every_assessment_newest_first(client, people, acc):
    """A second assessment is added, never overwrites: GET lists both with who made them."""
    first = assess(client, people, "staff", acc["X"], **GOOD).get_json()
    second = assess(client, people, "expert", acc["X"], **(GOOD | {"position": "trail", "short_term": 4})).get_json()
    listed = client.get(f"/api/v1/customers/{acc['X']}/assessments", headers=people.auth("staff")).get_json()
    assert [a["id"] for a in listed["assessments"]] == [second["id"], first["id"]]
    assert [a["author"]["name"] for a in listed["assessments"]] == ["Expert", "Staff"]
    assert [a["opening_class"] for a in listed["assessments"]] == ["abnormal", "normal"]
    assert listed["territory_suggestion"] is None


def test_each_assessment_is_an_event_in_the_account_feed(client, people, acc):
    """The feed gets an `assessment` event by the author that links to the assessment."""
    body = assess(client, people, "staff", acc["X"], **GOOD).get_json()
    events = client.get(f"/api/v1/customers/{acc['X']}/events", headers=people.auth("expert")).get_json()["events"]
    mine = [e for e in events if e["kind"] == "assessment"]
    assert len(mine) == 1
    assert mine[0]["author"]["id"] == people.ids["staff"]
    assert f"/assessments/accounts/{acc['X']}#a{body['id']}" in mine[0]["body"]
    assert "客户倾向我们" in mine[0]["body"]


def test_assessment_event_arrives_live_in_the_account_room(app, client, people, acc):
    """A colleague watching the account receives the assessment's feed event at once."""
    sio = socket_for(app, people, "expert")
    sio.emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    assess(client, people, "staff", acc["X"], **GOOD)
    live = received(sio, "feed_event")
    assert [e["kind"] for e in live] == ["assessment"]
    assert live[0]["id"] == db.session.query(FeedEvent).filter_by(kind="assessment").one().id


BAD = [
    ({"short_term": 11}, 422),
    ({"short_term": -1}, 422),
    ({"long_term": 10.5}, 422),
    ({"short_term": "八"}, 422),
    ({"short_term": True}, 422),
    ({"territory": "mine"}, 422),
    ({"territory": "OURS"}, 422),
    ({"position": "ahead"}, 422),
    ({"position": None}, 422),
    ({"deal_revenue": 11}, 422),
    ({"team_morale": -2}, 422),
    ({"follow_on": 7.5}, 422),
    ({"deal_value": -1}, 422),
    ({"opportunity": "x" * 121}, 422),
    ({"unknown_field": 1}, 422),
]


@pytest.mark.parametrize(("change", "status"), BAD)
def test_bad_input_is_refused_and_nothing_stored(client, people, acc, change, status):
    response = assess(client, people, "staff", acc["X"], **(GOOD | change))
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == "invalid"
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("raw", ['{"short_term": NaN, "long_term": 5, "territory": "ours", "position": "lead"}',
                                 '{"short_term": Infinity, "long_term": 5, "territory": "ours", "position": "lead"}',
                                 "[1, 2]", "not json", ""])
def test_non_numbers_and_malformed_bodies_are_refused(client, people, acc, raw):
    response = client.post(f"/api/v1/customers/{acc['X']}/assessments", data=raw,
                           headers=people.auth("staff") | {"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert counts() == (0, 0, 0)


def test_missing_scores_without_a_sheet_are_refused(client, people, acc):
    response = assess(client, people, "staff", acc["X"], territory="ours", position="lead", long_term=5)
    assert response.status_code == 422
    assert "short_term" in response.get_json()["error"]["message"]
    assert counts() == (0, 0, 0)


def test_territory_defaults_to_what_past_business_suggests(client, people, acc):
    """With shares recorded, territory may be left out: the suggestion is used and remembered."""
    db.session.add_all([AccountShare(account_id=acc["X"], competitor="", amount=20),
                        AccountShare(account_id=acc["X"], competitor="远图软件", amount=80)])
    db.session.commit()
    body = assess(client, people, "staff", acc["X"], short_term=6, long_term=6, position="lead").get_json()
    assert (body["territory"], body["suggested_territory"], body["opening_class"]) == ("theirs", "theirs", "abnormal")
    assert body["competitor"] == "远图软件"
    listed = client.get(f"/api/v1/customers/{acc['X']}/assessments", headers=people.auth("staff")).get_json()
    assert listed["territory_suggestion"]["territory"] == "theirs"
    assert listed["territory_suggestion"]["leader"] == "远图软件"


def test_territory_is_required_when_there_is_no_history(client, people, acc):
    response = assess(client, people, "staff", acc["X"], short_term=6, long_term=6, position="lead")
    assert response.status_code == 422
    assert "territory" in response.get_json()["error"]["message"]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("who", ["customer", "other_customer"])
def test_customers_never_see_or_write_assessments(client, people, acc, who):
    """Customer users get 403 on every assessment endpoint, their own account included."""
    assess(client, people, "staff", acc["X"], **GOOD)
    for path in (f"/api/v1/customers/{acc['X']}/assessments", "/api/v1/assessments/overview"):
        assert client.get(path, headers=people.auth(who)).status_code == 403
    assert assess(client, people, who, acc["X"], **GOOD).status_code == 403
    assert counts()[0] == 1


def test_unknown_and_hidden_accounts_answer_404(client, people, acc):
    """A missing account, or a disabled one for staff, is 404 and nothing is stored."""
    assert assess(client, people, "staff", 999_999, **GOOD).status_code == 404
    disable(acc["Y"])
    assert assess(client, people, "staff", acc["Y"], **GOOD).status_code == 404
    assert client.get(f"/api/v1/customers/{acc['Y']}/assessments", headers=people.auth("staff")).status_code == 404
    assert counts() == (0, 0, 0)


def test_admins_read_but_cannot_assess_a_disabled_account(client, people, acc):
    disable(acc["Y"])
    assert client.get(f"/api/v1/customers/{acc['Y']}/assessments", headers=people.auth("admin")).status_code == 200
    response = assess(client, people, "admin", acc["Y"], **GOOD)
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_anonymous_callers_get_401(client, acc):
    assert client.get("/api/v1/assessments/overview").status_code == 401
    assert client.post(f"/api/v1/customers/{acc['X']}/assessments", json=GOOD).status_code == 401


def test_overview_counts_the_latest_assessment_per_account(client, people, acc):
    """Only each account's newest assessment counts, in the quadrant counts and the nine grid cells."""
    assess(client, people, "staff", acc["X"], **(GOOD | {"position": "trail"}))
    assess(client, people, "staff", acc["X"], **GOOD)  # X moved to ours × lead
    assess(client, people, "staff", acc["Y"], short_term=2, long_term=9, territory="theirs", position="even",
           deal_value=30)
    body = client.get("/api/v1/assessments/overview", headers=people.auth("expert")).get_json()
    assert sorted((p["account_id"], p["opening_class"]) for p in body["points"]) == sorted(
        [(acc["X"], "normal"), (acc["Y"], "problem")])
    grid = {(c["territory"], c["position"]): (c["count"], c["opening_class"]) for c in body["grid"]}
    assert len(grid) == 9
    assert grid[("ours", "lead")] == (1, "normal")
    assert grid[("ours", "trail")] == (0, "abnormal")
    assert grid[("theirs", "even")] == (1, "problem")
    quads = {q["quadrant"]: q["count"] for q in body["quadrants"]}
    assert quads == {"big_business_big_impact": 1, "small_business_big_impact": 1,
                     "big_business_small_impact": 0, "small_business_small_impact": 0}


def test_each_named_opportunity_is_its_own_point(client, people, acc):
    assess(client, people, "staff", acc["X"], **(GOOD | {"opportunity": "一期"}))
    assess(client, people, "staff", acc["X"], **(GOOD | {"opportunity": "二期", "position": "even"}))
    points = client.get("/api/v1/assessments/overview", headers=people.auth("staff")).get_json()["points"]
    assert sorted(p["opportunity"] for p in points) == ["一期", "二期"]


def test_overview_leaves_out_accounts_the_reader_cannot_see(client, people, acc):
    """A disabled account's assessment drops out for staff and stays for admins."""
    assess(client, people, "staff", acc["X"], **GOOD)
    assess(client, people, "staff", acc["Y"], **GOOD)
    disable(acc["Y"])
    staff = client.get("/api/v1/assessments/overview", headers=people.auth("staff")).get_json()
    admin = client.get("/api/v1/assessments/overview", headers=people.auth("admin")).get_json()
    assert [p["account_id"] for p in staff["points"]] == [acc["X"]]
    assert sorted(p["account_id"] for p in admin["points"]) == sorted(acc.values())


def test_openapi_describes_the_three_operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/customers/{account_id}/assessments"])
    assert "get" in paths["/assessments/overview"]
    body = json.dumps(spec)
    assert "AssessmentIn" in body and "opening_class" in body
