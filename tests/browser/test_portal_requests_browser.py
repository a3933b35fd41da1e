"""Portal requests and complaints as the account's team sees them: one complaint bar, a tidy reply form,
@mentions in the feed with autocomplete and links, and a customer search box that says what it searches."""

import pytest
import requests

from .conftest import sign_in, token_for

pytestmark = pytest.mark.browser

ACCOUNT = "华东精密制造集团"  # owner 王磊; its customer is 钱建国 (qian@hdjm.demo)


def submit(base: str, kind: str, body: str) -> dict:
    response = requests.post(f"{base}/api/v1/portal/requests", json={"kind": kind, "body": body},
                             headers={"Authorization": f"Bearer {token_for('qian@hdjm.demo')}"}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("width", [375, 1280])
def test_many_complaints_make_one_bar_and_requests_none(live_server, browser, output_dir, width):
    """Seven complaints from the portal are one slim bar with the count (a request adds nothing); it leads to the list."""
    for i in range(7):
        submit(live_server, "complaint", f"第 {i + 1} 次投诉：**发货**延迟 ({width})")
    submit(live_server, "request", f"请帮我们开通三个新账号 ({width})")
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/documents/")
    bars = page.locator("[data-testid=complaint-bar]")
    assert bars.count() == 1 and page.locator(".complaint-alert").count() == 0
    count = int(bars.locator("[data-complaint-count]").inner_text())
    assert count >= 7
    assert bars.bounding_box()["height"] < 80  # one line on a phone, not a screenful of banners
    page.screenshot(path=str(output_dir / f"complaint-bar-{width}.png"))
    bars.locator("a").click()
    page.wait_for_load_state()
    rows = page.locator("#complaints [data-testid=complaint-alert]")
    assert rows.count() == count
    assert "**" not in page.locator("#complaints").inner_text()  # snippets are plain words
    assert "开通三个新账号" not in page.locator("#complaints").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(output_dir / f"complaint-list-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [375, 1280])
def test_reply_form_for_portal_requests_is_tidy(live_server, browser, output_dir, width):
    """The staff reply form says 回复 on one line; replying answers the request; 撤销共享, never 吊销."""
    submit(live_server, "request", f"演示环境能否延长一周？({width})")
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/customers/")
    page.click(f"text={ACCOUNT}")
    page.wait_for_selector("#live-state.online", timeout=15000)
    item = page.locator(f"#portal li.request:has-text('演示环境能否延长一周？({width})')")
    form = item.locator("[data-testid=portal-reply-form]")
    button = form.locator("button[type=submit]")
    assert button.inner_text().strip() == "回复"
    assert button.bounding_box()["height"] < 40  # 回复 on one line, never 回/复
    assert "吊销" not in page.locator("#portal").inner_text()
    assert "撤销共享" in page.locator("[data-testid=account-shares]").inner_text()
    item.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"reply-form-{width}.png"), full_page=False)
    form.locator("textarea").fill("可以，已为您延长到下周五。")
    button.click()
    page.wait_for_load_state()
    answered = page.locator(f"#portal li.request:has-text('演示环境能否延长一周？({width})')")
    assert "已回复" in answered.locator("[data-status]").inner_text()
    card = page.locator(f"#feed li.kind-service_request:has-text('演示环境能否延长一周？({width})')")
    assert "已回复" in card.locator("[data-role=status]").inner_text()


@pytest.mark.parametrize("width", [375, 1280])
def test_feed_mentions_autocomplete_and_link(live_server, browser, output_dir, width):
    """Typing @ in the feed composer suggests colleagues; the posted note links the name to the person."""
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/customers/")
    page.click(f"text={ACCOUNT}")
    page.wait_for_selector("#live-state.online", timeout=15000)
    page.click("summary:has-text('发布动态')")
    page.locator("[data-testid=composer-body]").press_sequentially("请 @赵")
    menu = page.locator("[data-testid=composer-mentions]")
    menu.locator("li:has-text('赵静')").wait_for(timeout=5000)
    page.screenshot(path=str(output_dir / f"mention-menu-{width}.png"))
    page.locator("[data-testid=composer-body]").press("Enter")
    assert page.locator("[data-testid=composer-body]").input_value() == "请 @赵静 "
    page.locator("[data-testid=composer-body]").press_sequentially("看一下报价")
    page.click(".composer-form button[type=submit]")
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / f"mention-posted-{width}.png"))
    link = page.locator("#feed li.event .prose a:has-text('@赵静')").first
    assert "/people/" in link.get_attribute("href")


@pytest.mark.parametrize("width", [375, 1280])
def test_customer_search_box_says_what_it_searches(live_server, browser, output_dir, width):
    """A customer's search box offers the documents shared with them, not Q&A or people."""
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN").new_page()
    sign_in(page, live_server, "qian@hdjm.demo")
    box = page.locator(".nav-search input[name=q]")
    if width < 760 and not box.is_visible():
        page.click(".nav-toggle-label")
    assert box.get_attribute("placeholder") == "搜索与您共享的文档…"
    page.screenshot(path=str(output_dir / f"portal-search-{width}.png"))
