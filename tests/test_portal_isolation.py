"""A customer user reaches nothing outside their own portal. One test per leak path."""

from datetime import timedelta

import pytest

from hub import policy
from hub.extensions import db, socketio
from hub.models import Share, User, utcnow

from .conftest import login
from .customers_helpers import received
from .portal_helpers import World, get, setup_world, shared_ok, signed_in
from .search_helpers import hits, index_now, keys

DOC_PATHS = (
    "/api/v1/portal/documents/{id}",
    "/api/v1/portal/documents/{id}/pages/1",
    "/api/v1/portal/documents/{id}/thumbnail",
    "/api/v1/portal/documents/{id}/download",
    "/portal/documents/{id}",
)

@pytest.fixture
def world(app, client, people) -> World:
    return setup_world(app, client, people)


def statuses(client, doc_id, headers=None) -> set[int]:
    return {get(client, p.format(id=doc_id), headers).status_code for p in DOC_PATHS}


def test_internal_pages_and_api_refuse_customers(client, people, world):
    """Staff pages and API answer 403 to a customer, even for a document shared with them."""
    doc = world.docs["shared"]
    shared_ok(client, people, doc, world.X, allow_download=True)
    for path in (f"/documents/{doc}", f"/documents/{doc}/download", f"/customers/{world.X}", "/departments/",
                 f"/api/v1/documents/{doc}", f"/api/v1/documents/{doc}/pages/1", f"/api/v1/documents/{doc}/text",
                 f"/api/v1/documents/{doc}/thumbnail", f"/api/v1/customers/{world.X}/events",
                 f"/api/v1/customers/{world.X}/engagement", f"/api/v1/documents/{doc}/shares"):
        assert get(client, path, people.auth("customer")).status_code == 403, path
    login(client, people.emails["customer"])
    assert get(client, f"/documents/{doc}").status_code == 403
    assert client.get("/").headers["Location"].endswith("/portal/")


def test_unshared_documents_are_not_found_by_guessing_ids(client, people, world):
    """Every portal path of a document not shared with the account is a 404, as is an id that does not exist."""
    shared_ok(client, people, world.docs["shared"], world.X)
    assert statuses(client, world.docs["secret"], people.auth("customer")) == {404}
    assert statuses(client, 999_999, people.auth("customer")) == {404}
    assert statuses(client, 2**40, people.auth("customer")) == {404}


def test_another_accounts_documents_stay_hidden(client, people, world):
    """A document shared with account Y is a 404 for X's customer; Y's customer sees only Y's."""
    shared_ok(client, people, world.docs["other"], world.Y)
    assert statuses(client, world.docs["other"], people.auth("customer")) == {404}
    listed = client.get("/api/v1/portal/documents", headers=people.auth("customer")).get_json()["documents"]
    assert listed == []
    mine = client.get("/api/v1/portal/documents", headers=people.auth("other_customer")).get_json()["documents"]
    assert [d["id"] for d in mine] == [world.docs["other"]]


def test_another_accounts_portal_stays_hidden(client, people, world):
    """Each customer's space, requests and conversation are their own account's, whatever they send."""
    client.post("/api/v1/portal/messages", json={"body": "X 的私信"}, headers=people.auth("customer"))
    client.post("/api/v1/portal/requests", json={"body": "X 的请求"}, headers=people.auth("customer"))
    assert client.get("/api/v1/portal", headers=people.auth("other_customer")).get_json()["account"]["id"] == world.Y
    assert client.get("/api/v1/portal/messages", headers=people.auth("other_customer")).get_json()["messages"] == []
    assert client.get("/api/v1/portal/requests", headers=people.auth("other_customer")).get_json()["requests"] == []
    forged = client.post("/api/v1/portal/messages", json={"body": "hi", "account_id": world.X},
                         headers=people.auth("other_customer"))
    assert forged.status_code == 422


def test_download_only_where_the_share_allows(client, people, world):
    """A view-only share serves pages but refuses the original file."""
    shared_ok(client, people, world.docs["shared"], world.X, allow_download=False)
    assert get(client, f"/api/v1/portal/documents/{world.docs['shared']}/pages/1", people.auth("customer")).status_code == 200
    assert get(client, f"/api/v1/portal/documents/{world.docs['shared']}/download", people.auth("customer")).status_code == 403


def test_expired_share_ends_access(client, people, world):
    """Once its expiry passes, every path of the document is a 404 and the list forgets it."""
    share_id = shared_ok(client, people, world.docs["shared"], world.X, expires_at=(utcnow() + timedelta(days=1)).isoformat())
    assert get(client, f"/api/v1/portal/documents/{world.docs['shared']}/pages/1", people.auth("customer")).status_code == 200
    db.session.get(Share, share_id).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert statuses(client, world.docs["shared"], people.auth("customer")) == {404}
    assert client.get("/api/v1/portal/documents", headers=people.auth("customer")).get_json()["documents"] == []


def test_past_expiry_is_refused(client, people, world):
    """A share that would already be over is refused; nothing is stored."""
    response = client.post(f"/api/v1/documents/{world.docs['shared']}/shares", headers=people.auth("staff"),
                           json={"customer_id": world.X, "expires_at": "2001-01-01T00:00:00Z"})
    assert response.status_code == 422 and db.session.query(Share).count() == 0


def test_revoked_share_ends_access_at_once(client, people, world):
    """After DELETE /shares/ID the document's pages, text page and list entry are gone for the customer."""
    share_id = shared_ok(client, people, world.docs["shared"], world.X)
    assert get(client, f"/portal/documents/{world.docs['shared']}", people.auth("customer")).status_code == 200
    assert client.delete(f"/api/v1/shares/{share_id}", headers=people.auth("staff")).status_code == 204
    assert statuses(client, world.docs["shared"], people.auth("customer")) == {404}


def test_old_versions_are_never_served(client, people, world):
    """Only the current version of a shared document is served; ?v= or ?version= change nothing."""
    from .documents_helpers import drain, pdf_bytes

    doc = world.docs["shared"]
    shared_ok(client, people, doc, world.X)
    import io

    client.post(f"/api/v1/documents/{doc}/versions", headers=people.auth("staff"), content_type="multipart/form-data",
                data={"file": (io.BytesIO(pdf_bytes(1, title="第二版")), "v2.pdf")})
    drain(client.application)
    assert get(client, f"/api/v1/portal/documents/{doc}/pages/2?v=1&version=1", people.auth("customer")).status_code == 404


@pytest.fixture
def indexed(app, client, people, world):
    shared_ok(client, people, world.docs["shared"], world.X)
    shared_ok(client, people, world.docs["other"], world.Y)
    index_now(app)
    return world


def test_search_and_suggestions_return_only_shared_documents(app, client, people, indexed):
    """Search and suggestions find the account's shared document only, linking into the portal."""
    body = hits(client, "方案说明", headers=people.auth("customer"))
    assert keys(body) == {("document", indexed.docs["shared"])}
    assert body["results"][0]["url"].startswith(f"/portal/documents/{indexed.docs['shared']}")
    assert body["results"][0]["thumbnail"] is None
    staff = keys(hits(client, "方案说明", headers=people.auth("staff")))
    assert len(staff) == 3
    suggestions = client.get("/api/v1/search/suggest?q=shared", headers=people.auth("customer")).get_json()["suggestions"]
    other = client.get("/api/v1/search/suggest?q=other", headers=people.auth("customer")).get_json()["suggestions"]
    assert [s["id"] for s in suggestions] == [indexed.docs["shared"]] and other == []


def test_revoking_and_expiry_update_the_search_index(app, client, people, indexed):
    """A revoked share leaves search at once (no job needed); an expired one before the customer's next search."""
    share_id = db.session.query(Share).filter_by(document_id=indexed.docs["shared"]).one().id
    client.delete(f"/api/v1/shares/{share_id}", headers=people.auth("staff"))
    assert hits(client, "方案说明", headers=people.auth("customer"))["total"] == 0
    other = db.session.query(Share).filter_by(document_id=indexed.docs["other"]).one()
    assert hits(client, "方案说明", headers=people.auth("other_customer"))["total"] == 1
    other.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert hits(client, "方案说明", headers=people.auth("other_customer"))["total"] == 0
    index_now(app)  # the queued jobs agree
    assert hits(client, "方案说明", headers=people.auth("other_customer"))["total"] == 0


def test_sockets_join_only_their_own_portal_room(app, client, people, world):
    """A customer joins portal:<own account> only: not another's, nor account or document rooms."""
    login(client, people.emails["customer"])
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.emit("join", {"portal_id": world.X}, callback=True)["ok"] is True
    for data in ({"portal_id": world.Y}, {"customer_id": world.X}, {"document_id": world.docs["shared"]}):
        assert sio.emit("join", data, callback=True)["error"]["code"] == "forbidden"
    assert not policy.can_join(db.session.get(User, people.ids["customer"]), f"portal:{world.Y}")
    client.post("/api/v1/portal/messages", json={"body": "Y 的消息"}, headers=people.auth("other_customer"))
    assert received(sio, "portal_message") == []
    assert sio.is_connected()


def test_internal_feed_never_reaches_the_portal(app, client, people, world):
    """Internal feed events (notes, staff complaints) reach neither the portal room, nor its pages or API."""
    login(client, people.emails["customer"])
    sio = socketio.test_client(app, flask_test_client=client)
    sio.emit("join", {"portal_id": world.X}, callback=True)
    client.post(f"/api/v1/customers/{world.X}/events", json={"kind": "complaint", "body": "内部投诉：价格底线"},
                headers=people.auth("service"))
    client.post(f"/api/v1/customers/{world.X}/events", json={"kind": "note", "body": "内部记录：竞品报价"},
                headers=people.auth("staff"))
    events = [m["name"] for m in sio.get_received()]
    assert "feed_event" not in events
    assert client.get("/api/v1/portal/requests", headers=people.auth("customer")).get_json()["requests"] == []
    page = client.get("/portal/").get_data(as_text=True)
    assert "价格底线" not in page and "竞品报价" not in page


def test_revoking_disconnects_the_open_page(app, client, people, world):
    """An open portal page is told the share ended and its socket is closed by the server."""
    share_id = shared_ok(client, people, world.docs["shared"], world.X)
    login(client, people.emails["customer"])
    sio = socketio.test_client(app, flask_test_client=client)
    bystander = socketio.test_client(app, auth={"token": people.tokens["other_customer"]})
    assert sio.is_connected()
    assert client.delete(f"/api/v1/shares/{share_id}", headers=people.auth("staff")).status_code == 204
    assert not sio.is_connected()
    assert bystander.is_connected()


def test_disabled_user_is_cut_off_everywhere(app, client, people, world):
    """Disabling a customer user ends their session, token and open sockets at once."""
    shared_ok(client, people, world.docs["shared"], world.X)
    login(client, people.emails["customer"])
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.is_connected()
    db.session.get(User, people.ids["customer"]).active = False
    db.session.commit()
    assert not sio.is_connected()
    assert get(client, f"/portal/documents/{world.docs['shared']}").status_code in (302, 401)
    assert get(client, "/api/v1/portal/documents", people.auth("customer")).status_code == 401
    assert not socketio.test_client(app, auth={"token": people.tokens["customer"]}).is_connected()


def test_disabled_account_closes_its_portal(app, client, people, world):
    """Disabling a customer account closes its portal (403) and its customers' sockets; Y is untouched."""
    from hub.models import CustomerAccount

    sio = socketio.test_client(app, auth={"token": people.tokens["customer"]})
    other = socketio.test_client(app, auth={"token": people.tokens["other_customer"]})
    db.session.get(CustomerAccount, world.X).active = False
    db.session.commit()
    assert not sio.is_connected() and other.is_connected()
    assert client.get("/api/v1/portal", headers=people.auth("customer")).status_code == 403
    assert client.get("/api/v1/portal", headers=people.auth("other_customer")).status_code == 200


def test_expired_shares_command(app, client, people, world):
    """`flask portal expire` applies the end of shares that expired, once."""
    share_id = shared_ok(client, people, world.docs["shared"], world.X)
    db.session.get(Share, share_id).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 expired share(s)" in runner.invoke(args=["portal", "expire"]).output
    assert "0 expired share(s)" in runner.invoke(args=["portal", "expire"]).output


def test_policy_agrees_on_one_document_and_on_lists(client, people, world):
    """can_view_document and visible_documents admit exactly the documents shared with the customer's account."""
    from hub.models import Document

    shared_ok(client, people, world.docs["shared"], world.X)
    shared_ok(client, people, world.docs["other"], world.Y)
    customer = db.session.get(User, people.ids["customer"])
    listed = set(db.session.scalars(db.select(Document.id).where(policy.visible_documents(customer))))
    single = {d for d in world.docs.values() if policy.can_view_document(customer, db.session.get(Document, d))}
    assert listed == single == {world.docs["shared"]}


def test_search_page_for_a_customer_links_into_the_portal(app, people, indexed):
    """The search page shows a customer their shared document only, linked to the portal viewer."""
    customer = signed_in(app, people, "customer")
    html = customer.get("/search/?q=方案说明").get_data(as_text=True)
    assert f"/portal/documents/{indexed.docs['shared']}" in html
    assert f'href="/documents/{indexed.docs["shared"]}' not in html and "other方案说明" not in html


def test_a_running_worker_applies_expiry_without_any_request(app, client, people, world):
    """An expired share is handled by a running worker's periodic check, with no customer request at all."""
    import time

    from hub import jobs
    from hub.portal import shares

    assert any(hook is shares.expire_shares_now for _, hook in jobs.PERIODIC_HOOKS)
    share_id = shared_ok(client, people, world.docs["shared"], world.X)
    db.session.get(Share, share_id).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    worker = jobs.Worker(app)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(Share, share_id).expiry_handled_at is not None:
                break
            time.sleep(0.1)
    finally:
        worker.stop()
    assert db.session.get(Share, share_id).expiry_handled_at is not None
