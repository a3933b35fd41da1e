"""The API's replay reads rows, not ORM events (hub.customers.replay); its answer must stay what the ORM gives.

Every kind of event is posted through the real routes and services; the replay's answer is then compared,
event by event, with `wire_json` of the events `events_after` loads through the ORM (the sockets' path),
worded in the same request. The statements of one replay must not grow with its events.
"""

import pytest

from hub.auth import services as users
from hub.customers import events, feed
from hub.customers.schemas import NoteIn
from hub.extensions import db
from hub.models import CustomerAccount, User

from .assessments_helpers import GOOD, assess
from .customers_helpers import post, setup_accounts
from .social_helpers import make_document
from .statements import counted_statements


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def ok(response, status=(200, 201)):
    assert response.status_code in status, response.get_data(as_text=True)[:300]
    return response.get_json()


def in_request(app, fn):
    """Run a service the way a view would: inside a request (url_for, gettext), on the test's session."""
    with app.test_request_context("/"):
        return fn()


def post_round(app, client, people, account_id: int, n: int) -> None:
    """One of each kind of event, each item with its replies and updates (16 events)."""

    def say(who: str, **body) -> dict:
        return ok(post(client, people, who, account_id, **body))

    def change(who: str, method: str, path: str, body: dict | None = None) -> dict:
        return ok(client.open(f"/api/v1/{path}", method=method, json=body, headers=people.auth(who)))

    expert, dept_b = people.ids["expert"], people.departments["B"]
    task = say("staff", kind="task", body=f"准备报价单 {n}", assignee_id=expert, due_date="2026-12-01")
    change("expert", "PATCH", f"tasks/{task['id']}", {"status": "done"})
    asked = say("staff", kind="help_request", body="等保材料谁有？", to_user_id=expert)
    change("expert", "POST", f"help-requests/{asked['id']}/replies", {"body": "我有，@Staff 稍后发你"})
    dept = say("staff", kind="help_request", body="能否私有化部署？", to_department_id=dept_b)
    change("expert", "PATCH", f"help-requests/{dept['id']}", {"status": "solved"})
    complaint = say("service", kind="complaint", body="发货延迟", severity="high")
    change("staff", "POST", f"complaints/{complaint['id']}/acknowledge")
    doc = make_document(people, visibility="staff", title=f"白皮书 {n}")
    say("staff", kind="document", document_id=doc, body="客户要的白皮书")
    ok(assess(client, people, "staff", account_id, **GOOD, opportunity=f"二期 {n}"))
    say("staff", kind="note", body="@Expert 请看一下**这个**客户的需求")
    say("expert", kind="call", body="电话沟通")

    account = db.session.get(CustomerAccount, account_id)
    customer = db.session.get(User, people.ids["customer"])
    service = db.session.get(User, people.ids["service"])

    def portal_items():
        request = feed.build_portal_item(account, customer, "service_request", "请开通账号", None)
        feed.publish_new(request, customer, account)
        feed.publish_changes(feed.answer_portal_item(request, service, close=True))
        # a customer's @Name is never a link
        feed.publish_new(
            feed.build_portal_item(account, customer, "complaint", "@Expert 太慢", "low"), customer, account
        )

    in_request(app, portal_items)
    # A colleague who names someone and then leaves: their @Name is no link any more (can_mention).
    leaver = users.create_user(
        f"leaver{n}@test.hub", f"离职 {n}", password="x" * 12, role="staff", job="sales"
    )
    db.session.commit()
    in_request(app, lambda: feed.post_event(account, leaver, NoteIn(kind="visit", body="拜访，@Expert 同行")))
    leaver.active = n % 2 == 0
    db.session.commit()


def orm_answer(app, people, account_id: int, query: dict) -> dict:
    """The replay as the ORM path words it for the staff reader (the sockets' wire_json)."""
    path, headers = f"/api/v1/customers/{account_id}/events", people.auth("staff")
    with app.app_context(), app.test_request_context(path, query_string=query, headers=headers):  # its own g
        app.preprocess_request()  # the token's sign-in and language, as for the API request
        account = db.session.get(CustomerAccount, account_id)
        rows, more = events.events_after(
            account,
            int(query.get("after", 0)),
            int(query.get("limit", 100)),
            query.get("kind"),
            query.get("person"),
        )
        return {
            "events": [events.wire_json(e) for e in rows],
            "last_id": rows[-1].id if rows else 0,
            "more": more,
        }


def test_every_kind_replays_as_the_orm_events_do(app, client, people, acc):
    post_round(app, client, people, acc["X"], 1)
    post_round(app, client, people, acc["X"], 2)
    whole = ok(client.get(f"/api/v1/customers/{acc['X']}/events?after=0", headers=people.auth("staff")))
    kinds = {e["kind"] for e in whole["events"]}
    assert kinds == {
        "task",
        "update",
        "help_request",
        "reply",
        "complaint",
        "service_request",
        "document",
        "assessment",
        "note",
        "call",
        "visit",
    }
    assert any('href="/people/' in e["body_html"] for e in whole["events"])  # a mention linked
    assert any("/assessments/accounts/" in e["body_html"] for e in whole["events"])  # an assessment's line
    first_task = next(e["id"] for e in whole["events"] if e["kind"] == "task")
    queries = [
        {"after": 0},
        {"after": first_task},  # its updates' item is not in the replay: read on its own
        {"after": 0, "kind": "update"},
        {"after": 0, "kind": "reply"},
        {"after": 0, "person": people.ids["expert"]},
        {"after": 0, "limit": 5},
        {"after": whole["last_id"]},
    ]
    for query in queries:
        assert_same_answer(app, client, people, acc["X"], query)
    db.session.get(User, people.ids["staff"]).language = "en"  # an assessment's line is worded for the reader
    db.session.commit()
    assert_same_answer(app, client, people, acc["X"], {"after": 0})


def assert_same_answer(app, client, people, account_id: int, query: dict) -> None:
    got = ok(
        client.get(f"/api/v1/customers/{account_id}/events", query_string=query, headers=people.auth("staff"))
    )
    expected = orm_answer(app, people, account_id, query)
    assert len(got["events"]) == len(expected["events"]), query
    for mine, theirs in zip(got["events"], expected["events"], strict=True):
        assert mine == theirs, (query, mine["kind"])
    assert (got["more"], got["last_id"]) == (expected["more"], expected["last_id"] or query["after"])


def replay_statements(client, people, account_id: int) -> tuple[int, int]:
    path = f"/api/v1/customers/{account_id}/events?after=0&limit=500"
    client.get(path, headers=people.auth("staff")).close()  # warm: first-use caches are not per-request work
    with counted_statements() as seen:
        answer = ok(client.get(path, headers=people.auth("staff")))
    return len(seen), len(answer["events"])


def test_statements_do_not_grow_with_the_events(app, client, people, acc):
    post_round(app, client, people, acc["X"], 1)
    small, small_events = replay_statements(client, people, acc["X"])
    for n in range(2, 4):
        post_round(app, client, people, acc["X"], n)
    large, large_events = replay_statements(client, people, acc["X"])
    assert small_events >= 3 and large_events >= 40
    assert large == small, (small, large)
    # sign-in (token, user), account, newest id, events, people, departments, documents, assessments, mentionable
    assert small <= 10
