"""Helpful votes on an answer, the rating panel before anyone rated, rankings and dates, in a real browser
at 1280 and 375 px. Screenshots go to test-output/browser/<test name>/.
"""

import pytest
import requests

from .conftest import sign_in, token_for

pytestmark = pytest.mark.browser

NO_WRAP = "Array.from(document.querySelectorAll('time')).filter(t => getComputedStyle(t).whiteSpace !== 'nowrap').length"


def test_helpful_vote_on_an_answer(live_server, browser, output_dir):
    """王磊 votes 李娜's answer helpful: the button shows his vote and the count, also after a reload."""
    asker = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    answerer = {"Authorization": f"Bearer {token_for('lina@yunfan.demo')}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=asker, timeout=10).json()
    question = requests.post(f"{live_server}/api/v1/departments/{me['department_ids'][0]}/questions", headers=asker,
                             json={"title": "客户要求私有化部署，报价怎么算？", "body": ""}, timeout=10).json()
    answer = requests.post(f"{live_server}/api/v1/questions/{question['id']}/answers", headers=answerer,
                           json={"body": "按节点数报价，另加一次性实施费。"}, timeout=10).json()

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/departments/questions/{question['id']}")
    vote = page.locator(f"[data-testid=helpful-answer-{answer['id']}]")
    assert vote.get_attribute("aria-pressed") == "false" and vote.locator("[data-helpful-count]").inner_text() == "0"
    vote.click()
    page.wait_for_selector(f"[data-testid=helpful-answer-{answer['id']}][aria-pressed=true]")
    assert vote.locator("[data-helpful-count]").inner_text() == "1"
    page.reload()
    assert vote.get_attribute("aria-pressed") == "true" and vote.locator("[data-helpful-count]").inner_text() == "1"
    assert page.evaluate(NO_WRAP) == 0
    page.screenshot(path=str(output_dir / "question-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    box = vote.bounding_box()
    assert box["height"] >= 36  # a comfortable tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(output_dir / "question-375.png"), full_page=True)

    # The answerer sees the count, without a button to vote for herself.
    own = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN").new_page()
    sign_in(own, live_server, "lina@yunfan.demo")
    own.goto(f"{live_server}/departments/questions/{question['id']}")
    assert own.locator(f"[data-testid=helpful-answer-{answer['id']}]").inner_text() == "1 位同事觉得有帮助"
    assert own.locator("[data-answer-helpful]").count() == 0


def test_rating_panel_before_and_after_the_first_rating(live_server, browser, output_dir):
    """An unrated document says "no ratings yet" (not a dash); the stars are large; rating fills the panel."""
    token = token_for("wanglei@yunfan.demo")
    headers = {"Authorization": f"Bearer {token}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=headers, timeout=10).json()
    created = requests.post(
        f"{live_server}/api/v1/documents", headers=headers,
        data={"title": "私有化部署报价说明", "department_id": me["department_ids"][0], "category": "product",
              "tags": "报价", "visibility": "staff"},
        files={"file": ("报价说明.txt", "按节点数报价。\n".encode(), "text/plain")}, timeout=30,
    )
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]

    page = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN").new_page()
    sign_in(page, live_server, "zhaojing@yunfan.demo")
    page.goto(f"{live_server}/documents/{doc_id}")
    panel = page.locator("[data-testid=social-panel]")
    panel.scroll_into_view_if_needed()
    assert page.locator("[data-rating-none]").is_visible()
    assert page.locator("[data-rating-none]").inner_text() == "还没有评分。"
    assert not page.locator("[data-rating-average]").is_visible() and "–" not in panel.inner_text()
    star = page.locator("[data-testid=star-3]").bounding_box()
    assert star["width"] >= 44 and star["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    panel.screenshot(path=str(output_dir / "panel-empty-375.png"))
    page.click("[data-testid=star-5]")
    page.wait_for_selector("[data-rating-average]:text-is('5.0')")
    assert not page.locator("[data-rating-none]").is_visible()
    panel.screenshot(path=str(output_dir / "panel-rated-375.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(output_dir / "panel-rated-1280.png"))

    # Rankings: lists are numbered, empty ones are a sentence; dates keep to one line.
    page.goto(f"{live_server}/")
    assert page.locator("[data-testid=rankings] ol li.muted").count() == 0
    assert page.evaluate(NO_WRAP) == 0
    page.locator("[data-testid=rankings]").screenshot(path=str(output_dir / "rankings-1280.png"))
    page.set_viewport_size({"width": 375, "height": 800})
    page.locator("[data-testid=rankings]").screenshot(path=str(output_dir / "rankings-375.png"))
    page.goto(f"{live_server}/experts")
    page.click("[data-testid=expert-formula] summary")
    page.screenshot(path=str(output_dir / "experts-375.png"), full_page=True)


STYLE = ("el => { const s = getComputedStyle(el); return [s.height, s.fontSize, s.borderTopWidth, s.borderTopColor, "
         "s.backgroundColor, s.color, s.fontWeight, s.borderRadius].join(' '); }")


def test_helpful_on_answers_and_comments_is_one_control(live_server, browser, output_dir):
    """The answer's and the comment's "helpful" are the same button: class, words, look, pressed state."""
    asker = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    answerer = {"Authorization": f"Bearer {token_for('lina@yunfan.demo')}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=asker, timeout=10).json()
    question = requests.post(f"{live_server}/api/v1/departments/{me['department_ids'][0]}/questions", headers=asker,
                             json={"title": "竞品降价百分之二十，我们怎么应对？", "body": ""}, timeout=10).json()
    answer = requests.post(f"{live_server}/api/v1/questions/{question['id']}/answers", headers=answerer,
                           json={"body": "先强调服务响应时间，再谈年框折扣。"}, timeout=10).json()
    comment = requests.post(f"{live_server}/api/v1/answers/{answer['id']}/comments", headers=answerer,
                            json={"body": "补充：去年华东的案例可以引用。"}, timeout=10)
    assert comment.status_code == 201, comment.text

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/departments/questions/{question['id']}")
    on_answer = page.locator(f"[data-testid=helpful-answer-{answer['id']}]")
    on_comment = page.locator(f"#comment-{comment.json()['id']} [data-helpful]")
    for vote in (on_answer, on_comment):
        assert "helpful-vote" in vote.get_attribute("class").split()
        assert vote.get_attribute("aria-pressed") == "false"
        assert vote.inner_text().split() == ["有帮助", "0"]
    assert on_answer.evaluate(STYLE) == on_comment.evaluate(STYLE)
    on_comment.click()
    page.wait_for_selector(f"#comment-{comment.json()['id']} [data-helpful][aria-pressed=true]")
    on_answer.click()
    page.wait_for_selector(f"[data-testid=helpful-answer-{answer['id']}][aria-pressed=true]")
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        assert on_answer.evaluate(STYLE) == on_comment.evaluate(STYLE)  # pressed looks the same on both
        assert on_comment.locator("[data-helpful-count]").inner_text() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(f"#answer-{answer['id']}").screenshot(path=str(output_dir / f"helpful-both-{width}.png"))
