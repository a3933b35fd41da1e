"""What every response carries (Socket.IO included), how private images are cached, what /healthz
tells whom, and the early 414 for over-long URLs."""

from .conftest import login
from .documents_helpers import drain, fetch, png_bytes, upload

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def test_socketio_polling_answers_carry_the_security_headers(client):
    """A real Engine.IO handshake over long-polling (it never passes Flask's after_request) gets the headers."""
    response = client.get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200 and response.get_data(as_text=True).startswith('0{"sid"')
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    page = client.get("/login")
    assert len(page.headers.getlist("Content-Security-Policy")) == 1  # added once, not twice


def test_hsts_only_when_served_over_https(app, client):
    """Strict-Transport-Security goes out with HUB_SECURE_COOKIES=1 (pages and Socket.IO alike), not without."""
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    for path in ("/login", "/socket.io/?EIO=4&transport=polling"):
        assert client.get(path).headers.get("Strict-Transport-Security") == "max-age=31536000", path


def test_page_images_and_thumbnails_are_revalidated(app, client, people):
    """Staff page images and thumbnails are never reused from the cache unchecked: no-cache, an ETag,
    and 304 when unchanged, so access that ends also ends for cached copies."""
    response = upload(client, people.auth("staff"), people.departments["A"], png_bytes(800, 600), "图.png")
    doc_id = response.get_json()["id"]
    drain(app)
    for url in (f"/api/v1/documents/{doc_id}/pages/1", f"/api/v1/documents/{doc_id}/thumbnail"):
        first = fetch(client, url, people.auth("staff"))
        assert first.status_code == 200, url
        assert first.headers["Cache-Control"] == "private, no-cache", url
        etag = first.headers["ETag"]
        again = fetch(client, url, people.auth("staff") | {"If-None-Match": etag})
        assert again.status_code == 304, url
        assert fetch(client, url, people.auth("customer") | {"If-None-Match": etag}).status_code in (403, 404)


def test_healthz_tells_the_public_only_the_status(app, people):
    """Visitors and anything relayed by a proxy learn ok/failing only; admins and local probes see the parts."""
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert visitor.get("/healthz").get_json() == {"status": "ok"}
    relayed = app.test_client()  # loopback, but a proxy on this host forwarded it
    assert relayed.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"}).get_json() == {"status": "ok"}
    staff = app.test_client()
    staff.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    login(staff, people.emails["staff"])
    assert "checks" not in staff.get("/healthz").get_json()
    admin = app.test_client()
    admin.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    login(admin, people.emails["admin"])
    assert set(admin.get("/healthz").get_json()["checks"]) == {"database", "index", "jobs", "disk"}
    assert "free_bytes" in app.test_client().get("/healthz").get_json()["checks"]["disk"]  # local probe
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    failing = visitor.get("/healthz")
    assert (failing.status_code, failing.get_json()) == (503, {"status": "failing"})


def test_huge_query_is_refused_with_414_before_parsing(client, people):
    """A 1 MiB query string answers 414: a page (in Chinese by default) elsewhere, JSON under /api."""
    huge = "q=" + "x" * (1024 * 1024)
    page = client.get(f"/search/?{huge}")
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert "网址过长" in page.get_data(as_text=True)
    assert page.headers["X-Frame-Options"] == "DENY"
    api = client.get(f"/api/v1/search?{huge}", headers=people.auth("staff"))
    assert api.status_code == 414
    assert api.get_json()["error"]["code"] == "uri_too_long"
    long_path = client.get("/documents/" + "a" * 9000)
    assert long_path.status_code == 414
    ordinary = client.get("/api/v1/search?q=" + "x" * 2000, headers=people.auth("staff"))
    assert ordinary.status_code != 414
