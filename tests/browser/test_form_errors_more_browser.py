"""Refused department and JS forms on a phone and a desk: the message under its field, the typed text kept."""

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


def my_department(page, live_server) -> None:
    """Open the first department whose note form this person may use."""
    page.goto(f"{live_server}/departments/")
    links = page.locator("main a[href^='/departments/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    for href in links:
        page.goto(live_server + href)
        if page.locator('[data-testid="note-form"]').count():
            return
    raise AssertionError("no department where wanglei may write a note")


def test_a_note_without_title_names_the_title_and_keeps_the_text(live_server, page, output_dir):
    my_department(page, live_server)
    page.click("#notes details.composer > summary")
    page.evaluate("document.querySelectorAll('[data-testid=note-form] [required]').forEach(e => e.removeAttribute('required'))")
    page.fill("#post-title", "   ")
    page.fill("#post-body", "客户最关心交付周期")
    page.locator('[data-testid="note-form"] button[type=submit]').click()
    page.wait_for_load_state()
    error = page.locator('[data-error-for="post-title"]')
    assert error.inner_text() == "请填写此项。" and error.is_visible()
    assert page.locator("#post-title").get_attribute("aria-invalid") == "true"
    assert page.locator("#post-body").input_value() == "客户最关心交付周期"
    assert page.locator(".flash-error").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    page.locator("#notes").screenshot(path=str(output_dir / f"refused-note-{page.width}.png"))


def test_a_too_long_comment_keeps_the_text_and_clears_after_a_good_send(live_server, page, output_dir):
    """The comment box (social.js): the API's field message under the text box, gone after the next send."""
    my_department(page, live_server)
    page.locator("#notes .list a").first.click()
    page.wait_for_load_state()
    form = page.locator("[data-comment-form]").first
    area = form.locator("textarea")
    area.evaluate("e => e.removeAttribute('maxlength')")  # as an old browser would
    area.fill("拜访" * 2501)
    form.locator("button[type=submit]").click()
    error = form.locator('[data-error-for="body"]')
    error.wait_for()
    assert error.inner_text() == "评论最多 5000 个字符。"
    assert area.input_value() == "拜访" * 2501
    assert area.get_attribute("aria-invalid") == "true"
    assert form.locator("[data-comment-error]").is_hidden()  # no second, raw copy of the message
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width
    form.screenshot(path=str(output_dir / f"refused-comment-{page.width}.png"))
    area.fill(f"已拜访 {page.width}")
    form.locator("button[type=submit]").click()
    page.locator(".comment", has_text=f"已拜访 {page.width}").first.wait_for()
    assert form.locator('[data-error-for="body"]').count() == 0 and area.input_value() == ""
