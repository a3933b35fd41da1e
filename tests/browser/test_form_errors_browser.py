"""Refused forms and the openings charts on a phone and a desk: messages by their fields, numbered dots, dated trends."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(params=[375, 1280], ids=["phone", "desk"])
def page(request, live_server, browser):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    sign_in(tab, live_server, "wanglei@yunfan.demo")
    tab.width = width
    yield tab
    context.close()


def test_a_refused_sheet_shows_each_message_by_its_field(live_server, page, output_dir):
    """Leave out who leads: the sheet stays open with the typed note, the message sits under the position choices."""
    page.goto(f"{live_server}/assessments/")
    page.locator('[data-testid="dot-key"] a').first.click()
    page.wait_for_url("**/assessments/accounts/*")
    page.locator("#new summary").click()
    page.fill("#f-short_term", "7")
    page.fill("#f-long_term", "4")
    page.fill("#f-note", "周二再去拜访采购")
    page.evaluate("document.querySelectorAll('.assess-form [required]').forEach(e => e.removeAttribute('required'))")
    page.locator("form.assess-form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator('.assess-form [data-error-for="position"]')
    assert error.inner_text() == "请填写此项。"
    assert error.evaluate("e => e.closest('.field').querySelector('input[name=position]') !== null")
    assert page.locator("#f-note").input_value() == "周二再去拜访采购"
    assert page.locator("#f-short_term").input_value() == "7"
    assert page.locator(".flash-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    page.screenshot(path=str(output_dir / f"refused-sheet-{page.width}.png"), full_page=True)


def test_feed_composer_keeps_the_text_and_names_the_problem(live_server, page, output_dir):
    page.goto(f"{live_server}/customers/")
    page.locator("a[href^='/customers/']").filter(has_text="华东精密").first.click()
    page.wait_for_load_state()
    composer = page.locator("details.composer")
    if composer.get_attribute("open") is None:
        page.click("details.composer > summary")
    page.evaluate("document.querySelector('#body').removeAttribute('maxlength')")  # as an old browser would
    page.fill("#body", "拜访" * 2501)
    page.locator("form.composer-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator('[data-error-for="body"]').inner_text() == "最多 5000 个字符。"
    assert page.locator("#body").input_value() == "拜访" * 2501
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    page.screenshot(path=str(output_dir / f"refused-composer-{page.width}.png"))


def test_quadrant_dots_are_numbered_and_named_without_hover(live_server, page, output_dir):
    """Every dot carries a number that the list under the chart names; no two dots cover each other."""
    page.goto(f"{live_server}/assessments/")
    dots = page.locator(".quadrant-chart circle.dot")
    key = page.locator('[data-testid="dot-key"] li')
    assert dots.count() == key.count() >= 2
    numbers = sorted(int(t) for t in page.locator(".quadrant-chart .dot-number").all_text_contents())
    assert numbers == list(range(1, key.count() + 1))
    circles = dots.evaluate_all("cs => cs.map(c => [c.cx.baseVal.value, c.cy.baseVal.value, c.r.baseVal.value])")
    for i, (x1, y1, r1) in enumerate(circles):
        for x2, y2, r2 in circles[i + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= r1 + r2
    classes = key.evaluate_all("ls => ls.map(l => l.querySelector('.dot-no').className)")
    order = {"cls-abnormal": 0, "cls-problem": 1, "cls-normal": 2}
    ranks = [order[c.split()[-1]] for c in classes]
    assert ranks == sorted(ranks)  # worst openings first
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    page.screenshot(path=str(output_dir / f"overview-{page.width}.png"), full_page=True)


def test_the_trend_axis_shows_real_dates(live_server, page, output_dir):
    page.goto(f"{live_server}/assessments/")
    page.locator('[data-testid="dot-key"] a').first.click()
    page.wait_for_url("**/assessments/accounts/*")
    ticks = page.locator(".history-chart .date-tick").all_text_contents()
    assert ticks and any(t[:4].isdigit() and t[4] == "-" for t in ticks)  # the year is on the axis
    page.locator(".history-chart").screenshot(path=str(output_dir / f"history-{page.width}.png"))
