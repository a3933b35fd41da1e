"""A new user's review of the staff pages, at a phone's and a desktop's width (screenshots in test-output/)."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = dict(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 900})
SIZES = ["375", "1280"]


def context_for(browser, size):
    return browser.new_context(**(PHONE if size == "375" else DESKTOP), locale="zh-CN")


def one_line(locator) -> bool:
    """True when the element's text takes a single line box."""
    return locator.evaluate("e => e.getClientRects().length === 1 || new Set([...e.getClientRects()].map(r => r.top)).size === 1")


@pytest.mark.parametrize("size", SIZES)
def test_profile_reads_as_a_profile(live_server, browser, output_dir, size):
    context = context_for(browser, size)
    page = context.new_page()
    sign_in(page, live_server, "zhaojing@yunfan.demo")
    page.goto(f"{live_server}/profile")
    signout = page.locator("[data-testid=sign-ins] .device-row button").first
    assert signout.evaluate("b => b.getBoundingClientRect().height") < 40, "the sign-out button wraps"
    assert one_line(page.locator(".profile-title")), "the job title breaks mid-word"
    assert page.locator(".card").last.get_attribute("data-testid") == "token-card"
    assert page.locator("[data-testid=token-card]").evaluate("d => d.open") is False
    assert "脚本" in page.locator("[data-testid=token-card] summary").inner_text()
    facts = page.locator("[data-testid=contributions] .expert-facts").bounding_box()
    heading = page.locator("[data-testid=contributions] h3").first.bounding_box()
    assert heading["y"] - (facts["y"] + facts["height"]) >= 8, "the figures touch the first heading"
    assert page.evaluate("document.documentElement.scrollWidth") <= int(size)
    page.screenshot(path=str(output_dir / f"profile-{size}.png"), full_page=True)
    page.click("[data-testid=token-card] summary")
    assert page.locator("input[name=name]").is_visible()
    page.screenshot(path=str(output_dir / f"profile-tokens-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("where", ["documents", "department", "home"])
def test_document_lists_say_only_what_matters(live_server, browser, output_dir, size, where):
    context = context_for(browser, size)
    page = context.new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    if where == "documents":
        page.goto(f"{live_server}/documents/")
    elif where == "department":
        page.goto(f"{live_server}/departments/")
        page.locator("main a[href^='/departments/']").first.click()
        page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert "预览就绪" not in page.locator("body").inner_text()
    rows = page.locator(".doc-row .doc-facts")
    for i in range(rows.count()):
        last = rows.nth(i).locator("span").last
        assert one_line(last), f"the date and format break apart: {last.inner_text()}"
    page.screenshot(path=str(output_dir / f"{where}-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_documents_list_leads_to_an_open_upload_composer(live_server, browser, output_dir, size):
    context = context_for(browser, size)
    page = context.new_page()
    sign_in(page, live_server, "sunyue@yunfan.demo")
    page.goto(f"{live_server}/documents/")
    action = page.locator("[data-testid=upload-action]")
    assert "上传文档" in action.inner_text()
    if action.evaluate("e => e.tagName") == "DETAILS":
        action.locator("summary").click()
        page.screenshot(path=str(output_dir / f"upload-chooser-{size}.png"), full_page=False)
        action.locator("a").first.click()
    else:
        page.screenshot(path=str(output_dir / f"upload-action-{size}.png"), full_page=False)
        action.click()
    page.wait_for_load_state()
    assert page.locator("#documents details.composer").evaluate("d => d.open")
    assert page.locator("#documents [data-upload]").first.is_visible()
    page.screenshot(path=str(output_dir / f"upload-composer-{size}.png"), full_page=False)
    context.close()


def test_viewer_counts_pages_in_natural_chinese(live_server, browser, output_dir):
    context = context_for(browser, "1280")
    page = context.new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/documents/")
    page.locator(".doc-row:has-text('PDF') a.doc-title").first.click()
    page.wait_for_load_state()
    counter = page.locator("[data-counter]")
    text = counter.inner_text()
    assert text.startswith("第 1 / ") and text.endswith(" 页"), text
    page.screenshot(path=str(output_dir / "viewer-1280.png"))
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_signed_out_header_shows_the_language_switch_directly(live_server, browser, output_dir, size):
    context = context_for(browser, size)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert page.locator(".nav-toggle-label").count() == 0
    assert page.locator("[data-testid=lang-switch]").is_visible()
    page.screenshot(path=str(output_dir / f"login-{size}.png"), full_page=True)
    page.goto(f"{live_server}/forgot-password")
    assert "销售知识枢纽不发送邮件" in page.locator("body").inner_text()
    page.screenshot(path=str(output_dir / f"forgot-{size}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_documents_list_puts_documents_before_its_filters_on_a_phone(live_server, browser, output_dir, size):
    """On a phone the filters fold away so the first documents show on the first screen; on a desktop they stay open."""
    context = context_for(browser, size)
    page = context.new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/documents/")
    page.wait_for_load_state("networkidle")
    filters = page.locator("[data-testid=doc-filters]")
    first = page.locator(".doc-list li").first.bounding_box()
    page.screenshot(path=str(output_dir / f"documents-{size}.png"))
    if size == "375":
        assert filters.evaluate("d => d.open") is False
        assert first["y"] + first["height"] <= 812, "the first document is below the first screen"
        page.click("[data-testid=doc-filters] summary")
        assert page.locator("#f-cat").is_visible()
    else:
        assert filters.evaluate("d => d.open") is True and page.locator("#f-cat").is_visible()
    page.select_option("#f-cat", index=1)
    page.click(".doc-filters button[type=submit]")
    page.wait_for_load_state()
    assert "category=" in page.url
    if size == "375":  # the fold says a filter is on
        assert page.locator("[data-testid=doc-filters] summary .count").inner_text() == "1"
    context.close()
