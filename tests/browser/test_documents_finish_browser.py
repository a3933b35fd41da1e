"""Documents ready for a first week: zoom reaches both edges, bars stay visible, Markdown reads as Markdown,
uploads show a percentage, can be cancelled, fail visibly and warn about duplicates."""

import time
from pathlib import Path

import pytest
import requests

from ..documents_helpers import pdf_bytes
from .conftest import LIVE, open_composer, sign_in, token_for
from .test_documents_browser import wait_loaded

pytestmark = pytest.mark.browser

SIZES = [(375, 740, True), (1280, 900, False)]


def new_context(browser, width, height, mobile):
    return browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=mobile,
                               has_touch=mobile)


def upload_pdf(base: str, email: str, pages: int, title: str) -> int:
    headers = {"Authorization": f"Bearer {token_for(email)}"}
    dept = requests.get(f"{base}/api/v1/me", headers=headers, timeout=10).json()["department_ids"][0]
    created = requests.post(f"{base}/api/v1/documents", headers=headers, timeout=60,
                            data={"department_id": dept, "title": title},
                            files={"file": (f"{title}.pdf", pdf_bytes(pages, title=title), "application/pdf")})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def box(page, selector):
    return page.locator(selector).bounding_box()


@pytest.fixture(scope="module")
def pdf_doc(live_server):
    return upload_pdf(live_server, "lina@yunfan.demo", 4, f"缩放测试{time.time_ns()}")


@pytest.mark.parametrize(("width", "height", "mobile"), SIZES, ids=["375", "1280"])
def test_zoomed_pages_scroll_to_both_edges(live_server, browser, output_dir, pdf_doc, width, height, mobile):
    """At 150 % and 200 % the page's left edge is reachable (scrolled to the start) and so is its right edge."""
    context = new_context(browser, width, height, mobile)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/documents/{pdf_doc}")
    page.wait_for_selector("#page-1 img", timeout=30000)
    wait_loaded(page, "#page-1 img")
    for level in ("125%", "150%", "200%"):
        page.click("[data-zoom='1']")
        assert page.locator("[data-zoom-level]").inner_text() == level
        if level == "125%":
            continue
        pages = page.locator("[data-pages]")
        pages.evaluate("el => { el.scrollLeft = 0; }")
        frame, first = box(page, "[data-pages]"), box(page, "#page-1")
        assert first["x"] >= frame["x"] - 1, f"{level}: {frame['x'] - first['x']:.0f}px cut off on the left"
        pages.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        frame, first = box(page, "[data-pages]"), box(page, "#page-1")
        assert first["x"] + first["width"] <= frame["x"] + frame["width"] + 1, f"{level}: right edge out of reach"
        pages.evaluate("el => { el.scrollLeft = 0; }")
        page.screenshot(path=str(output_dir / f"zoom-{level[:-1]}-{width}.png"))
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, f"the zoomed viewer widens the whole page ({width_now}px)"
    context.close()


@pytest.mark.parametrize(("width", "height", "mobile"), SIZES, ids=["375", "1280"])
def test_sticky_header_hides_neither_toolbar_nor_anchor_targets(live_server, browser, output_dir, pdf_doc,
                                                               width, height, mobile):
    """Scrolled down, the viewer toolbar sits right below the top bar; #versions and a jumped-to page start below both."""
    context = new_context(browser, width, height, mobile)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/documents/{pdf_doc}")
    page.wait_for_selector("#page-1 img", timeout=30000)
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(400)
    header, bar = box(page, ".topbar"), box(page, ".viewer-bar")
    assert abs(bar["y"] - (header["y"] + header["height"])) <= 1, (header, bar)
    page.fill("[data-jump] input", "3")
    page.click("[data-jump] button")
    page.wait_for_timeout(400)
    bar = box(page, ".viewer-bar")
    assert box(page, "#page-3")["y"] >= bar["y"] + bar["height"] - 1, "the jumped-to page starts under the toolbar"
    page.screenshot(path=str(output_dir / f"jump-{width}.png"))
    page.goto(f"{live_server}/documents/{pdf_doc}#versions")
    page.wait_for_timeout(500)
    header = box(page, ".topbar")
    assert box(page, "#versions h2")["y"] >= header["y"] + header["height"], "#versions hides under the top bar"
    page.screenshot(path=str(output_dir / f"anchor-{width}.png"))
    context.close()


@pytest.mark.parametrize(("width", "height", "mobile"), SIZES, ids=["375", "1280"])
def test_flagship_markdown_documents_read_as_markdown(live_server, browser, output_dir, width, height, mobile):
    """The demo's 销售通制造业解决方案 shows its heading, sections and list in the staff viewer and the portal."""
    for email, listing in (("wanglei@yunfan.demo", "/documents/?q=销售通制造业解决方案"), ("qian@hdjm.demo", "/portal/")):
        context = new_context(browser, width, height, mobile)
        page = context.new_page()
        sign_in(page, live_server, email)
        page.goto(live_server + listing)
        page.click("a:has-text('销售通制造业解决方案') >> nth=0")
        text = page.locator("[data-testid=doc-text]")
        text.wait_for(timeout=30000)
        assert text.locator("h1").inner_text() == "销售通制造业解决方案"
        assert text.locator("h2").all_inner_texts() == ["经销商管理", "三家工厂统一销售平台"]
        assert text.locator("li").count() == 2
        assert text.evaluate("el => getComputedStyle(el).whiteSpace") == "normal"  # no blank lines from pre-wrap
        h1, h2 = text.locator("h1").evaluate("e => getComputedStyle(e).fontSize"), text.locator("h2").first.evaluate(
            "e => getComputedStyle(e).fontSize")
        assert float(h1[:-2]) > float(h2[:-2]) > 15
        who = email.split("@")[0]
        page.screenshot(path=str(output_dir / f"markdown-{who}-{width}.png"), full_page=True)
        context.close()


def live_tmp_files() -> list[Path]:
    return [p for p in (Path(LIVE["env"]["HUB_INSTANCE"]) / "uploads" / "tmp").glob("*") if p.is_file()]


def count_titled(base: str, title: str) -> int:
    headers = {"Authorization": f"Bearer {token_for('admin@yunfan.demo')}"}
    docs = requests.get(f"{base}/api/v1/documents?per_page=100", headers=headers, timeout=10).json()["documents"]
    return sum(1 for d in docs if d["title"] == title)


@pytest.mark.parametrize(("width", "height", "mobile"), SIZES, ids=["375", "1280"])
def test_upload_shows_percentage_cancels_and_fails_visibly(live_server, browser, output_dir, tmp_path,
                                                          width, height, mobile):
    """A styled picker; a slow upload shows its percentage and a cancel button that leaves nothing on the server;
    a refused file's row turns to the error state with the server's message."""
    stamp = time.time_ns()
    big = tmp_path / f"大文件{stamp}.txt"
    big.write_bytes(f"客户拜访记录，第{stamp}行。\n".encode() * 120_000)  # about 3.5 MB
    bad = tmp_path / "合同.pdf"
    bad.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 40)
    context = new_context(browser, width, height, mobile)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/departments/")
    page.click("text=智能客服产品部")
    open_composer(page)
    picker = page.locator("#documents input[data-files]")
    assert picker.bounding_box()["width"] <= 1, "the native file input shows"
    assert page.locator("#documents .file-button").is_visible()
    page.screenshot(path=str(output_dir / f"picker-{width}.png"))

    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                   "uploadThroughput": 256 * 1024})
    picker.set_input_files(str(big))
    assert page.locator("#documents [data-chosen]").inner_text() == big.name
    page.click("#documents [data-submit]")
    item = page.locator(".upload-item").last
    deadline = time.monotonic() + 20
    while item.locator(".percent").inner_text() in ("0%", "") and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    percent = item.locator(".percent").inner_text()
    assert percent.endswith("%") and 0 < int(percent[:-1]) < 100, percent
    page.screenshot(path=str(output_dir / f"uploading-{width}.png"))
    item.locator("[data-cancel]").click()
    assert item.get_attribute("data-state") == "cancelled"
    assert "已取消上传" in item.locator(".status").inner_text()
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                   "uploadThroughput": -1})
    page.wait_for_timeout(1500)
    assert count_titled(live_server, big.stem) == 0
    assert live_tmp_files() == [], "the cancelled upload left a temp file"

    picker.set_input_files(str(bad))
    page.click("#documents [data-submit]")
    failed = page.locator(".upload-item").last
    page.wait_for_selector(".upload-item[data-state=failed]", timeout=20000)
    assert "程序" in failed.locator(".status").inner_text()  # the server's own message, in Chinese
    colour = failed.locator("progress").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(194, 53, 43)", colour  # --danger, not a full blue bar
    page.screenshot(path=str(output_dir / f"failed-{width}.png"))
    context.close()


def test_duplicate_upload_links_the_existing_document(live_server, browser, output_dir, tmp_path):
    """Uploading bytes the department holds names the document: open it, add as a new version, or upload anyway."""
    stamp = time.time_ns()
    note = tmp_path / f"报价说明{stamp}.txt"
    note.write_text(f"报价说明 {stamp}\n九折起。\n", encoding="utf-8")
    context = new_context(browser, 1280, 900, False)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/departments/")
    page.click("text=智能客服产品部")
    open_composer(page)
    page.set_input_files("#documents input[data-files]", str(note))
    page.click("#documents [data-submit]")
    page.wait_for_selector(".upload-item[data-state=done]", timeout=20000)
    first_link = page.locator(".upload-item[data-state=done] a").first.get_attribute("href")

    page.set_input_files("#documents input[data-files]", str(note))
    page.click("#documents [data-submit]")
    page.wait_for_selector(".upload-item[data-state=duplicate]", timeout=20000)
    row = page.locator(".upload-item[data-state=duplicate]")
    assert note.stem in row.locator(".status").inner_text() and "本部门已有" in row.locator(".status").inner_text()
    assert row.locator("a:has-text('打开该文档')").get_attribute("href") == first_link
    page.screenshot(path=str(output_dir / "duplicate.png"))
    row.locator("[data-as-version]").click()
    page.wait_for_selector(".upload-item:has-text('已作为新版本上传')", timeout=20000)
    headers = {"Authorization": f"Bearer {token_for('lina@yunfan.demo')}"}
    doc_id = first_link.rsplit("/", 1)[-1]
    versions = requests.get(f"{live_server}/api/v1/documents/{doc_id}", headers=headers, timeout=10).json()["versions"]
    assert len(versions) == 2

    page.set_input_files("#documents input[data-files]", str(note))
    page.click("#documents [data-submit]")
    page.wait_for_selector(".upload-item[data-state=duplicate]", timeout=20000)
    page.locator(".upload-item[data-state=duplicate] [data-anyway]").click()
    page.wait_for_timeout(2000)
    assert count_titled(live_server, note.stem) == 2
    page.screenshot(path=str(output_dir / "duplicate-resolved.png"), full_page=True)
    context.close()


@pytest.mark.parametrize(("width", "height", "mobile"), SIZES, ids=["375", "1280"])
def test_new_version_form_has_a_styled_picker_and_progress(live_server, browser, output_dir, tmp_path,
                                                          width, height, mobile):
    """'上传新版本' offers a styled button naming the chosen file, uploads with a bar and shows the new version."""
    doc_id = upload_pdf(live_server, "lina@yunfan.demo", 1, f"版本测试{time.time_ns()}")
    context = new_context(browser, width, height, mobile)
    page = context.new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/documents/{doc_id}")
    form = page.locator("#manage form.version-upload")
    assert form.locator("input[type=file]").bounding_box()["width"] <= 1
    assert form.locator(".file-button").inner_text() == "选择文件"
    new = tmp_path / "第二版.pdf"
    new.write_bytes(pdf_bytes(2, title=f"第二版{time.time_ns()}"))
    form.locator("input[type=file]").set_input_files(str(new))
    assert form.locator("[data-chosen]").inner_text() == "第二版.pdf"
    form.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / f"version-form-{width}.png"))
    form.locator("[data-submit]").click()
    page.wait_for_url(f"{live_server}/documents/{doc_id}", timeout=20000)
    page.wait_for_selector("#versions :text('第二版.pdf')", timeout=20000)
    context.close()
