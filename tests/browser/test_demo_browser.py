"""The demo as a new colleague first sees it: full home pages, rendered office previews, a lived-in portal."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


def page_for(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    return context, context.new_page()


@pytest.mark.parametrize("email", ["wanglei@yunfan.demo", "sunyue@yunfan.demo", "admin@yunfan.demo"])
def test_first_screen_of_a_staff_login_is_full(live_server, browser, output_dir, email):
    """Rankings, questions and notes are filled in: no '还没有' empty state at either width."""
    for width in WIDTHS:
        context, page = page_for(browser, width)
        sign_in(page, live_server, email)
        page.goto(f"{live_server}/")
        page.screenshot(path=str(output_dir / f"home-{width}.png"), full_page=True)
        text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
        assert "还没有" not in text and "本周暂无动态" not in text, text[:2000]
        rankings = page.locator("[data-testid=rankings]").inner_text()
        assert "销售通产品手册（2026 版）" in rankings
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


@pytest.mark.parametrize("title", ["销售通与远图软件对比", "销售通标准价格表", "苏州汽配厂：经销商库存实时可见"])
def test_office_documents_open_with_their_rendered_pages(live_server, browser, output_dir, title):
    """A PPTX, an XLSX and a DOCX made at load time show page images, not a waiting or failed preview."""
    for width in WIDTHS:
        context, page = page_for(browser, width)
        sign_in(page, live_server, "lina@yunfan.demo")
        page.goto(f"{live_server}/search?q={title}")
        page.get_by_role("link", name=title, exact=True).first.click()
        page.wait_for_url("**/documents/*")
        image = page.locator("[data-pages] img").first
        try:
            image.wait_for(state="visible", timeout=15000)
        finally:
            page.screenshot(path=str(output_dir / f"document-{width}.png"), full_page=False)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_customer_portal_is_lived_in(live_server, browser, output_dir):
    """钱建国 sees shared documents, the announcement, his answered request and the conversation."""
    for width in WIDTHS:
        context, page = page_for(browser, width)
        sign_in(page, live_server, "qian@hdjm.demo")
        page.goto(f"{live_server}/portal/")
        page.screenshot(path=str(output_dir / f"portal-{width}.png"), full_page=True)
        text = page.inner_text("body")
        for expected in ("销售通产品手册（2026 版）", "三厂统一销售平台演示", "真实订单", "经销商库存的部分"):
            assert expected in text, expected
        context.close()
