"""Helpers for the customers, feed and socket tests: accounts with an owner, posting, socket clients."""

from hub.extensions import db, socketio
from hub.models import CustomerAccount, FeedEvent


def setup_accounts(people) -> dict:
    """Give account X the sales rep `staff` as owner; return the two account ids as X and Y."""
    x = db.session.get(CustomerAccount, people.accounts["customer"])
    y = db.session.get(CustomerAccount, people.accounts["other_customer"])
    x.owner_id = people.ids["staff"]
    x.industry, x.region = "制造业", "上海"
    y.industry, y.region = "物流", "广州"
    db.session.commit()
    return {"X": x.id, "Y": y.id}


def post(client, people, who: str, account_id: int, **body):
    return client.post(f"/api/v1/customers/{account_id}/events", json=body, headers=people.auth(who))


def event_count() -> int:
    return db.session.query(FeedEvent).count()


def socket_for(app, people=None, who: str | None = None, flask_client=None):
    """A real Socket.IO test client: by token when `who` is given, else by the flask client's cookie."""
    if who is not None:
        return socketio.test_client(app, auth={"token": people.tokens[who]})
    return socketio.test_client(app, flask_test_client=flask_client)


def received(sio, name: str) -> list:
    return [m["args"][0] for m in sio.get_received() if m["name"] == name]
