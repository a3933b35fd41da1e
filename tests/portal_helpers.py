"""Helpers for the portal tests: accounts with a team, rendered documents, shares, signed-in clients."""

from dataclasses import dataclass, field
from functools import cache

from hub.extensions import db
from hub.models import AccountMember, CustomerAccount

from .conftest import csrf_token, login
from .documents_helpers import drain, pdf_bytes, upload


@cache
def pdf(pages: int, title: str) -> bytes:
    """The same generated PDF for every test that needs it (making one takes a while)."""
    return pdf_bytes(pages, title=title)


@dataclass
class World:
    """Account X (owner: staff, service: service) and Y; documents by staff in department A."""

    X: int
    Y: int
    docs: dict = field(default_factory=dict)


def setup_world(app, client, people) -> World:
    x = db.session.get(CustomerAccount, people.accounts["customer"])
    y = db.session.get(CustomerAccount, people.accounts["other_customer"])
    x.owner_id = people.ids["staff"]
    y.owner_id = people.ids["expert"]
    db.session.add(AccountMember(account_id=x.id, user_id=people.ids["service"], role="service"))
    db.session.commit()
    world = World(X=x.id, Y=y.id)
    for name, pages in (("shared", 2), ("other", 1), ("secret", 1)):
        response = upload(client, people.auth("staff"), people.departments["A"], pdf(pages, name),
                          f"{name}.pdf", title=f"{name}方案说明")
        assert response.status_code == 201, response.get_json()
        world.docs[name] = response.get_json()["id"]
    drain(app)
    return world


def share(client, people, doc_id: int, account_id: int, who: str = "staff", **extra):
    body = {"customer_id": account_id} | extra
    return client.post(f"/api/v1/documents/{doc_id}/shares", json=body, headers=people.auth(who))


def shared_ok(client, people, doc_id: int, account_id: int, **extra) -> int:
    response = share(client, people, doc_id, account_id, **extra)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def signed_in(app, people, who: str):
    """A fresh test client signed in (cookie) as `who`, with its CSRF token."""
    client = app.test_client()
    assert login(client, people.emails[who]).status_code == 302
    client.csrf = csrf_token(client, "/portal/" if who in ("customer", "other_customer") else "/")
    return client


def get(client, url: str, headers=None):
    """GET and read the answer fully (files are streamed), then close it."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response
