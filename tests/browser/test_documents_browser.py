"""Documents in a real browser: upload with progress, the preview appears live, lazy pages on a phone."""

import time

import pytest

from ..documents_helpers import pdf_bytes
from .conftest import open_composer, sign_in

pytestmark = pytest.mark.browser


def wait_loaded(page, selector: str, seconds: float = 10) -> None:
    """Wait until an image has really arrived (the CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.locator(selector).evaluate("img => img.complete && img.naturalWidth > 0"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} did not load")


def test_upload_preview_and_lazy_pages_on_a_phone(live_server, browser, output_dir, tmp_path):
    """李娜 uploads a 12-page PDF on a phone: a progress bar fills, the state turns ready without a
    reload, the viewer shows page 1, and a jump to page 12 loads that page lazily."""
    pdf = tmp_path / "竞品对比手册.pdf"
    pdf.write_bytes(pdf_bytes(12, title="竞品对比"))
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/departments/")
    page.click("text=智能客服产品部")
    open_composer(page)
    page.set_input_files("#documents input[data-files]", str(pdf))
    page.select_option("#documents select[name=category]", "competitor")
    page.click("#documents [data-submit]")
    page.wait_for_selector(".upload-item.done", timeout=20000)
    assert page.locator(".upload-item progress").get_attribute("value") == "100"
    page.wait_for_selector(".upload-item [data-state=ready]", timeout=30000)
    page.screenshot(path=str(output_dir / "uploaded.png"), full_page=True)

    page.click(".upload-item a")
    page.wait_for_selector("#page-1 img", timeout=10000)
    wait_loaded(page, "#page-1 img")
    assert page.locator("[data-total]").inner_text() == "12"
    assert page.locator("#page-12 img").count() == 0  # not loaded until it comes near
    page.fill("[data-jump] input", "12")
    page.click("[data-jump] button")
    page.wait_for_selector("#page-12 img", timeout=10000)
    wait_loaded(page, "#page-12 img")
    assert page.locator("[data-current]").inner_text() == "12"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the viewer overflows a phone screen ({width}px)"
    page.screenshot(path=str(output_dir / "viewer.png"))
    page.click("[data-zoom='1']")
    assert page.locator("[data-zoom-level]").inner_text() == "125%"
    context.close()
