"""Browser journeys: a live Hub server on a free port, driven by headless Debian Chromium."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_flask(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


LIVE: dict = {}  # the live server's environment, for `token_for`


def token_for(email: str) -> str:
    """A personal access token for a demo person on the live server's instance."""
    return run_flask(LIVE["env"], "users", "token", email).strip().splitlines()[-1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Start `app.py` on a free port with a migrated, demo-loaded instance; yield its base URL."""
    instance = tmp_path_factory.mktemp("live")
    env = os.environ.copy() | {"HUB_INSTANCE": str(instance), "HUB_LOGIN_RATE_LIMIT": "1000 per minute"}
    env.pop("DATABASE_URL", None)
    env.pop("HUB_REDIS_URL", None)
    run_flask(env, "db", "upgrade")
    run_flask(env, "demo", "load")
    LIVE["env"] = env
    port = free_port()
    log = (instance / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/login", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("the live server did not start: " + (instance / "server.log").read_text())
    yield base
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make setup` installs Debian's chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def output_dir(request) -> Path:
    path = OUTPUT / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path


def sign_in(page, base: str, email: str, password: str = "demo-pass-2026") -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state()
    # The language choice is stored with the person: a journey that chose English earlier must not
    # leave the next one in English. Journeys that want English switch after signing in.
    if page.locator("html").get_attribute("lang") == "en":
        with page.expect_navigation():
            page.locator("form.lang-switch").evaluate("f => f.requestSubmit()")
        page.wait_for_load_state()


def open_composer(page) -> None:
    """Open the department page's upload composer, whether other tests left documents there or not.

    It starts open only while the list is empty; wait for the page first, so the check never reads the
    page we are leaving.
    """
    composer = page.locator("#documents details.composer")
    composer.wait_for(state="attached")
    if composer.get_attribute("open") is None:
        page.click("#documents details.composer > summary")
    page.locator("#documents input[data-files]").wait_for(state="attached")
