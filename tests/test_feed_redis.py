"""Scaled out: two real server processes share feed events and notifications through Redis."""

import pytest
import requests

from .live_sockets import Listener, Site, redis_or_missing

REDIS_URL = "redis://127.0.0.1:6379/14"

pytestmark = pytest.mark.redis


@pytest.fixture
def cluster(tmp_path):
    """Two `app.py` processes on one database and one Redis; the site and the expert who listens."""
    redis_or_missing(REDIS_URL)
    site = Site(tmp_path / "instance", redis_url=REDIS_URL)
    try:
        site.start(2)
        yield site, site.person()
    finally:
        site.stop()


def test_event_posted_on_b_reaches_client_on_a(cluster):
    """A client connected to process A receives the feed event and the notification posted through B."""
    site, expert = cluster
    a, b = site.urls
    listener = Listener(a, token=expert["token"], account=site.account)
    try:
        created = site.post_event(b, expert["id"])
        marker = created.pop("marker")
        # Other runs on this Redis may publish too (Pub/Sub ignores database numbers): match our marker.
        assert listener.wait_for(marker, note=True)
        assert [e for e in listener.events if marker in e["body"]] == [created]
    finally:
        listener.close()


def test_reconnect_to_the_other_process_replays_what_was_missed(cluster):
    """A client that drops from A and comes back on B gets exactly the events after its last id."""
    site, expert = cluster
    a, b = site.urls
    auth = {"Authorization": f"Bearer {site.rep_token}"}
    url = f"{a}/api/v1/customers/{site.account}/events"
    first = requests.post(url, json={"kind": "note", "body": "一"}, headers=auth, timeout=10).json()
    missed = [requests.post(url, headers=auth, timeout=10, json={"kind": "note", "body": f"离线 {i}"}).json()
              for i in range(3)]
    listener = Listener(b, token=expert["token"])
    try:
        ack = listener.sio.call("join", {"customer_id": site.account, "after": first["id"]}, timeout=10)
        assert ack["events"] == missed
    finally:
        listener.close()
