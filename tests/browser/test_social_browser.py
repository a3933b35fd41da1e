"""Crowd wisdom in a real browser: 王磊 rates and comments with Markdown and an @mention; 李娜, reading
the same document in a second browser context, sees her bell count rise and the comment appear without
reloading. Screenshots at desktop and 375 px width go to test-output/browser/<test name>/.
"""

import pytest
import requests

from .conftest import sign_in, token_for

pytestmark = pytest.mark.browser

@pytest.fixture
def social_server(live_server):
    """The live demo server with one fresh document uploaded by 王磊 to his department."""
    token = token_for("wanglei@yunfan.demo")
    headers = {"Authorization": f"Bearer {token}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=headers, timeout=10).json()
    created = requests.post(
        f"{live_server}/api/v1/documents",
        headers=headers,
        data={
            "title": "销售通常见问题解答",
            "department_id": me["department_ids"][0],
            "category": "product",
            "tags": "CRM,FAQ",
            "visibility": "staff",
        },
        files={"file": ("销售通FAQ.txt", "问：能否对接 SAP？\n答：可以，通过标准接口。\n".encode(), "text/plain")},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    return live_server, created.json()["id"], {"token": token, "department_id": me["department_ids"][0]}


def test_rating_comment_and_mention_reach_a_colleague_live(social_server, browser, output_dir):
    """The mentioned colleague's bell rises and the comment appears on her open page without a reload."""
    base, doc_id, prepared = social_server
    url = f"{base}/documents/{doc_id}"

    reader = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(reader, base, "lina@yunfan.demo")
    reader.goto(url)
    reader.wait_for_selector("[data-comments][data-live-joined='1']", state="attached", timeout=10000)
    bell_before = int(reader.locator("#bell-count").get_attribute("data-unread"))
    reader.evaluate("window.__sameDocument = true")  # gone if the page reloads

    writer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(writer, base, "wanglei@yunfan.demo")
    writer.goto(url)
    writer.click("[data-testid=star-4]")
    writer.wait_for_selector("[data-rating-count]:text-is('1')")
    # The live summary may land before the PUT's own answer marks "your stars": wait for both.
    writer.wait_for_selector("[data-testid=star-4][aria-checked=true]", timeout=10000)

    box = writer.locator("[data-comment-form] textarea")
    box.click()
    box.type("**报价时很好用**，请 @李")
    option = writer.locator("[data-mention-menu] li:has-text('李娜')")
    option.wait_for(timeout=5000)
    writer.screenshot(path=str(output_dir / "writer-mention-autocomplete.png"), full_page=True)
    box.press("Enter")
    assert box.input_value() == "**报价时很好用**，请 @李娜 "
    box.type("看看第 1 页 <script>alert(1)</script>")
    writer.click("[data-comment-form] button[type=submit]")
    writer.wait_for_selector(".comment strong:text-is('报价时很好用')")

    # The reader: the comment arrives live, the bell counts one more, the page never reloaded.
    live = reader.locator(".comment:has-text('报价时很好用')")
    live.wait_for(timeout=10000)
    assert live.locator("strong").inner_text() == "报价时很好用"
    assert live.locator("a:text-is('@李娜')").count() == 1
    assert live.locator("script").count() == 0 and "<script>alert(1)</script>" in live.inner_text()
    reader.wait_for_selector(f"#bell-count[data-unread='{bell_before + 1}']", state="attached", timeout=10000)
    reader.wait_for_selector("[data-rating-count]:text-is('1')")  # the rating summary is live too
    assert reader.evaluate("window.__sameDocument") is True
    reader.locator("#social").scroll_into_view_if_needed()
    reader.screenshot(path=str(output_dir / "reader-live-comment.png"), full_page=True)
    writer.screenshot(path=str(output_dir / "writer-after.png"), full_page=True)

    # The writer edits the comment; the reader's copy changes in place.
    mine = writer.locator(".comment:has-text('报价时很好用')")
    mine.locator("[data-edit]").click()
    editor = mine.locator(".comment-edit textarea")
    editor.fill("**报价时很好用**（已核对价格表）")
    mine.locator(".comment-edit button[type=submit]").click()
    reader.locator(".comment:has-text('已核对价格表')").wait_for(timeout=10000)
    assert reader.locator(".comment").count() == 1

    # Phone width: the same panel, usable at 375 px.
    reader.set_viewport_size({"width": 375, "height": 800})
    reader.locator("#social").scroll_into_view_if_needed()
    reader.screenshot(path=str(output_dir / "reader-375.png"), full_page=True)
    assert reader.evaluate("document.documentElement.scrollWidth") <= 375

    # Rankings list the rated document: newest on the home page, and among the best rated (the demo's
    # better-rated documents keep it out of the top five shown there).
    writer.goto(f"{base}/")
    assert writer.locator("[data-testid=rank-newest] a:has-text('销售通常见问题解答')").count() == 1
    best = requests.get(f"{base}/api/v1/rankings?limit=50", headers={"Authorization": f"Bearer {prepared['token']}"},
                        timeout=10).json()["best_rated"]
    assert doc_id in [d["id"] for d in best]
    writer.set_viewport_size({"width": 375, "height": 800})
    writer.screenshot(path=str(output_dir / "home-rankings-375.png"), full_page=True)

    # The experts page and a profile at phone width.
    writer.goto(f"{base}/experts")
    assert writer.locator("[data-testid=experts] a:has-text('王磊')").count() == 1
    writer.screenshot(path=str(output_dir / "experts-375.png"), full_page=True)
    writer.locator("[data-testid=experts] a:has-text('王磊')").click()
    writer.wait_for_selector("[data-testid=contributions] a:has-text('销售通常见问题解答')")
    assert writer.evaluate("document.documentElement.scrollWidth") <= 375
    writer.screenshot(path=str(output_dir / "person-375.png"), full_page=True)

    # A comment on an answer, from the question page at phone width (no live room there: it is added in place).
    auth = {"Authorization": f"Bearer {prepared['token']}"}
    question = requests.post(f"{base}/api/v1/departments/{prepared['department_id']}/questions", headers=auth,
                             json={"title": "SAP 对接要多久？", "body": ""}, timeout=10).json()
    answer = requests.post(f"{base}/api/v1/questions/{question['id']}/answers", headers=auth,
                           json={"body": "标准接口两周"}, timeout=10).json()
    writer.goto(f"{base}/departments/questions/{question['id']}")
    thread = writer.locator(f"[data-testid=comments-answer-{answer['id']}]")
    thread.locator("summary").click()
    thread.locator("textarea").fill("客户有定制字段时要*再加一周*")
    thread.locator("button[type=submit]").click()
    thread.locator(".comment em:text-is('再加一周')").wait_for(timeout=5000)
    assert writer.evaluate("document.documentElement.scrollWidth") <= 375
    writer.screenshot(path=str(output_dir / "question-375.png"), full_page=True)
