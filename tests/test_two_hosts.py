"""Two hosts, simulated for real: two `app.py` servers (A and B) and one `flask worker`, each with its own
instance folder, sharing one PostgreSQL database, one Redis and one uploads folder (HUB_UPLOAD_DIR).

Everything goes over HTTP and python-socketio clients: an upload on A is rendered by the worker and
served by B and found by a search on B (HUB_SEARCH=postgres: the index is a table every host reads); a
comment posted on A reaches a socket on B; a share revoked on B cuts off the customer's open page on A.
"""

import time
from dataclasses import dataclass

import pytest
import requests

from hub.extensions import db
from hub.models import Job

from .conftest import postgres_url
from .documents_helpers import pdf_bytes
from .live_sockets import Listener, Site, redis_or_missing

REDIS_URL = "redis://127.0.0.1:6379/12"
OWN_DATABASE = "test_two_hosts"
PAGES = 3

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def database_url() -> str:
    return postgres_url(OWN_DATABASE)


@dataclass
class Hosts:
    site: Site
    a: str
    b: str
    worker_pid: int
    folders: dict  # instance folders by name, and "shared": the uploads folder
    uploader: dict  # staff in a department, may upload
    customer: dict  # a customer user of the site's account

    def auth(self, who: dict | str) -> dict:
        token = who if isinstance(who, str) else who["token"]
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    redis_or_missing(REDIS_URL)
    root = tmp_path_factory.mktemp("two-hosts")
    folders = {name: root / name for name in ("setup", "host-a", "host-b", "worker", "shared")}
    site = Site(folders["setup"], redis_url=REDIS_URL, database_url=database_url(), upload_dir=folders["shared"],
                search="postgres")
    try:
        a, b = site.start_server(folders["host-a"]), site.start_server(folders["host-b"])
        worker = site.start_worker(folders["worker"])
        uploader = site.person(department_name="销售通产品部")
        customer = site.person(role="customer", account_name="华东精密制造")
        yield Hosts(site, a, b, worker.pid, folders, uploader, customer)
    finally:
        site.stop()


def _wait_ready(hosts: Hosts, url: str, doc_id: int, listener: Listener) -> dict:
    """The document as `url` shows it once its preview is ready (woken by its `preview` events)."""
    answer: dict = {}

    def ready() -> bool:
        nonlocal answer
        answer = requests.get(f"{url}/api/v1/documents/{doc_id}", headers=hosts.auth(hosts.uploader), timeout=15).json()
        return answer["preview"]["state"] in ("ready", "failed")

    listener.wait_until(ready, seconds=120)
    return answer


@pytest.fixture(scope="module")
def document(hosts):
    """A PDF uploaded on A, its preview followed from B until ready; its id and B's view of it."""
    watcher = Listener(hosts.b, token=hosts.uploader["token"], other=("preview",))
    try:
        r = requests.post(f"{hosts.a}/api/v1/documents", headers=hosts.auth(hosts.uploader), timeout=30,
                          data={"department_id": hosts.uploader["departments"][0], "title": "跨主机方案"},
                          files={"file": ("跨主机.pdf", pdf_bytes(PAGES, title="跨主机"), "application/pdf")})
        assert r.status_code == 201, r.text
        doc_id = r.json()["id"]
        assert watcher.sio.call("join_document", {"document_id": doc_id}, timeout=15)["ok"] is True
        seen = _wait_ready(hosts, hosts.b, doc_id, watcher)
    finally:
        watcher.close()
    return {"id": doc_id, "version_id": r.json()["version_id"], "seen_on_b": seen}


def _whole_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")


def test_upload_on_a_is_rendered_by_the_worker_and_served_by_b(hosts, document):
    preview = document["seen_on_b"]["preview"]
    assert (preview["state"], preview["pages_ready"]) == ("ready", PAGES), preview
    for path in [f"pages/{n}" for n in range(1, PAGES + 1)] + ["thumbnail"]:
        r = requests.get(f"{hosts.b}/api/v1/documents/{document['id']}/{path}", headers=hosts.auth(hosts.uploader),
                         timeout=15)
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/jpeg", (path, r.status_code)
        assert _whole_jpeg(r.content), path
    # The files are in the shared folder only; the worker (not A, not B) rendered them.
    pages = sorted(p.name for p in (hosts.folders["shared"] / "previews" / str(document["version_id"])).iterdir())
    assert pages == [f"p{n:04d}.jpg" for n in range(1, PAGES + 1)] + ["thumb.jpg"]
    assert not any((hosts.folders[name] / "uploads").exists() for name in ("host-a", "host-b", "worker"))
    with hosts.site.app.app_context():
        runners = set(db.session.scalars(db.select(Job.worker).where(Job.name.like("documents.preview%"))))
        db.session.remove()
    assert runners and all(r.split(":")[1] == str(hosts.worker_pid) for r in runners), runners


def _search(url: str, hosts: Hosts, q: str) -> dict:
    r = requests.get(f"{url}/api/v1/search", params={"q": q}, headers=hosts.auth(hosts.uploader), timeout=15)
    assert r.status_code == 200, r.text
    return r.json()


def test_upload_on_a_is_found_by_a_search_on_b(hosts, document):
    """The worker indexed it into PostgreSQL, a table every host reads: B finds it, and so does A."""
    deadline = time.monotonic() + 30
    while True:
        found = _search(hosts.b, hosts, "跨主机")
        hits = [r for r in found["results"] if (r["kind"], r["id"]) == ("document", document["id"])]
        if hits or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert hits, found
    assert "<mark>跨主机</mark>" in hits[0]["snippet_html"] and hits[0]["page"] in range(1, PAGES + 1), hits[0]
    assert document["id"] in [r["id"] for r in _search(hosts.a, hosts, "跨主机")["results"]]


def test_comment_posted_on_a_reaches_a_socket_on_b(hosts, document):
    reader = Listener(hosts.b, token=hosts.site.rep_token, other=("comment",))
    try:
        assert reader.sio.call("join_document", {"document_id": document["id"]}, timeout=15)["ok"] is True
        r = requests.post(f"{hosts.a}/api/v1/documents/{document['id']}/comments", json={"body": "两台主机都看得到"},
                          headers=hosts.auth(hosts.uploader), timeout=15)
        assert r.status_code == 201, r.text
        created = r.json()["id"]
        assert reader.wait_until(lambda: any(c["id"] == created for c in reader.received["comment"]))
    finally:
        reader.close()


def test_share_revoked_on_b_closes_the_customers_open_page_on_a(hosts, document):
    doc_id, rep = document["id"], hosts.auth(hosts.site.rep_token)
    r = requests.post(f"{hosts.a}/api/v1/documents/{doc_id}/shares", json={"customer_id": hosts.site.account},
                      headers=rep, timeout=15)
    assert r.status_code == 201, r.text
    share_id = r.json()["id"]
    customer = hosts.auth(hosts.customer)
    page = Listener(hosts.a, token=hosts.customer["token"], other=("portal_closed",))
    try:
        assert page.sio.call("join", {"portal_id": hosts.site.account, "after": 0}, timeout=15)["ok"] is True
        opened = requests.get(f"{hosts.a}/api/v1/portal/documents/{doc_id}/pages/1", headers=customer, timeout=15)
        assert opened.status_code == 200 and _whole_jpeg(opened.content)

        assert requests.delete(f"{hosts.b}/api/v1/shares/{share_id}", headers=rep, timeout=15).status_code == 204
        # A's server closes the socket (sent from B through Redis), after telling the page why.
        assert page.closed.wait(30), "A did not close the customer's socket"
        assert [e["document_ids"] for e in page.received["portal_closed"]] == [[doc_id]]
        assert requests.get(f"{hosts.a}/api/v1/portal/documents/{doc_id}", headers=customer,
                            timeout=15).status_code == 404
        # The customer may connect again (the person is fine); only the document is gone.
        again = Listener(hosts.a, token=hosts.customer["token"])
        again.close()
    finally:
        page.close()
