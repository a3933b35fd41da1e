"""Refused department and admin forms: each message under its own field, in the reader's language, typed text kept."""

import re

import pytest
from sqlalchemy import func, select

from hub.extensions import db
from hub.models import Post, Question, User

from .conftest import csrf_token

MISSING = {"": "请填写此项。", "en": "Please fill in this field."}


def block(html: str, name: str) -> str:
    """The `.field` wrapper holding the input or textarea named `name`."""
    match = re.search(rf'<div class="field[^"]*">(?:(?!<div class="field).)*?name="{re.escape(name)}"'
                      rf'(?:(?!<div class="field).)*', html, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def send(client, page: str, action: str, data: dict, lang: str = ""):
    token = csrf_token(client, page)
    return client.post(action + (f"?lang={lang}" if lang else ""), data=data | {"csrf_token": token})


def no_banner(html: str) -> None:
    assert "flash-error" not in html and "Field required" not in html and "must not be empty" not in html


@pytest.mark.parametrize("lang", ["", "en"])
def test_a_note_without_title_names_the_title_and_keeps_the_text(login_as, people, lang):
    client = login_as("staff")
    dept = people.departments["A"]
    response = send(client, f"/departments/{dept}", f"/departments/{dept}/posts",
                    {"post-title": "   ", "post-body": "客户最关心交付周期"}, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    no_banner(html)
    title = block(html, "post-title")
    assert "has-error" in title and MISSING[lang] in title and 'data-error-for="post-title"' in title
    assert 'aria-describedby="err-post-title"' in title
    assert "客户最关心交付周期" in block(html, "post-body") and "error" not in block(html, "post-body")
    assert re.search(r'<details class="composer" open>\s*<summary class="button">', html)  # the note composer stays open
    assert db.session.scalar(select(func.count()).select_from(Post)) == 0


@pytest.mark.parametrize(("lang", "words"), [("", "最多 200 个字符。"), ("en", "At most 200 characters.")])
def test_a_too_long_question_is_named_under_it(login_as, people, lang, words):
    client = login_as("staff")
    dept = people.departments["A"]
    long_title = "交期" * 101
    response = send(client, f"/departments/{dept}", f"/departments/{dept}/questions",
                    {"q-title": long_title, "q-body": "细节"}, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    no_banner(html)
    assert words in block(html, "q-title") and long_title in block(html, "q-title")
    assert "细节" in block(html, "q-body")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


@pytest.mark.parametrize(("lang", "words"), [("", "最多 20000 个字符。"), ("en", "At most 20000 characters.")])
def test_a_too_long_answer_keeps_its_text(login_as, people, lang, words):
    client = login_as("staff")
    dept = people.departments["A"]
    send(client, f"/departments/{dept}", f"/departments/{dept}/questions", {"q-title": "如何报价？"})
    question = db.session.scalar(select(Question))
    page = f"/departments/questions/{question.id}"
    text = "报价" * 10001
    response = send(client, page, f"{page}/answers", {"body": text}, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    no_banner(html)
    assert words in block(html, "body") and text in block(html, "body")
    assert question.answers == []


@pytest.mark.parametrize(("lang", "words"), [("", "客户用户必须属于一个客户账户。"),
                                             ("en", "A customer user must belong to a customer account.")])
def test_an_admin_refusal_lands_on_the_field_it_is_about(login_as, lang, words):
    """A customer without an account: the message is under the account field, not the e-mail."""
    client = login_as("admin")
    response = send(client, "/admin/", "/admin/users", {
        "u-email": "new@test.hub", "u-name": "新同事", "u-role": "customer", "u-job": "",
        "u-department": "", "u-account": "", "u-password": "long-enough-1"}, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in block(html, "u-account") and 'data-error-for="u-account"' in block(html, "u-account")
    assert "error" not in block(html, "u-email") and 'value="new@test.hub"' in block(html, "u-email")
    assert 'value="新同事"' in block(html, "u-name")
    assert db.session.scalar(select(User).where(User.email == "new@test.hub")) is None


def test_a_department_refusal_for_a_customer_lands_on_the_department(login_as):
    client = login_as("admin")
    html = send(client, "/admin/", "/admin/users", {
        "u-email": "kunde@test.hub", "u-name": "客户乙", "u-role": "customer", "u-job": "",
        "u-department": "销售通产品部", "u-account": "乙公司", "u-password": "long-enough-1"}, "en").get_data(as_text=True)
    assert "Customer users do not join departments." in block(html, "u-department")
    assert "error" not in block(html, "u-email")


def test_the_staff_portal_panel_renders_request_markdown(app, client, people, login_as):
    """The request text reads as the feed shows it: sanitised Markdown, no raw ** characters."""
    app.test_client().post("/api/v1/portal/requests", json={"body": "请**尽快**开通 <script>x</script>"},
                           headers=people.auth("customer"))
    client = login_as("staff")
    html = client.get(f"/customers/{people.accounts['customer']}").get_data(as_text=True)
    body = re.search(r'data-testid="request-body">(.*?)</div>', html, re.S)
    assert body, "no request in the portal panel"
    assert "<strong>尽快</strong>" in body.group(1) and "**" not in body.group(1)
    assert "<script>" not in body.group(1)


@pytest.mark.parametrize("lang", ["", "en"])
def test_the_experts_intro_counts_answers_as_found_helpful(login_as, lang):
    html = login_as("staff").get("/experts" + ("?lang=en" if lang else "")).get_data(as_text=True)
    intro = re.search(r'<p class="muted">(.*?)</p>', html, re.S).group(1)
    if lang:
        assert "answers and comments others found helpful" in intro
    else:
        assert "被认为有帮助的回答和评论" in intro
