"""Ids from user input: ASCII digits only, within a database integer; anything else is never a 500."""

import io

import pytest

from hub import policy
from hub.extensions import db
from hub.ids import json_id, parse_id
from hub.models import User

from .conftest import csrf_token
from .customers_helpers import received, setup_accounts, socket_for
from .search_helpers import index_now, make_document

# Superscripts pass str.isdigit() but not int(); Arabic-Indic digits pass int(); the last two are too large.
ODD = ["⁰⁴⁵", "٣", "１２", "1_0", "2147483648", "99999999999"]


def test_parse_id_takes_ascii_digits_within_a_database_integer():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id("0") == 0
    assert parse_id("2147483647") == 2147483647
    for value in [*ODD, "", "-1", "+1", "3.0", "1e3", None, 5, b"5"]:
        assert parse_id(value) is None, value
    assert json_id(3) == 3
    for value in [0, -1, 2**31, True, "3", 3.0, None]:
        assert json_id(value) is None, value


@pytest.fixture
def ids(app, people):
    accounts = setup_accounts(people)
    doc = make_document(people, "报价模板", pages=["报价 模板"])
    index_now(app)
    return accounts | {"doc": doc}


@pytest.mark.parametrize("odd", ODD)
def test_pages_ignore_odd_ids_in_query_strings(client, login_as, ids, odd):
    """List filters are dropped and a version that cannot be named is the current one: 200, not 500."""
    login_as("staff")
    for path in ("/documents/", "/customers/", f"/customers/{ids['X']}", f"/documents/{ids['doc']}",
                 "/search/", "/experts"):
        for name in ("department", "owner", "person", "v", "department_id", "page"):
            response = client.get(path, query_string={name: odd})
            assert response.status_code == 200, (path, name, response.status_code)


def test_search_dept_field_with_odd_digits(client, login_as, people, ids):
    """`dept:⁰⁴⁵` is no department id; the query answers (matching department names) instead of failing."""
    for odd in ODD:
        response = client.get("/api/v1/search", query_string={"q": f"dept:{odd} 报价"}, headers=people.auth("staff"))
        assert response.status_code == 200, odd
    login_as("staff")
    for odd in ODD:
        assert client.get("/search/", query_string={"q": f"dept:{odd}"}).status_code == 200, odd


def test_upload_department_id_must_be_ascii_digits(client, people):
    """The multipart department_id is text: odd digits are a 422, never a 500."""
    for odd in ODD:
        form = {"file": (io.BytesIO(b"a,b\n1,2\n"), "t.csv"), "department_id": odd}
        response = client.post("/api/v1/documents", data=form, headers=people.auth("staff"),
                               content_type="multipart/form-data")
        assert response.status_code == 422, (odd, response.get_data(as_text=True)[:300])


def test_forms_with_odd_ids_are_refused_politely(client, login_as, people, ids):
    """Share targets and task assignees with odd ids are refused with a message (a redirect), not a 500."""
    login_as("staff")
    token = csrf_token(client, f"/documents/{ids['doc']}")
    task = client.post(f"/api/v1/customers/{ids['X']}/events", json={"kind": "task", "body": "回访"},
                       headers=people.auth("staff")).get_json()
    for odd in ODD:
        shared = client.post(f"/sharing/documents/{ids['doc']}/shares", data={"csrf_token": token, "account_id": odd})
        assert shared.status_code == 302, odd
        changed = client.post(f"/customers/tasks/{task['id']}", data={"csrf_token": token, "assignee_id": odd})
        assert changed.status_code == 302, odd


def test_socket_join_with_an_odd_id_gets_an_error_ack(app, people, ids):
    """Room ids are JSON numbers a database integer holds; anything else is an error ack, line kept up."""
    sio = socket_for(app, people, "staff")
    for odd in ["⁰⁴⁵", "٣", str(ids["X"]), 2**31, 2**40, -3, True, 3.5]:
        for key in ("customer_id", "portal_id", "document_id"):
            ack = sio.emit("join", {key: odd}, callback=True)
            assert ack["error"]["code"] == "bad_request", (odd, key, ack)
    ack = sio.emit("join", {"customer_id": ids["X"], "after": 2**40}, callback=True)
    assert ack["error"]["code"] == "invalid"
    assert sio.is_connected()
    assert received(sio, "feed_event") == []


def test_can_join_refuses_rooms_named_with_odd_ids(app, people):
    user = db.session.get(User, people.ids["admin"])
    assert policy.can_join(user, f"user:{user.id}") is True
    for room in ["customer:⁰⁴⁵", "user:٣", "customer:2147483648", f"user:0{user.id}", f"user: {user.id}", "user:"]:
        assert policy.can_join(user, room) is False, room
