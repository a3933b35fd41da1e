"""A refused portal request comes back as the form, open, with what was typed and the message under the text."""

import re

import pytest

from hub.extensions import db
from hub.models import PortalRequest

from .conftest import csrf_token
from .portal_helpers import signed_in


def _post(client, **form):
    data = {"csrf_token": client.csrf, "kind": "complaint", "severity": "high"} | form
    return client.post("/portal/requests", data=data)


def _english(client):
    client.post("/language/en", data={"csrf_token": client.csrf, "next": "/portal/"})
    client.csrf = csrf_token(client, "/portal/")


def _body_error(html: str) -> str:
    found = re.search(r'<p class="error field-error" id="err-body" data-error-for="body">([^<]*)</p>', html)
    assert found, "no message under the text"
    return found.group(1)


@pytest.mark.parametrize(("lang", "empty", "too_long"), [
    ("zh", "请填写此项。", "最多 5000 个字符。"),
    ("en", "Please fill in this field.", "At most 5000 characters."),
])
def test_refused_request_keeps_the_form_and_says_why_by_the_field(app, people, lang, empty, too_long):
    client = signed_in(app, people, "customer")
    if lang == "en":
        _english(client)
    blank = _post(client, body="   ")
    html = blank.get_data(as_text=True)
    assert blank.status_code == 422
    assert _body_error(html) == empty
    assert 'class="flash' not in html  # the message sits by the field, not in a banner
    assert re.search(r'<details class="portal-compose" open', html)
    assert 'aria-invalid="true" aria-describedby="err-body"' in html
    assert '<option value="complaint" selected>' in html and '<option value="high" selected>' in html

    typed = "设备在第三班次反复报警，" * 500  # 6000 characters
    long = _post(client, body=typed)
    html = long.get_data(as_text=True)
    assert long.status_code == 422
    assert _body_error(html) == too_long
    assert typed in html  # nothing the customer typed is lost
    assert db.session.query(PortalRequest).count() == 0


def test_accepted_request_still_thanks_and_redirects(app, people):
    client = signed_in(app, people, "customer")
    done = _post(client, body="请帮我们开通两个新账号")
    assert done.status_code == 302
    assert db.session.query(PortalRequest).count() == 1
