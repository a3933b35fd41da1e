"""A phone-sized journey through the openings: tap a grid cell, then a dot, then score the account."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 760})
    page = context.new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    yield page
    context.close()


def test_tap_cell_then_dot_then_score(live_server, phone):
    """The grid cell lists its accounts; a dot opens its account; a new assessment shows at once, page fits 375 px."""
    server = live_server
    phone.goto(f"{server}/assessments/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator('[data-cell="ours-trail"]').click()
    phone.wait_for_url("**territory=ours&position=trail**")
    assert phone.locator('[data-testid="assessment-list"]').inner_text().count("宏远物流股份") == 1
    phone.goto(f"{server}/assessments/")
    phone.locator(".dot-link").first.click()
    phone.wait_for_url("**/assessments/accounts/*")
    phone.locator("#new summary").click()
    phone.fill("#f-short_term", "9")
    phone.fill("#f-long_term", "2")
    phone.select_option("#f-territory", "theirs")
    phone.locator("label.choice", has_text="我方领先").click()
    phone.fill("#f-note", "对手的老客户主动找上门")
    phone.locator("form.assess-form button[type=submit]").click()
    phone.wait_for_load_state()
    current = phone.locator('[data-testid="current-assessment"]').inner_text()
    assert "业务大 · 影响小" in current and "反常开局" in current
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
