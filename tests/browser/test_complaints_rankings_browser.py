"""Two first-week pages at phone and desktop width: the complaint list's urgency tags on /customers/, and
the rankings of a department nobody has rated, viewed or filled yet."""

import pytest
import requests

from .conftest import LIVE, run_flask, sign_in, token_for

pytestmark = pytest.mark.browser

ACCOUNT = "华东精密制造集团"  # owned by 王磊


@pytest.mark.parametrize("width", [375, 1280])
def test_complaint_urgency_is_a_tag(live_server, browser, output_dir, width):
    """一般 and 高 are tags like the feed's badges (高 in the danger colour), not loose words."""
    auth = {"Authorization": f"Bearer {token_for('admin@yunfan.demo')}"}
    accounts = requests.get(f"{live_server}/api/v1/customers", headers=auth, timeout=10).json()
    items = accounts["customers"] if isinstance(accounts, dict) else accounts
    account_id = next(a["id"] for a in items if a["name"] == ACCOUNT)
    made = {}
    for severity, body in (("high", f"产线停机，今天必须回复 ({width})"), ("normal", f"发票抬头写错了 ({width})")):
        response = requests.post(f"{live_server}/api/v1/customers/{account_id}/events", headers=auth, timeout=10,
                                 json={"kind": "complaint", "body": body, "severity": severity})
        assert response.status_code == 201, response.text
        made[severity] = response.json()["id"]

    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "wanglei@yunfan.demo")
    page.goto(f"{live_server}/customers/#complaints")
    for severity, label in (("high", "高"), ("normal", "一般")):
        tag = page.locator(f"#complaints [data-alert-id='{made[severity]}'] .severity")
        assert tag.inner_text().strip() == label
        look = tag.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderRadius]; }")
        assert look[0] not in ("rgba(0, 0, 0, 0)", "transparent"), look  # a filled tag ...
        assert look[1] != "0px", look  # ... with rounded corners
    high = page.locator(f"#complaints [data-alert-id='{made['high']}'] .severity")
    normal = page.locator(f"#complaints [data-alert-id='{made['normal']}'] .severity")
    assert high.evaluate("e => getComputedStyle(e).backgroundColor") != normal.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#complaints").screenshot(path=str(output_dir / f"complaint-list-{width}.png"))
    page.context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_rankings_of_an_empty_department(live_server, browser, output_dir, width):
    """A new department with no documents shows one note saying what will appear and where to start."""
    name = f"新建空部门{width}"
    run_flask(LIVE["env"], "users", "create", f"empty{width}@yunfan.demo", "--name", f"空部门成员{width}",
              "--role", "staff", "--department", name, "--job", "product", "--password", "demo-pass-2026")
    auth = {"Authorization": f"Bearer {token_for('admin@yunfan.demo')}"}
    listing = requests.get(f"{live_server}/api/v1/departments", headers=auth, timeout=10).json()
    items = listing["departments"] if isinstance(listing, dict) else listing
    dept_id = next(d["id"] for d in items if d["name"] == name)

    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, f"empty{width}@yunfan.demo")
    page.goto(f"{live_server}/departments/{dept_id}")
    rankings = page.locator("[data-testid=rankings]")
    rankings.scroll_into_view_if_needed()
    note = rankings.locator("[data-testid=rank-empty-all]")
    assert note.count() == 1 and rankings.locator(".rank-empty").count() == 1  # one note, not four empty boxes
    assert "上传、阅读和评分" in note.inner_text()
    assert rankings.locator("ol").count() == 0
    note.locator("a[href='#documents']").click()  # leads to the upload form
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rankings.screenshot(path=str(output_dir / f"rankings-empty-{width}.png"))
    page.screenshot(path=str(output_dir / f"department-empty-{width}.png"), full_page=True)
    page.context.close()


def fonts_of(page, selector: str) -> dict[str, int]:
    """The faces Chromium really drew a node's text with, and how many glyphs each (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


@pytest.mark.parametrize("width", [375, 1280])
def test_latin_text_uses_a_latin_face_in_both_languages(live_server, browser, output_dir, width):
    """English words (and their curly quotes) come from a Latin face; Chinese from the CJK face, whose
    full-width quotes Chinese text keeps."""
    auth = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    me = requests.get(f"{live_server}/api/v1/me", headers=auth, timeout=10).json()
    title = f"Pricing “quick start” guide 报价“入门”指南 {width}"
    created = requests.post(
        f"{live_server}/api/v1/documents", headers=auth, timeout=30,
        data={"title": title, "department_id": me["department_ids"][0], "category": "product", "tags": "",
              "visibility": "staff"},
        files={"file": ("fonts.txt", f"fonts {width}\n".encode(), "text/plain")})
    assert created.status_code == 201, created.text
    url = f"{live_server}/documents/{created.json()['id']}"
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "sunyue@yunfan.demo")

    page.goto(url)  # Chinese
    zh = fonts_of(page, ".doc-head h1")
    assert zh.get("Noto Sans CJK SC", 0) == 10, zh  # 报价入门指南 and the four quotes: full width in Chinese
    latin = {name: n for name, n in zh.items() if "CJK" not in name}
    assert sum(latin.values()) >= len("Pricingquickstartguide"), zh
    page.locator(".doc-head").screenshot(path=str(output_dir / f"title-zh-{width}.png"))

    with page.expect_navigation():  # the switch is folded into the phone menu: submit its form
        page.locator("form.lang-switch").evaluate("f => f.requestSubmit()")
    try:
        page.goto(url)  # English
        en = fonts_of(page, ".doc-head h1")
        cjk = en.get("Noto Sans CJK SC", 0)
        assert cjk == 6, en  # only the six Chinese characters: the Latin letters and every quote are Latin
        page.locator(".doc-head").screenshot(path=str(output_dir / f"title-en-{width}.png"))
        page.goto(f"{live_server}/")
        page.screenshot(path=str(output_dir / f"home-en-{width}.png"))
    finally:
        with page.expect_navigation():  # back to Chinese: 孙悦 is a shared demo person
            page.locator("form.lang-switch").evaluate("f => f.requestSubmit()")
    page.context.close()
