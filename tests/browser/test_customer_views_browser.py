"""A new user's review, customers' side: the customer's search, account status words, portal home, openings."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
CUSTOMER = "qian@hdjm.demo"


def _page(browser, width: int, base: str, email: str, lang: str = "zh"):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, base, email)
    if lang == "en":
        with page.expect_navigation():
            page.evaluate("document.querySelector('form.lang-switch').submit()")
    return context, page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customer_search_shows_only_portal_facts_and_one_box(live_server, browser, output_dir, lang):
    """No stars, department names or staff links in a customer's results; one visible search box at each width."""
    for width in WIDTHS:
        context, page = _page(browser, width, live_server, CUSTOMER, lang)
        page.goto(f"{live_server}/search/?q=销售")
        page.screenshot(path=str(output_dir / f"search-{lang}-{width}.png"), full_page=True)
        hits = page.locator(".search-hit")
        assert hits.count() >= 1
        results = page.locator(".search-layout").inner_text()
        assert "★" not in results and "移动CRM产品部" not in results
        for link in page.locator(".search-layout a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
            assert link.startswith(("/portal/", "/search/")), link
        assert hits.first.locator("[data-testid=shared-date]").is_visible()
        if width < 760:  # on a phone the top bar's box would stack above the page's own
            assert page.locator("input[type=search]:visible").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_account_status_badges_are_words_of_the_language(live_server, browser, output_dir, lang):
    """The customer list and an account page show "Active customer"/"合作中", never the raw "active"."""
    context, page = _page(browser, 1280, live_server, "wanglei@yunfan.demo", lang)
    page.goto(f"{live_server}/customers/")
    badges = page.locator(".account-status").all_inner_texts()
    assert badges and not {"active", "prospect", "at_risk", "churned", "启用"} & {b.strip() for b in badges}, badges
    page.locator("a[href^='/customers/']:has-text('华东精密制造集团')").first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(output_dir / f"account-{lang}.png"))
    assert page.locator(".account-status").first.inner_text().strip() == ("合作中" if lang == "zh" else "Active customer")
    context.close()


def test_portal_home_greets_once_and_lines_up(live_server, browser, output_dir):
    """One greeting (the account's welcome text), "download allowed" flush with the shared line, no empty card foot."""
    for width in WIDTHS:
        context, page = _page(browser, width, live_server, CUSTOMER)
        page.goto(f"{live_server}/portal/")
        page.screenshot(path=str(output_dir / f"portal-{width}.png"), full_page=True)
        hero = page.locator("[data-testid=portal-hero]").inner_text()
        assert "欢迎您" not in hero and page.locator("[data-testid=portal-welcome]").is_visible()
        doc = page.locator(".portal-doc:has(.portal-doc-download)").first
        shared_x = doc.locator(".portal-doc-meta .muted").bounding_box()["x"]
        label = doc.locator(".portal-doc-download")
        text_x = label.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().x; }")
        assert abs(text_x - shared_x) < 1.5, (text_x, shared_x)
        card = page.locator("#announcements").bounding_box()
        last = page.locator("#announcements .announcement").last.locator("p").last.bounding_box()
        gap = card["y"] + card["height"] - (last["y"] + last["height"])
        assert gap < 24, gap  # the card's padding, no more
        context.close()


def test_openings_list_counts_deals_and_legend_reads_as_legend(live_server, browser, output_dir):
    """The list heading counts deals and accounts; legend entries are ink-coloured with swatches you can see."""
    context, page = _page(browser, 1280, live_server, "admin@yunfan.demo")
    page.goto(f"{live_server}/assessments/")
    page.screenshot(path=str(output_dir / "openings-1280.png"), full_page=True)
    count = page.locator("[data-testid=list-count]").inner_text()
    rows = page.locator("[data-testid=assessment-list] > li").count()
    assert f"{rows} 个商机" in count and "个客户" in count, count
    link = page.locator("[data-testid=grid-legend] a").first
    ink = page.evaluate("getComputedStyle(document.body).color")
    assert link.evaluate("e => getComputedStyle(e).color") == ink
    swatch = link.locator(".legend-swatch").bounding_box()
    assert swatch["width"] >= 14 and swatch["height"] >= 14, swatch
    context.close()
