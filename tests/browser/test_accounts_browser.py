"""A new colleague's first week: forgot the password, the admin makes a reset link, the profile names devices."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
PHONE = dict(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 900})


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("size", ["375", "1280"])
def test_login_page_leads_to_ask_the_administrator(live_server, browser, output_dir, size):
    """The sign-in page links to "forgot password", which says to ask the administrator."""
    context = browser.new_context(**(PHONE if size == "375" else DESKTOP), locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.screenshot(path=str(output_dir / f"login-{size}.png"), full_page=True)
    page.click("[data-testid=forgot-link]")
    assert "管理员" in page.locator("[data-testid=forgot-password]").inner_text()
    assert page_width(page) <= int(size)
    page.screenshot(path=str(output_dir / f"forgot-{size}.png"), full_page=True)
    page.click("text=返回登录")
    assert page.url.endswith("/login")
    context.close()


def test_admin_reset_link_lets_the_person_choose_a_new_password(live_server, browser, output_dir):
    """An admin creates a person and a reset link; the person opens it on a phone, sets a password, is signed in."""
    admin_context = browser.new_context(**DESKTOP, locale="zh-CN")
    admin = admin_context.new_page()
    sign_in(admin, live_server, "admin@yunfan.demo")
    admin.goto(f"{live_server}/admin/")
    admin.fill("input[name=u-email]", "xintongshi@yunfan.demo")
    admin.fill("input[name=u-name]", "辛同事")
    admin.select_option("select[name=u-job]", "sales")
    admin.fill("input[name=u-password]", "first-pass-2026")
    admin.click("form[action$='/admin/users'] button[type=submit]")
    row = admin.locator("tr", has_text="xintongshi@yunfan.demo")
    row.locator("[data-testid=make-reset-link]").click()
    link = admin.locator("[data-testid=reset-url]").inner_text()
    assert "/password-reset?token=" in link
    assert admin.locator("tr", has_text="xintongshi@yunfan.demo").locator("[data-testid=reset-open]").count() == 1
    admin.screenshot(path=str(output_dir / "admin-link-1280.png"), full_page=True)

    phone_context = browser.new_context(**PHONE, user_agent=ANDROID_CHROME, locale="zh-CN")
    phone = phone_context.new_page()
    phone.goto(link)
    assert "辛同事" in phone.locator("[data-testid=reset-password]").inner_text()
    phone.fill("input[name=new]", "short")
    phone.fill("input[name=confirm]", "short")
    phone.click("[data-testid=reset-submit]")
    assert phone.locator(".field.has-error").count() >= 1
    phone.screenshot(path=str(output_dir / "reset-error-375.png"), full_page=True)
    phone.fill("input[name=new]", "my-own-pass-2026")
    phone.fill("input[name=confirm]", "my-own-pass-2026")
    phone.click("[data-testid=reset-submit]")
    assert phone.url.rstrip("/") == live_server
    assert phone.locator(".flash-success").count() == 1

    phone.goto(f"{live_server}/profile")
    assert phone.locator("[data-testid=device-label]").first.inner_text() == "Android 上的 Chrome"
    assert page_width(phone) <= 375
    phone.screenshot(path=str(output_dir / "profile-375.png"), full_page=True)

    again = phone_context.new_page()
    again.goto(link)
    assert "无效" in again.locator("[data-testid=reset-invalid]").inner_text()
    again.screenshot(path=str(output_dir / "reset-used-375.png"), full_page=True)

    admin.reload()
    assert admin.locator("[data-testid=reset-url]").count() == 0  # shown once only
    assert admin.locator("tr", has_text="xintongshi@yunfan.demo").locator("[data-testid=reset-open]").count() == 0
    admin_context.close()
    phone_context.close()


def test_admin_and_profile_pages_fit_a_phone(live_server, browser, output_dir):
    """The admin and profile pages need no sideways scrolling of the page at 375 px, and read well at 1280 px."""
    for size, options in (("375", PHONE), ("1280", DESKTOP)):
        context = browser.new_context(**options, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server, "admin@yunfan.demo")
        page.goto(f"{live_server}/admin/")
        page.screenshot(path=str(output_dir / f"admin-{size}.png"), full_page=True)
        assert page_width(page) <= int(size)
        # Every person's buttons are on screen, not hidden past the edge of a sideways-scrolling table.
        last = page.locator("[data-testid=make-reset-link]").last.bounding_box()
        assert last["x"] + last["width"] <= int(size), last
        page.goto(f"{live_server}/profile")
        page.screenshot(path=str(output_dir / f"profile-{size}.png"), full_page=True)
        assert page_width(page) <= int(size)
        context.close()
