"""The search page in a real browser, at 375 px and 1280 px: filters fold away on a phone so the first
result is on the first screen, snippets read as plain text, and an empty search offers a way on.
Screenshots go to test-output/browser/<test name>/.
"""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def _page(browser, base, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, "wanglei@yunfan.demo")
    return context, page


def test_phone_folds_the_filters_so_the_first_result_shows(live_server, browser, output_dir):
    """At 375 px the filters are one folded line and the first hit starts on the first screen."""
    context, page = _page(browser, live_server, PHONE)
    page.goto(f"{live_server}/search/?q=制造业")
    facets = page.locator("details[data-facets]")
    assert facets.get_attribute("open") is None
    first = page.locator("article.search-hit").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 60 < PHONE["height"], box
    page.screenshot(path=str(output_dir / "phone-folded.png"))
    page.click("details[data-facets] > summary")
    assert page.locator("details[data-facets] .facet").first.is_visible()
    page.screenshot(path=str(output_dir / "phone-open.png"), full_page=True)
    context.close()


def test_desktop_shows_filters_beside_plain_text_snippets(live_server, browser, output_dir):
    """At 1280 px the filters stand open beside the results; Markdown snippets carry no ** or ##."""
    context, page = _page(browser, live_server, DESKTOP)
    page.goto(f"{live_server}/search/?q=制造业")
    assert page.locator("details[data-facets]").get_attribute("open") is not None
    assert page.locator("details[data-facets] .facet").first.is_visible()
    snippets = page.locator(".search-snippet").all_inner_texts()
    assert snippets and not any("**" in s or "##" in s or "`" in s for s in snippets), snippets
    assert page.locator("[data-testid=tag-match]").count() >= 1  # the demo's 制造业 tag
    page.screenshot(path=str(output_dir / "desktop.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_empty_search_offers_suggestions_and_tips(live_server, browser, output_dir, viewport):
    """A pinyin query with no text match: no empty filter card, titles by pinyin, and what to try."""
    context, page = _page(browser, live_server, viewport)
    page.goto(f"{live_server}/search/?q=xiaoshoutong")
    assert page.locator("details[data-facets]").count() == 0
    empty = page.locator("[data-testid=search-empty]")
    assert empty.is_visible()
    assert page.locator("[data-testid=suggested] a").count() >= 1
    assert "您可以试试" in empty.inner_text()
    page.screenshot(path=str(output_dir / f"empty-{viewport['width']}.png"), full_page=True)
    context.close()
