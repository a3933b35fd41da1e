"""Assessment pages: scoring through the form, past business, the account page's panel, the overview charts."""

import re

import pytest

from hub.extensions import db
from hub.models import AccountShare, Assessment, FeedEvent

from .assessments_helpers import GOOD, accounts, assess, counts
from .conftest import csrf_token


@pytest.fixture
def acc(app, people):
    return accounts(people)


def form_post(client, path, data, token_from):
    return client.post(path, data=data | {"csrf_token": csrf_token(client, token_from)})


SHEET = {"deal_revenue": "8", "quota_effect": "7", "follow_on": "9", "reference_value": "8", "team_morale": "6",
         "territory": "ours", "position": "even", "competitor": "远图软件", "deal_value": "150",
         "opportunity": "三厂统一平台", "note": "对手在压价"}


def test_staff_score_an_account_through_the_form(client, people, acc, login_as):
    """The sheet's lines make the scores; the account page then shows the verdicts, the history and the feed event."""
    login_as("staff")
    page = f"/assessments/accounts/{acc['X']}"
    assert "还没有评估过" in client.get(page).get_data(as_text=True)
    response = form_post(client, page, SHEET, page)
    assert response.status_code == 302
    stored = db.session.query(Assessment).one()
    assert (stored.short_term, stored.long_term, stored.author_id) == (7.5, 7.7, people.ids["staff"])
    html = client.get(page).get_data(as_text=True)
    assert "业务大 · 影响大" in html and "问题开局" in html
    assert "我方地盘 × 势均力敌" in html and "对手在压价" in html
    assert f'id="a{stored.id}"' in html
    event = db.session.query(FeedEvent).filter_by(kind="assessment").one()
    assert event.author_id == people.ids["staff"] and "问题开局" in event.body


def test_a_refused_form_keeps_what_was_typed_and_stores_nothing(client, acc, login_as):
    login_as("staff")
    page = f"/assessments/accounts/{acc['X']}"
    response = form_post(client, page, SHEET | {"short_term": "11"}, page)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-error-for="short_term"' in html and "对手在压价" in html and 'value="三厂统一平台"' in html
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("change", [{"territory": "mine"}, {"position": "ahead"}, {"team_morale": "12"},
                                    {"deal_value": "-3"}, {"position": ""}])
def test_bad_form_values_answer_422(client, acc, login_as, change):
    login_as("staff")
    page = f"/assessments/accounts/{acc['X']}"
    assert form_post(client, page, SHEET | change, page).status_code == 422
    assert counts() == (0, 0, 0)


def test_the_form_needs_its_csrf_token(client, acc, login_as):
    login_as("staff")
    response = client.post(f"/assessments/accounts/{acc['X']}", data=SHEET)
    assert response.status_code == 400
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("who", ["customer", "other_customer"])
def test_customers_are_refused_every_assessment_page(client, people, acc, login_as, who):
    login_as(who)
    for path in ("/assessments/", f"/assessments/accounts/{acc['X']}"):
        assert client.get(path).status_code == 403
    token = csrf_token(client, "/profile")
    assert client.post(f"/assessments/accounts/{acc['X']}", data=SHEET | {"csrf_token": token}).status_code == 403
    assert client.post(f"/assessments/accounts/{acc['X']}/shares",
                       data={"party": "ours", "amount": "5", "csrf_token": token}).status_code == 403
    assert counts() == (0, 0, 0)


def test_past_business_suggests_the_territory(client, acc, login_as):
    """Recorded shares pick the territory the form proposes; removing a rival changes the suggestion."""
    login_as("staff")
    page = f"/assessments/accounts/{acc['X']}"
    shares = f"{page}/shares"
    assert form_post(client, shares, {"party": "ours", "amount": "40"}, page).status_code == 302
    assert form_post(client, shares, {"party": "rival", "competitor": "远图软件", "amount": "160"}, page).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert re.search(r'<option value="theirs" selected>对手地盘 （按历史成交推荐）', html)
    assert "推荐：" in html and "80%" in html
    form_post(client, shares, {"party": "rival", "competitor": "远图软件", "action": "remove"}, page)
    assert [(s.competitor, s.amount) for s in db.session.query(AccountShare)] == [("", 40.0)]
    assert re.search(r'<option value="ours" selected>', client.get(page).get_data(as_text=True))


@pytest.mark.parametrize("data", [{"party": "ours", "amount": "很多"}, {"party": "ours", "amount": "-1"},
                                  {"party": "ours", "amount": "nan"}, {"party": "rival", "amount": "10"},
                                  {"party": "rival", "competitor": "x" * 81, "amount": "10"}])
def test_bad_past_business_is_refused(client, acc, login_as, data):
    login_as("staff")
    page = f"/assessments/accounts/{acc['X']}"
    response = form_post(client, f"{page}/shares", data, page)
    assert response.status_code == 302
    assert "flash-error" in client.get(page).get_data(as_text=True)
    assert counts() == (0, 0, 0)


def test_account_page_shows_the_panel_and_how_scores_moved(client, people, acc, login_as):
    """The customer page carries the latest verdicts, a history chart once there are two, and a link."""
    login_as("staff")
    show = f"/customers/{acc['X']}"
    html = client.get(show).get_data(as_text=True)
    assert 'data-testid="assessment-panel"' in html and "评估这个客户" in html
    assess(client, people, "staff", acc["X"], **(GOOD | {"position": "trail", "short_term": 3}))
    assess(client, people, "staff", acc["X"], **GOOD)
    html = client.get(show).get_data(as_text=True)
    panel = html.split('data-testid="assessment-panel"')[1].split('<div class="card">', 1)[0]
    assert "正常开局" in panel and "共 2 次评估" in html
    assert html.count('class="line-short"') == 1 and "history-chart" in html
    assert f'href="/assessments/accounts/{acc["X"]}"' in html
    assert html.count('kind-assessment') >= 2  # both are events in the feed


def test_overview_charts_link_to_accounts_and_cells(client, people, acc, login_as):
    """Each dot links to its account; each of the nine cells links to its list; a cell filter lists only its accounts."""
    assess(client, people, "staff", acc["X"], **GOOD)
    assess(client, people, "staff", acc["Y"], short_term=2, long_term=9, territory="theirs", position="even",
           deal_value=20)
    login_as("expert")
    html = client.get("/assessments/").get_data(as_text=True)
    assert html.count('class="dot-link"') == 2
    assert f'href="/assessments/accounts/{acc["X"]}" class="dot-link"' in html
    assert html.count('class="cell-link"') == 9
    assert 'href="/assessments/?territory=theirs&amp;position=even#accounts"' in html
    listed = client.get("/assessments/?territory=theirs&position=even").get_data(as_text=True)
    items = listed.split('data-testid="assessment-list"')[1]
    assert "宏远物流" in items and "华东精密制造" not in items
    assert "cell cls-problem selected" in listed


def test_bigger_deals_draw_bigger_dots(client, people, acc, login_as):
    assess(client, people, "staff", acc["X"], **(GOOD | {"deal_value": 400}))
    assess(client, people, "staff", acc["Y"], **(GOOD | {"deal_value": 25}))
    login_as("staff")
    html = client.get("/assessments/").get_data(as_text=True)
    radii = {int(a): float(r) for r, a in re.findall(r'r="([\d.]+)" class="dot cls-\w+" data-account="(\d+)"', html)}
    assert radii[acc["X"]] > radii[acc["Y"]]


@pytest.mark.parametrize("query", ["?territory=<script>", "?cls=nope&quadrant=1", "?position=lead&territory="])
def test_odd_overview_filters_are_ignored(client, people, acc, login_as, query):
    assess(client, people, "staff", acc["X"], **GOOD)
    login_as("staff")
    response = client.get("/assessments/" + query)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("</header>")[1]


def test_names_are_escaped_inside_the_svg(client, people, acc, login_as):
    assess(client, people, "staff", acc["X"], **(GOOD | {"opportunity": '<script>alert(1)</script>"'}))
    login_as("staff")
    html = client.get("/assessments/").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_pages_carry_no_inline_styles_or_scripts(client, people, acc, login_as):
    """The CSP forbids inline styles and scripts: the charts and the panel use attributes and classes only."""
    assess(client, people, "staff", acc["X"], **GOOD)
    assess(client, people, "staff", acc["X"], **(GOOD | {"position": "even"}))
    login_as("staff")
    for path in ("/assessments/", f"/assessments/accounts/{acc['X']}", f"/customers/{acc['X']}"):
        html = client.get(path).get_data(as_text=True)
        assert " style=" not in html and "<style" not in html, path
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [], path
