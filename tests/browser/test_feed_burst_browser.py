"""A burst of live feed events costs the account page one replay when that replay already holds them all,
and a second one only for an event its answer could not hold."""

import pytest
import requests

from .conftest import sign_in, token_for
from .test_customers_browser import open_account

pytestmark = pytest.mark.browser

ACCOUNT = "华东精密制造集团"

# Count the page's `join`s and hold back, on the test's word, either a join before it leaves or the
# answer to one before feed.js reads it: the test then orders sends and answers against the posts.
# Predicates are functions, not expression strings: polling an expression evals it, which the CSP refuses.
HOOK = """() => {
  const socket = window.Hub.socket, real = socket.emit.bind(socket);
  const spy = window.burstSpy = { joins: 0, announced: 0, holdJoin: false, holdAnswer: false, waiting: [] };
  socket.on("feed_event", () => { spy.announced += 1; });  // after feed.js's own handler
  socket.emit = function (name, payload, onAck) {
    if (name !== "join") return real.apply(null, arguments);
    spy.joins += 1;
    const answer = spy.holdAnswer ? (ack) => spy.waiting.push(() => onAck(ack)) : onAck;
    if (spy.holdJoin) spy.waiting.push(() => real(name, payload, answer));
    else real(name, payload, answer);
    return socket;
  };
}"""


def release(page) -> None:
    page.evaluate("() => { const s = window.burstSpy; s.holdJoin = s.holdAnswer = false; s.waiting.splice(0).forEach((f) => f()); }")


def post(base: str, account_id: int, body: str) -> int:
    auth = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    r = requests.post(f"{base}/api/v1/customers/{account_id}/events", json={"kind": "note", "body": body},
                      headers=auth, timeout=10)
    r.raise_for_status()
    return r.json()["id"]


def watch(live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "sunyue@yunfan.demo")
    open_account(page, live_server, ACCOUNT)
    page.evaluate(HOOK)
    return page, int(page.url.rstrip("/").split("/")[-1])


def test_a_burst_already_in_the_replay_is_not_asked_for_again(live_server, browser):
    """Three events: the first one's join leaves only once all three are committed and announced, so its
    answer holds them all; no second join follows."""
    page, account_id = watch(live_server, browser)
    page.evaluate("() => { window.burstSpy.holdJoin = true; }")
    ids = [post(live_server, account_id, f"连发记录 {i}") for i in range(3)]
    page.wait_for_function("() => window.burstSpy.announced === 3 && window.burstSpy.waiting.length === 1")
    release(page)
    for ident in ids:
        page.wait_for_selector(f"#e{ident}", timeout=10000)  # applied in the answer's callback, after which no join is sent
    assert page.evaluate("window.burstSpy.joins") == 1
    page.context.close()


def test_an_event_after_the_replay_was_read_is_asked_for_again(live_server, browser):
    """An event announced while a join's answer is on its way, but committed after the server read the
    replay, is not in that answer: the page asks once more and shows it."""
    page, account_id = watch(live_server, browser)
    page.evaluate("() => { window.burstSpy.holdAnswer = true; }")
    first = post(live_server, account_id, "回放之前的记录")
    page.wait_for_function("() => window.burstSpy.waiting.length === 1")  # the answer is here, held back, without the next
    later = post(live_server, account_id, "回放之后的记录")
    page.wait_for_function("() => window.burstSpy.announced === 2")
    release(page)
    page.wait_for_selector(f"#e{first}", timeout=10000)
    page.wait_for_selector(f"#e{later}", timeout=10000)
    assert page.evaluate("window.burstSpy.joins") == 2
    page.context.close()
