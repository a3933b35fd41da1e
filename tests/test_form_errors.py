"""Refused forms: each message sits under its own field, in the reader's language, and what was typed stays."""

import re

import pydantic
import pytest

from hub.assessments.schemas import AssessmentIn
from hub.errors import field_errors

from .assessments_helpers import GOOD, accounts, assess, counts
from .conftest import csrf_token

SHEET = {"deal_revenue": "8", "quota_effect": "7", "follow_on": "9", "reference_value": "8", "team_morale": "6",
         "territory": "ours", "competitor": "远图软件", "deal_value": "150", "opportunity": "三厂统一平台",
         "note": "客户周二再谈"}


@pytest.fixture
def acc(app, people):
    return accounts(people)


def field_block(html: str, name: str) -> str:
    """The form field holding input `name` (its wrapper div, up to the next field)."""
    match = re.search(rf'<div class="(?:score-)?field[^"]*"[^>]*>(?:(?!<div class="(?:score-)?field).)*?name="{name}"'
                      rf'(?:(?!<div class="(?:score-)?field).)*', html, re.S)
    assert match, f"no field {name}"
    return match.group(0)


def post_sheet(client, account_id: int, data: dict, lang: str = ""):
    page = f"/assessments/accounts/{account_id}"
    token = csrf_token(client, page)
    return client.post(page + (f"?lang={lang}" if lang else ""), data=data | {"csrf_token": token})


@pytest.mark.parametrize(("lang", "missing"), [("", "请填写此项。"), ("en", "Please fill in this field.")])
def test_a_missing_position_is_named_under_its_field_and_the_sheet_is_kept(client, acc, login_as, lang, missing):
    """No raw 'position: Field required' banner: the message is in the position field, the typed values stay."""
    login_as("staff")
    response = post_sheet(client, acc["X"], SHEET, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Field required" not in html and "position:" not in html and "flash-error" not in html
    position = field_block(html, "position")
    assert "has-error" in position and missing in position and 'data-error-for="position"' in position
    assert "客户周二再谈" in field_block(html, "note") and 'value="三厂统一平台"' in field_block(html, "opportunity")
    assert 'value="8"' in field_block(html, "deal_revenue") and "error" not in field_block(html, "deal_revenue")
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(("lang", "words"), [("", ("最多 5000 个字符。", "不能大于 10。")),
                                             ("en", ("At most 5000 characters.", "At most 10."))])
def test_every_refused_field_gets_its_own_message(client, acc, login_as, lang, words):
    login_as("staff")
    bad = SHEET | {"position": "lead", "note": "长" * 5001, "team_morale": "12"}
    html = post_sheet(client, acc["X"], bad, lang).get_data(as_text=True)
    too_long, too_big = words
    assert too_long in field_block(html, "note") and too_big in field_block(html, "team_morale")
    assert 'value="12"' in field_block(html, "team_morale")


def test_a_service_refusal_lands_on_its_field(client, acc, login_as):
    """Scores missing with no sheet lines: the service names short_term, and the page shows it there."""
    login_as("staff")
    data = {"territory": "ours", "position": "lead", "long_term": "6", "note": "只填了长期"}
    html = post_sheet(client, acc["X"], data).get_data(as_text=True)
    assert "请填写总分，或为上面各项打分。" in field_block(html, "short_term")
    assert "只填了长期" in html and "short_term:" not in html


def test_the_api_answers_every_field_with_its_message(client, people, acc):
    """JSON refusals carry {"fields": {name: message}} in the reader's language besides the headline."""
    response = client.post(f"/api/v1/customers/{acc['X']}/assessments?lang=en",
                           json=GOOD | {"note": "x" * 5001, "position": "ahead"}, headers=people.auth("staff"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["fields"] == {"position": "Please choose one of the options.", "note": "At most 5000 characters."}
    assert body["error"]["field"] == "position" and "position" in body["error"]["message"]
    zh = assess(client, people, "staff", acc["X"], **(GOOD | {"short_term": True})).get_json()
    assert zh["fields"] == {"short_term": "请填写数字。"}


def test_field_errors_translate_each_pydantic_type(app):
    with app.test_request_context("/?lang=en"):
        with pytest.raises(pydantic.ValidationError) as caught:
            AssessmentIn.model_validate({"short_term": "abc", "deal_revenue": 2.5, "opportunity": ["x"]})
        assert field_errors(caught.value) == {
            "short_term": "Please give a number.", "deal_revenue": "Please give a whole number.",
            "opportunity": "Please give text.", "position": "Please fill in this field."}


def composer_post(client, account_id: int, data: dict, lang: str = ""):
    page = f"/customers/{account_id}"
    token = csrf_token(client, page)
    return client.post(f"{page}/events" + (f"?lang={lang}" if lang else ""), data=data | {"csrf_token": token})


@pytest.mark.parametrize(("lang", "missing"), [("", "请填写此项。"), ("en", "Please fill in this field.")])
def test_the_feed_composer_names_a_missing_text_under_it(client, acc, login_as, lang, missing):
    """No 'note.body: Field required' banner: the composer stays open with the message under its text."""
    login_as("staff")
    response = composer_post(client, acc["X"], {"kind": "task", "body": "  ", "due_date": "2026-03-01"}, lang)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Field required" not in html and "body:" not in html and "flash-error" not in html
    body = field_block(html, "body")
    assert missing in body and 'data-error-for="body"' in body
    assert '<option value="task" selected' in html and 'value="2026-03-01"' in html


def test_the_feed_composer_keeps_a_too_long_text(client, acc, login_as):
    login_as("staff")
    html = composer_post(client, acc["X"], {"kind": "note", "body": "拜访" * 2501}).get_data(as_text=True)
    assert "最多 5000 个字符。" in field_block(html, "body") and "拜访" * 2501 in html
