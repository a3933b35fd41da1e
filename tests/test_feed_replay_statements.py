"""The API's replay reads the account, its events and everything they name in one statement.

So a full replay, an empty one at the newest id and a hidden account all cost the sign-in plus that one
statement (no assessments or @mentions here: those are read once per request on their own); refusals
still come in their order (404 before any complaint about the query).
"""

import pytest

from hub.extensions import db
from hub.models import CustomerAccount

from .customers_helpers import post, setup_accounts
from .social_helpers import make_document
from .statements import counted_statements


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def ok(response):
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:300]
    return response.get_json()


def statements(client, people, path: str, status: int, who: str = "staff") -> int:
    client.get(path, headers=people.auth(who)).close()  # warm: first-use caches are not per-request work
    with counted_statements() as seen:
        response = client.get(path, headers=people.auth(who))
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    return len(seen)


def test_one_statement_whatever_the_events_name(client, people, acc):
    expert = people.ids["expert"]
    task = ok(post(client, people, "staff", acc["X"], kind="task", body="报价", assignee_id=expert))
    ok(client.patch(f"/api/v1/tasks/{task['id']}", json={"status": "done"}, headers=people.auth("expert")))
    ok(post(client, people, "staff", acc["X"], kind="help_request", body="谁懂?", to_department_id=people.departments["B"]))
    doc = make_document(people, visibility="staff", title="白皮书")
    ok(post(client, people, "staff", acc["X"], kind="document", document_id=doc, body="资料"))
    ok(post(client, people, "service", acc["X"], kind="complaint", body="延迟", severity="high"))
    base = f"/api/v1/customers/{acc['X']}/events"
    whole = ok(client.get(f"{base}?after=0", headers=people.auth("staff")))
    assert whole["events"][1]["parent"]["status"] == "done"  # the update names its task
    newest = whole["last_id"]

    empty = statements(client, people, f"{base}?after={newest}", 200)
    assert statements(client, people, f"{base}?after=0", 200) == empty
    assert statements(client, people, f"{base}?after={task['id']}", 200) == empty  # its task read in the join
    # a refusal costs what refusing a malformed query costs (the account's row, the error page's reads)
    assert statements(client, people, f"{base}?after={newest + 1}", 422) == statements(
        client, people, f"{base}?limit=0", 422
    )
    db.session.get(CustomerAccount, acc["Y"]).active = False
    db.session.commit()
    assert statements(client, people, f"/api/v1/customers/{acc['Y']}/events?after=0", 404) == empty
    assert statements(client, people, "/api/v1/customers/424242/events?after=0", 404) == empty


def test_refusals_keep_their_order(client, people, acc):
    ok(post(client, people, "staff", acc["X"], kind="note", body="一条"))
    db.session.get(CustomerAccount, acc["Y"]).active = False
    db.session.commit()
    hidden, shown = f"/api/v1/customers/{acc['Y']}/events", f"/api/v1/customers/{acc['X']}/events"
    for query in ("after=-1", "kind=bogus", "limit=0", "x=1", "after=99999&kind=bogus"):
        assert client.get(f"{hidden}?{query}", headers=people.auth("staff")).status_code == 404, query
        assert client.get(f"{hidden}?{query}", headers=people.auth("admin")).status_code == 422, query
    past = client.get(f"{shown}?after=99999&kind=bogus", headers=people.auth("staff"))
    assert past.status_code == 422 and "99999" in past.get_data(as_text=True)  # the position first, then the kind
    unknown = client.get(f"{shown}?kind=bogus", headers=people.auth("staff"))
    assert unknown.status_code == 422 and "bogus" in unknown.get_data(as_text=True)
