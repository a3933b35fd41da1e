"""The demo's follows are real: a colleague's profile lists what she follows, on a phone and on a desktop."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = dict(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 900})


@pytest.mark.parametrize("size", ["375", "1280"])
def test_demo_profile_lists_what_the_colleague_follows(live_server, browser, output_dir, size):
    context = browser.new_context(**(PHONE if size == "375" else DESKTOP), locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/profile#following")
    following = page.locator("[data-testid=following]")
    text = following.inner_text()
    assert "销售通标准价格表" in text and "华东精密制造集团" in text, text
    assert following.locator("[data-testid=unfollow]").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= int(size)
    page.locator("#following").screenshot(path=str(output_dir / f"following-{size}.png"))
    context.close()
