"""The live account feed in a real browser: a complaint appears at once, the bell counts, nothing is lost."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def open_account(page, base: str, name: str) -> None:
    page.goto(f"{base}/customers/")
    page.click(f"text={name}")
    page.wait_for_selector("#live-state.online", timeout=15000)


def post_from_page(page, kind: str, body: str) -> None:
    page.click("summary:has-text('发布动态')")
    page.select_option("#kind", kind)
    page.fill("#body", body)
    page.click(".composer-form button[type=submit]")
    page.wait_for_load_state()


def feed_texts(page) -> list[str]:
    return page.locator("#feed > li.event .prose").all_inner_texts()


def test_complaint_reaches_the_owner_live_and_reconnect_loses_nothing(live_server, browser, output_dir):
    """李娜 watches 宏远物流; 赵静 logs a complaint; it appears live with the bell and the alert; after a drop, missed posts arrive once, in order."""
    owner = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(owner, live_server, "lina@yunfan.demo")
    open_account(owner, live_server, "宏远物流股份")
    bell_before = int(owner.locator("#bell-count").get_attribute("data-unread"))

    service = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(service, live_server, "zhaojing@yunfan.demo")
    open_account(service, live_server, "宏远物流股份")
    post_from_page(service, "complaint", "今天上午客户登录很慢，影响了早班调度")

    owner.wait_for_selector("#feed li.kind-complaint:has-text('影响了早班调度')", timeout=10000)
    owner.wait_for_function(f"Number(document.getElementById('bell-count').dataset.unread) === {bell_before + 1}")
    bar = owner.locator("#complaint-bar")
    bar.wait_for(state="visible", timeout=10000)
    count = int(bar.locator("[data-complaint-count]").inner_text())
    owner.wait_for_function("Number(document.querySelector('[data-count=complaints]').textContent) >= 1")
    owner.screenshot(path=str(output_dir / "complaint-live.png"), full_page=True)

    # Drop the owner's connection, post while away, come back: each missed item once, newest on top.
    owner.evaluate("window.Hub.socket.disconnect()")
    owner.wait_for_selector("#live-state.offline")
    for i in range(1, 4):
        post_from_page(service, "note", f"离线期间的记录 {i}")
    owner.evaluate("window.Hub.socket.connect()")
    owner.wait_for_selector("#feed li:has-text('离线期间的记录 3')", timeout=10000)
    texts = [t for t in feed_texts(owner) if t.startswith("离线期间的记录")]
    assert texts == ["离线期间的记录 3", "离线期间的记录 2", "离线期间的记录 1"]

    # Acknowledging from the list the bar links to lowers the count.
    bar.locator("a").click()
    owner.wait_for_load_state()
    owner.locator("[data-testid=complaint-alert]:has-text('影响了早班调度') button").click()
    owner.wait_for_load_state()
    after = owner.locator("#complaint-bar [data-complaint-count]").inner_text()
    assert int(after) == count - 1


def test_account_page_fits_a_phone(live_server, browser, output_dir):
    """At 375 px the account page has no sideways scrolling."""
    page = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    open_account(page, live_server, "华东精密制造集团")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(output_dir / "account-phone.png"), full_page=True)
