"""A phone-sized journey through the openings: tap a grid cell, then a dot, then score the account."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from .browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser

CREATE_TABLES = "from app import app; from hub.extensions import db; app.app_context().push(); db.create_all()"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live server on a demo instance (tables from the models, so this runs before migrations catch up)."""
    instance = tmp_path_factory.mktemp("assess-live")
    env = os.environ.copy() | {"HUB_INSTANCE": str(instance), "HUB_LOGIN_RATE_LIMIT": "1000 per minute"}
    env.pop("DATABASE_URL", None)
    env.pop("HUB_REDIS_URL", None)
    subprocess.run([sys.executable, "-c", CREATE_TABLES], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "demo", "load"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    port = free_port()
    with (instance / "server.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                requests.get(f"{base}/login", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def phone(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 375, "height": 760}).new_page()
        page.goto(f"{server}/login")
        page.fill("input[name=email]", "wanglei@yunfan.demo")
        page.fill("input[name=password]", "demo-pass-2026")
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{server}/**")
        yield page
        browser.close()


def test_tap_cell_then_dot_then_score(server, phone):
    """The grid cell lists its accounts; a dot opens its account; a new assessment shows at once, page fits 375 px."""
    phone.goto(f"{server}/assessments/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator('[data-cell="ours-trail"]').click()
    phone.wait_for_url("**territory=ours&position=trail**")
    assert phone.locator('[data-testid="assessment-list"]').inner_text().count("宏远物流股份") == 1
    phone.goto(f"{server}/assessments/")
    phone.locator(".dot-link").first.click()
    phone.wait_for_url("**/assessments/accounts/*")
    phone.locator("#new summary").click()
    phone.fill("#f-short_term", "9")
    phone.fill("#f-long_term", "2")
    phone.select_option("#f-territory", "theirs")
    phone.locator("label.choice", has_text="我方领先").click()
    phone.fill("#f-note", "对手的老客户主动找上门")
    phone.locator("form.assess-form button[type=submit]").click()
    phone.wait_for_load_state()
    current = phone.locator('[data-testid="current-assessment"]').inner_text()
    assert "业务大 · 影响小" in current and "反常开局" in current
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
