"""Socket.IO authorization: who may connect, which rooms a person may join, and that refusals keep the line up."""

import pytest
from sqlalchemy import delete

from hub import policy
from hub.auth import services as auth
from hub.extensions import db, socketio
from hub.models import AccessToken, LoginSession, User
from hub.notifications.service import notify

from .conftest import login
from .customers_helpers import post, received, setup_accounts, socket_for


@pytest.fixture
def acc(app, people):
    return setup_accounts(people)


def test_anonymous_clients_are_refused(app):
    """No session and no token: the connection is refused."""
    sio = socketio.test_client(app)
    assert not sio.is_connected()


@pytest.mark.parametrize("auth", [{"token": "hub_not-a-real-token"}, {"token": ""}, {"token": 42}, {"token": None}])
def test_bad_tokens_are_refused_even_with_a_cookie(app, client, people, auth):
    """A token, when given, is judged alone: a bad one is refused although the cookie is valid."""
    login(client, people.emails["staff"])
    sio = socketio.test_client(app, flask_test_client=client, auth=auth)
    assert not sio.is_connected()


def test_revoked_token_is_refused(app, people):
    """A revoked personal access token no longer connects."""
    token = db.session.query(AccessToken).filter_by(user_id=people.ids["expert"]).one()
    auth.revoke_token(token)
    db.session.commit()
    assert not socket_for(app, people, "expert").is_connected()


def test_session_cookie_connects_and_gets_personal_notifications(app, client, people):
    """A signed-in browser session connects and receives its own notifications, not anyone else's."""
    login(client, people.emails["expert"])
    mine = socket_for(app, flask_client=client)
    other = socket_for(app, people, "service")
    assert mine.is_connected() and other.is_connected()
    with app.test_request_context():
        notify([people.ids["expert"]], "task", {"actor": "Staff", "account": "华东精密", "text": "请准备报价"},
               "/customers/1", actor_id=people.ids["staff"])
    notes = received(mine, "notification")
    assert [n["text"] for n in notes] == ["Staff 在 华东精密 给您分派了任务：请准备报价"] and notes[0]["unread"] == 1
    assert received(other, "notification") == []


def test_token_connects(app, people, acc):
    """auth={"token": ...} connects and may join an account room."""
    sio = socket_for(app, people, "expert")
    assert sio.is_connected()
    ack = sio.emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    assert ack["ok"] is True and ack["room"] == f"customer:{acc['X']}" and ack["events"] == []


def test_customer_users_never_join_internal_rooms(app, client, people, acc):
    """A customer user is refused every account room, their own account's included; the line stays up."""
    login(client, people.emails["customer"])
    sio = socket_for(app, flask_client=client)
    assert sio.is_connected()
    for account_id in (acc["X"], acc["Y"]):
        ack = sio.emit("join", {"customer_id": account_id, "after": 0}, callback=True)
        assert ack["error"]["code"] == "forbidden"
    post(client, people, "staff", acc["X"], kind="note", body="内部记录：价格底线八折")
    assert received(sio, "feed_event") == []
    assert sio.is_connected()
    # The connection still works: the personal room still delivers.
    with app.test_request_context():
        notify([people.ids["customer"]], "portal_reply", {"text": "已开通"}, "/portal", actor_id=None)
    assert [n["text"] for n in received(sio, "notification")] == ["您的服务团队回复了您的请求：已开通"]


def test_policy_refuses_customers_internal_rooms_by_prefix(app, people, acc):
    """can_join refuses customer users any customer:/doc: room, whatever the id, and other people's rooms."""
    customer = db.session.get(User, people.ids["customer"])
    staff = db.session.get(User, people.ids["staff"])
    assert not policy.can_join(customer, f"customer:{acc['X']}")
    assert not policy.can_join(customer, "doc:1")
    assert not policy.can_join(customer, f"user:{people.ids['staff']}")
    assert policy.can_join(customer, f"user:{people.ids['customer']}")
    assert policy.can_join(staff, f"customer:{acc['X']}")
    for room in ("customer:999999", "customer:abc", "customer:", "admin:1", "user:-1", None, "customer:1" + "0" * 30):
        assert not policy.can_join(staff, room)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "customer:1",
        [],
        {},
        {"customer_id": "1"},
        {"customer_id": True},
        {"customer_id": -3},
        {"customer_id": 10**30},
        {"customer_id": 999999},
        {"room": "customer:1"},
        {"customer_id": "X", "after": -5},
    ],
)
def test_bad_joins_get_an_error_ack_and_the_line_stays_up(app, people, acc, payload):
    """Malformed or unknown rooms answer with an error and leave the connection healthy."""
    sio = socket_for(app, people, "staff")
    if isinstance(payload, dict) and payload.get("customer_id") == "X":
        payload = payload | {"customer_id": acc["X"]}
    ack = sio.emit("join", payload, callback=True)
    assert "error" in ack and ack["error"]["code"] in ("bad_request", "forbidden", "invalid")
    assert sio.is_connected()
    ok = sio.emit("join", {"customer_id": acc["X"], "after": 0}, callback=True)
    assert ok["ok"] is True


@pytest.mark.parametrize("after", [-5, 10**12, 2**60, "3", 1.5, True])
def test_replay_from_bad_positions_is_refused(app, client, people, acc, after):
    """after=-5, an id past the newest event, or a non-integer gives an error ack; the room is not joined."""
    post(client, people, "staff", acc["X"], kind="note", body="第一条")
    sio = socket_for(app, people, "staff")
    ack = sio.emit("join", {"customer_id": acc["X"], "after": after}, callback=True)
    assert ack["error"]["code"] == "invalid"
    post(client, people, "staff", acc["X"], kind="note", body="第二条")
    assert received(sio, "feed_event") == []
    assert sio.is_connected()


def test_signed_out_session_stops_joining(app, client, people, acc):
    """A sign-in ended where this process could not be told (a CLI without Redis): the socket's next join is refused."""
    login(client, people.emails["staff"])
    sio = socket_for(app, flask_client=client)
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == people.ids["staff"]))
    db.session.commit()
    ack = sio.emit("join", {"customer_id": acc["X"]}, callback=True)
    assert ack["error"]["code"] == "unauthorized"
    assert not sio.is_connected()


def test_leave_stops_delivery(app, client, people, acc):
    """After `leave`, events of that account no longer arrive."""
    sio = socket_for(app, people, "expert")
    sio.emit("join", {"customer_id": acc["X"]}, callback=True)
    assert sio.emit("leave", {"customer_id": acc["X"]}, callback=True) == {"ok": True}
    post(client, people, "staff", acc["X"], kind="note", body="x")
    assert received(sio, "feed_event") == []
