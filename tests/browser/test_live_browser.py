"""One Socket.IO connection per page, and what a reader may do with a live feed item decided by the server."""

import re

import pytest
import requests

from ..documents_helpers import pdf_bytes
from .conftest import open_composer, sign_in, token_for

pytestmark = pytest.mark.browser


def count_handshakes(page) -> list[str]:
    """Engine.IO sessions the page's current document opens: a polling or WebSocket request with no `sid` yet."""
    opened: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and opened.clear())
    page.on("request", lambda r: "/socket.io/" in r.url and "sid=" not in r.url and opened.append(r.url))
    page.on("websocket", lambda ws: "/socket.io/" in ws.url and "sid=" not in ws.url and opened.append(ws.url))
    return opened


def test_documents_page_shares_the_one_connection(live_server, browser, output_dir, tmp_path):
    """An upload on a department page watches its preview on live.js's connection, not a second one."""
    pdf = tmp_path / "共享连接.pdf"
    pdf.write_bytes(pdf_bytes(2, title="共享连接"))
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, live_server, "lina@yunfan.demo")
    page.goto(f"{live_server}/departments/")
    page.click("text=智能客服产品部")
    opened = count_handshakes(page)
    page.reload()
    open_composer(page)
    page.set_input_files("#documents input[data-files]", str(pdf))
    page.select_option("#documents select[name=category]", "competitor")
    page.click("#documents [data-submit]")
    page.wait_for_selector(".upload-item [data-state=ready]", timeout=30000)
    assert len(opened) == 1, opened
    page.context.close()


def test_task_controls_come_from_the_server_live_and_after_a_reconnect(live_server, browser, output_dir):
    """The admin watches a new account: a live task has its control (one connection on the page); a task that
    arrives in the replay after the account was disabled has none, as on the server-rendered page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    act = context.new_page()
    sign_in(act, live_server, "admin@yunfan.demo")
    act.goto(f"{live_server}/admin/")
    act.fill("input[name=a-name]", "停用测试客户")
    act.locator("form:has(input[name=a-name]) button[type=submit]").click()
    act.wait_for_load_state()

    watch = context.new_page()
    watch.goto(f"{live_server}/customers/")
    watch.click("text=停用测试客户")
    account_id = int(re.search(r"/customers/(\d+)", watch.url).group(1))
    opened = count_handshakes(watch)
    watch.reload()
    watch.wait_for_selector("#live-state.online", timeout=15000)

    bystander = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(bystander, live_server, "sunyue@yunfan.demo")
    bystander.goto(f"{live_server}/customers/{account_id}")
    bystander.wait_for_selector("#live-state.online", timeout=15000)

    auth = {"Authorization": f"Bearer {token_for('wanglei@yunfan.demo')}"}
    url = f"{live_server}/api/v1/customers/{account_id}/events"
    live = requests.post(url, json={"kind": "task", "body": "在线任务"}, headers=auth, timeout=10).json()
    watch.wait_for_selector(f"#e{live['id']}", timeout=10000)
    assert watch.locator(f"#e{live['id']} form.item-action").count() == 1  # an admin may change it
    bystander.wait_for_selector(f"#e{live['id']}", timeout=10000)
    assert bystander.locator(f"#e{live['id']} form.item-action").count() == 0  # neither author, assignee nor owner
    assert len(opened) == 1, opened
    # The live card's form works like the page's (its CSRF token was rendered for this reader).
    watch.locator(f"#e{live['id']} form.item-action button").click()
    watch.wait_for_selector(f"#e{live['id']} .status-done", timeout=10000)
    watch.wait_for_selector("#live-state.online", timeout=15000)

    watch.evaluate("window.Hub.socket.disconnect()")
    watch.wait_for_selector("#live-state.offline")
    missed = requests.post(url, json={"kind": "task", "body": "离线任务"}, headers=auth, timeout=10).json()
    act.goto(f"{live_server}/admin/")
    act.locator("li:has-text('停用测试客户') form button").click()
    act.wait_for_load_state()
    watch.evaluate("window.Hub.socket.connect()")
    watch.wait_for_selector(f"#e{missed['id']}", timeout=10000)
    assert watch.locator(f"#e{missed['id']} form.item-action").count() == 0  # a disabled account takes no changes
    watch.screenshot(path=str(output_dir / "feed-after-reconnect.png"), full_page=True)
    context.close()
    bystander.context.close()
