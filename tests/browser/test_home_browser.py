"""The home page's first screen: activity, rankings and experts fit in the viewport of a phone and a laptop."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

SCREENS = ((375, 740), (1280, 800))
FIRST_SCREEN = ("home-activity", "home-rankings", "home-experts")


@pytest.mark.parametrize("email", ["wanglei@yunfan.demo", "sunyue@yunfan.demo"])
def test_first_screen_shows_activity_rankings_and_experts(live_server, browser, output_dir, email):
    """Each block is filled and lies wholly inside the first screen; nothing overflows sideways."""
    for width, height in SCREENS:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(f"{live_server}/")
        page.screenshot(path=str(output_dir / f"home-{width}.png"))
        page.screenshot(path=str(output_dir / f"home-{width}-full.png"), full_page=True)
        for testid in FIRST_SCREEN:
            block = page.locator(f"[data-testid={testid}]")
            box = block.bounding_box()
            assert box is not None, testid
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, (testid, width, box)
            assert "home-empty" not in (block.inner_html()), (testid, width)
        lines = page.locator("[data-testid=home-activity] .act-line:visible")
        assert lines.count() >= 3
        first = lines.first
        assert first.locator("a").get_attribute("href")
        assert first.locator("time").inner_text().strip()
        # Dates never wrap: the time of every visible line stays on one line.
        for i in range(lines.count()):
            time_box = lines.nth(i).locator("time").bounding_box()
            assert time_box["height"] < 24, time_box
        assert page.locator("[data-testid=home-experts] li:visible").count() >= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
