"""Following a document in a real browser: the button switches in place and stays switched, a colleague's
new version and comment reach the follower live (bell) and on the notifications page in their language,
and the profile lists the document until it is unfollowed there. Phone (375 px) and desktop (1280 px).
"""

import pytest
import requests

from .conftest import LIVE, run_flask, sign_in, token_for

pytestmark = pytest.mark.browser

WORDS = {
    "zh": {"follow": "关注", "following": "已关注", "version": "您关注的“{title}”有了第 2 版",
           "comment": "王磊 评论了您关注的“{title}”"},
    "en": {"follow": "Follow", "following": "Following", "version": "Version 2 of “{title}”, which you follow, is up",
           "comment": "王磊 commented on “{title}”, which you follow"},
}


def new_follower(width: int) -> str:
    """A staff member of their own, so switching their language touches no other test's demo person."""
    email = f"follower{width}@yunfan.demo"
    run_flask(LIVE["env"], "users", "create", email, "--name", f"关注者{width}", "--role", "staff",
              "--department", "智能客服产品部", "--job", "service", "--password", "demo-pass-2026")
    return email


def bell(page) -> int:
    return int(page.locator("#bell-count").get_attribute("data-unread"))


@pytest.mark.parametrize("width,lang", [(1280, "zh"), (375, "en")])
def test_follow_a_document_and_hear_of_it_live(live_server, browser, output_dir, width, lang):
    """Follow without a reload, hear of a new version and a comment live, unfollow from the profile."""
    words = WORDS[lang]
    auth = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=auth, timeout=10).json()
    title = f"Quote checklist “v1” 报价清单 {width}"
    created = requests.post(
        f"{live_server}/api/v1/documents", headers=auth, timeout=30,
        data={"title": title, "department_id": me["department_ids"][0], "category": "product", "tags": "",
              "visibility": "staff"},
        files={"file": ("checklist.txt", f"报价前核对折扣 {width}\n".encode(), "text/plain")})
    assert created.status_code == 201, created.text
    doc_id = created.json()["id"]

    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, new_follower(width))
    if lang == "en":
        with page.expect_navigation():  # the switch is folded into the phone menu: submit its form
            page.locator("form.lang-switch").evaluate("f => f.requestSubmit()")
    page.goto(f"{live_server}/documents/{doc_id}")
    button = page.locator("[data-testid=follow-button]")
    assert button.inner_text().strip() == words["follow"]
    assert button.get_attribute("aria-pressed") == "false"
    page.locator(".doc-head").screenshot(path=str(output_dir / f"head-before-{width}.png"))

    # Follow: the button changes in place (the page never reloads) ...
    page.evaluate("window.__samePage = true")
    button.click()
    page.wait_for_selector("[data-testid=follow-button][aria-pressed=true]", timeout=10000)
    page.mouse.move(0, 0)  # pointing at it offers "Unfollow"; read the resting label
    assert button.inner_text().strip() == words["following"]
    assert page.evaluate("window.__samePage") is True
    page.locator(".doc-head").screenshot(path=str(output_dir / f"head-following-{width}.png"))
    # ... and the follow is stored: a reload shows it still followed.
    page.reload()
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text().strip() == words["following"]
    page.screenshot(path=str(output_dir / f"document-following-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # A colleague uploads version 2 and comments: the follower's bell rises live, once for each.
    page.wait_for_function("window.Hub && window.Hub.socket && window.Hub.socket.connected", timeout=15000)
    page.evaluate("window.__samePage = true")
    before = bell(page)
    version = requests.post(f"{live_server}/api/v1/documents/{doc_id}/versions", headers=auth, timeout=30,
                            files={"file": ("checklist.txt", f"报价前核对折扣和账期 {width}\n".encode(), "text/plain")})
    assert version.status_code == 201, version.text
    page.wait_for_selector(f"#bell-count[data-unread='{before + 1}']", state="attached", timeout=10000)
    comment = requests.post(f"{live_server}/api/v1/documents/{doc_id}/comments", headers=auth, timeout=10,
                            json={"body": "第 2 版加了账期"})
    assert comment.status_code == 201, comment.text
    page.wait_for_selector(f"#bell-count[data-unread='{before + 2}']", state="attached", timeout=10000)
    assert page.evaluate("window.__samePage") is True

    # The notifications page words both in the follower's language.
    page.goto(live_server + page.locator("[data-testid=bell]").get_attribute("href"))
    notes = page.locator("[data-testid=notifications]")
    notes.wait_for()
    text = notes.inner_text()
    assert words["version"].format(title=title) in text, text
    assert words["comment"].format(title=title) in text, text
    page.screenshot(path=str(output_dir / f"notifications-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The profile lists the document; unfollowing there removes it, and the document offers "Follow" again.
    page.goto(f"{live_server}/profile#following")
    row = page.locator(f"[data-testid=following] [data-follow=document-{doc_id}]")
    assert row.locator(f"a:text-is('{title}')").count() == 1
    page.locator("#following").screenshot(path=str(output_dir / f"profile-following-{width}.png"))
    row.locator("[data-testid=unfollow]").click()
    page.wait_for_load_state()
    assert page.locator(f"[data-testid=following] [data-follow=document-{doc_id}]").count() == 0
    page.locator("#following").screenshot(path=str(output_dir / f"profile-unfollowed-{width}.png"))
    page.goto(f"{live_server}/documents/{doc_id}")
    assert button.get_attribute("aria-pressed") == "false"
    assert button.inner_text().strip() == words["follow"]
    page.context.close()
