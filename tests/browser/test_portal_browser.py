"""A customer's whole visit to their VIP portal in a real browser, with a live answer from staff."""

import os
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, sign_in

pytestmark = pytest.mark.browser

# Run inside the live server's instance (migrated, demo loaded, portal demo included): share a PDF as well,
# so the visit reads page images in the viewer.
SETUP = """
from hub import create_app
from hub.extensions import db
app = create_app()
with app.app_context():
    from hub import demo
    from io import BytesIO
    from sqlalchemy import select
    from werkzeug.datastructures import FileStorage
    from hub.documents import services as documents
    from hub.models import CustomerAccount, Department, Document
    from hub.portal import shares
    from tests.documents_helpers import pdf_bytes
    if db.session.scalar(select(Document).where(Document.title == "三厂统一平台方案书")) is None:
        dept = db.session.scalar(select(Department).where(Department.name == "移动CRM产品部"))
        upload = FileStorage(BytesIO(pdf_bytes(3, title="三厂统一平台")), filename="方案书.pdf")
        doc = documents.create_document(demo._user("hebin@yunfan.demo"), dept, upload, title="三厂统一平台方案书")
        account = db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == "华东精密制造集团"))
        shares.share(doc, account, demo._user("wanglei@yunfan.demo"))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def portal_server(live_server, tmp_path_factory):
    instance = sorted(tmp_path_factory.getbasetemp().glob("live*"))[0]
    env = os.environ.copy() | {"HUB_INSTANCE": str(instance)}
    env.pop("DATABASE_URL", None)
    env.pop("HUB_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return live_server


def wait_loaded(page, selector: str, seconds: float = 30) -> None:
    """Wait until an image has really arrived."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = page.locator(selector)
        if found.count() and found.first.evaluate("img => img.complete && img.naturalWidth > 0"):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{selector} did not load")


def test_customer_visit_read_request_and_live_reply(portal_server, browser, output_dir):
    """钱建国 signs in on a phone, reads a shared PDF in the viewer, sends a request; 王磊 answers in the
    conversation and on the request from his account page, and both answers appear on the phone live."""
    base = portal_server
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True).new_page()
    sign_in(phone, base, "qian@hdjm.demo")
    assert phone.url.endswith("/portal/")
    assert phone.locator("[data-testid=portal-account]").inner_text() == "华东精密制造集团"
    assert phone.locator("[data-testid=portal-initial]").inner_text() == "华"
    assert phone.locator("[data-testid=contact-card]").count() >= 2
    assert "演示" in phone.locator("#announcements").inner_text()
    phone.screenshot(path=str(output_dir / "portal-home.png"), full_page=True)

    # Read the shared PDF in the documents viewer (pages come from the portal's checked routes).
    phone.click("text=三厂统一平台方案书")
    phone.wait_for_selector("[data-viewer]")
    wait_loaded(phone, "#page-1 img", 60)
    assert "/api/v1/portal/documents/" in phone.locator("#page-1 img").get_attribute("src")
    assert phone.locator("[data-testid=view-only]").is_visible()
    assert not phone.locator("[data-revoked]").is_visible()
    phone.screenshot(path=str(output_dir / "portal-viewer.png"), full_page=True)

    # Send a request.
    phone.goto(f"{base}/portal/")
    phone.wait_for_selector(".live-dot.online", timeout=15000)
    if not phone.locator("#r-body").is_visible():
        phone.click("#requests summary")
    phone.fill("#r-body", "请为信息部张工再开通两个演示账号")
    phone.click("[data-testid=request-form] button[type=submit]")
    phone.wait_for_selector(".request:has-text('再开通两个演示账号')")
    phone.wait_for_selector(".live-dot.online", timeout=15000)

    # The owner answers from his account page, in a second browser context.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(staff, base, "wanglei@yunfan.demo")
    staff.goto(f"{base}/customers/")
    staff.click("text=华东精密制造集团")
    panel = staff.locator("[data-testid=portal-panel]")
    panel.wait_for()
    assert "再开通两个演示账号" in panel.inner_text()
    assert "钱建国" in staff.locator("[data-testid=engagement]").inner_text()  # he opened the PDF
    staff.wait_for_selector("#portal .live-dot.online", timeout=15000)
    staff.fill("#staff-chat-body", "钱总，两个账号今天下午开好，开好后我在这里告诉您。")
    staff.click("[data-chat-form] button[type=submit]")
    phone.wait_for_selector("[data-testid=chat] li:has-text('两个账号今天下午开好')", timeout=10000)

    request = staff.locator(".request:has-text('再开通两个演示账号')")
    request.locator("textarea").fill("账号已开通，登录信息已发到张工邮箱。")
    request.locator("input[name=resolve]").check()
    request.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    answered = phone.locator(".request:has-text('再开通两个演示账号')")
    answered.locator("text=账号已开通").wait_for(timeout=10000)
    assert "已解决" in answered.inner_text()
    phone.screenshot(path=str(output_dir / "portal-answered.png"), full_page=True)
    staff.locator("#portal").screenshot(path=str(output_dir / "staff-portal-panel.png"))
