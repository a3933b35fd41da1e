"""A rep's first visit: sign in, open a department, ask and answer, switch language, on a phone too."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_ask_and_answer_in_a_department(live_server, browser, output_dir):
    """A rep signs in, asks in a department, a product manager answers, both see it."""
    rep = browser.new_context(viewport={"width": 1280, "height": 900})
    page = rep.new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    assert page.url.rstrip("/") == live_server
    page.click("text=智能客服产品部")
    page.click("summary:has-text('提个问题')")
    page.fill("input[name=q-title]", "工单系统能和企业微信打通吗？")
    page.fill("textarea[name=q-body]", "宏远物流想在**企业微信**里接收工单提醒。")
    page.click("button:has-text('发布问题')")
    assert page.locator("[data-testid=question-title]").inner_text() == "工单系统能和企业微信打通吗？"
    question_url = page.url
    page.screenshot(path=str(output_dir / "question-desktop.png"), full_page=True)

    expert = browser.new_context(viewport={"width": 1280, "height": 900})
    other = expert.new_page()
    sign_in(other, live_server, "wuqiang@yunfan.demo")
    other.goto(question_url)
    other.fill("textarea[name=body]", "可以，标准版自带企业微信通知，配置一个应用即可。")
    other.click("button:has-text('发布回答')")
    assert other.locator(".answer").count() == 1

    page.reload()
    assert "标准版自带企业微信通知" in page.locator(".answer").inner_text()
    page.click("button:has-text('采纳这个回答')")
    assert page.locator(".answer.accepted").count() == 1
    rep.close()
    expert.close()


def test_language_switch_and_phone_layout(live_server, browser, output_dir):
    """The UI switches to English and back, and the department page reads well at 375 px."""
    phone = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = phone.new_page()
    sign_in(page, live_server, "sunyue@yunfan.demo")
    page.goto(f"{live_server}/departments/1")
    page.screenshot(path=str(output_dir / "department-375.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide at a 375px viewport"
    page.click("label.nav-toggle-label")
    page.click("[data-testid=lang-switch]")
    assert page.locator("h2", has_text="Questions & answers").count() == 1
    page.screenshot(path=str(output_dir / "department-375-en.png"), full_page=True)
    page.click("label.nav-toggle-label")
    page.click("[data-testid=lang-switch]")
    assert page.locator("h2", has_text="技术问答").count() == 1
    phone.close()
