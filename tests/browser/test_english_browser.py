"""The English run: with the UI switched to English, no system text on any page kind is Chinese.

Demo data is Chinese user content and may stay so: every Chinese run of characters on a page must be
part of some text stored in the database (names, titles, bodies...). Anything else is system text that
was not translated. Stored notification texts and system-written feed lines are not counted as user
content: they are exactly what must be worded in the reader's language.
"""

import re
import sqlite3
from pathlib import Path

import pytest

from .conftest import LIVE, sign_in

pytestmark = pytest.mark.browser

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
SYSTEM_WRITTEN = {("notifications", "text")}
NATIVE_NAMES = {"中文"}  # the language switch names Chinese in Chinese, on purpose


MARKDOWN_MARKS = re.compile(r"[*_`#>~]+")


def user_content(instance: Path) -> str:
    """Every text value stored in the live instance, joined: the Chinese a page may show."""
    con = sqlite3.connect(instance / "hub.db")
    chunks = []
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
        for column in columns:
            if (table, column) in SYSTEM_WRITTEN:
                continue
            where = " WHERE kind != 'assessment'" if (table, column) == ("feed_events", "body") else ""
            for (value,) in con.execute(f'SELECT "{column}" FROM "{table}"{where}'):
                if isinstance(value, str) and CJK_RUN.search(value):
                    chunks.append(value)
                    chunks.append(MARKDOWN_MARKS.sub("", value))  # as rendered: `**发货**延迟` shows 发货延迟
    ids = {name: con.execute(sql).fetchone()[0] for name, sql in {
        "department": "SELECT MIN(id) FROM departments",
        "question": "SELECT MIN(id) FROM questions",
        "post": "SELECT MIN(id) FROM posts",
        "document": "SELECT MIN(id) FROM documents WHERE visibility = 'staff'",
        "account": "SELECT id FROM customer_accounts WHERE name LIKE '%华东%' OR id = (SELECT MIN(id) FROM customer_accounts) ORDER BY id LIMIT 1",
    }.items()}
    con.close()
    return "\n".join(chunks), ids


def chinese_system_text(page, corpus: str) -> list[str]:
    """Chinese runs in the visible text, placeholders, titles and labels that no stored text contains."""
    texts = page.evaluate("""() => {
        const out = [document.body.innerText, document.title];
        for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],option,button,input[type=submit]')) {
            for (const attr of ['placeholder', 'title', 'aria-label', 'value']) {
                if (el.getAttribute(attr)) out.push(el.getAttribute(attr));
            }
        }
        return out;
    }""")
    found = []
    for text in texts:
        for run in CJK_RUN.findall(text or ""):
            if run not in corpus and run not in NATIVE_NAMES and run not in found:
                found.append(run)
    return found


def click_language_switch(page) -> None:
    """On a phone the switch sits in the folded menu: open it first."""
    if not page.locator("[data-testid=lang-switch]").is_visible():
        page.click(".nav-toggle-label")
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state()


def switch_to_english(page) -> None:
    if page.locator("html").get_attribute("lang") != "en":
        click_language_switch(page)
    assert page.locator("html").get_attribute("lang") == "en"


def back_to_chinese(page) -> None:
    """The choice is stored with the person: give the next journey the default language back."""
    if page.locator("html").get_attribute("lang") == "en":
        click_language_switch(page)


def test_every_page_kind_speaks_english(live_server, browser, output_dir):
    """Sign in, switch to English, visit every staff page kind and the portal: no untranslated Chinese."""
    corpus, ids = user_content(Path(LIVE["env"]["HUB_INSTANCE"]))
    staff_pages = {
        "home": "/",
        "departments": "/departments/",
        "department": f"/departments/{ids['department']}",
        "question": f"/departments/questions/{ids['question']}",
        "post": f"/departments/posts/{ids['post']}",
        "documents": "/documents/",
        "document": f"/documents/{ids['document']}",
        "customers": "/customers/",
        "account": f"/customers/{ids['account']}",
        "openings": "/assessments/",
        "account-assessments": f"/assessments/accounts/{ids['account']}",
        "people": "/people",
        "search": "/search/?q=%E4%BA%A7%E5%93%81",
        "notifications": "/notifications/",
        "profile": "/profile",
        "admin": "/admin/",
    }
    problems = {}
    for width in (1280, 375):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, live_server, "admin@yunfan.demo")
        switch_to_english(page)
        try:
            for name, path in staff_pages.items():
                page.goto(live_server + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(output_dir / f"{name}-{width}.png"), full_page=True)
                found = chinese_system_text(page, corpus)
                if found:
                    problems[f"{path} @{width}"] = found
        finally:
            back_to_chinese(page)
            context.close()

        customer = browser.new_context(viewport={"width": width, "height": 900})
        page = customer.new_page()
        sign_in(page, live_server, "qian@hdjm.demo")
        switch_to_english(page)
        try:
            page.goto(live_server + "/portal/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(output_dir / f"portal-{width}.png"), full_page=True)
            found = chinese_system_text(page, corpus)
            if found:
                problems[f"/portal/ @{width}"] = found
        finally:
            back_to_chinese(page)
            customer.close()
    assert problems == {}, problems
