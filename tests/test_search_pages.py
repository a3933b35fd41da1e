"""The search page, the navigation box and suggestions while typing (pinyin and initials too)."""

from hub.departments import services as dept_services
from hub.extensions import db
from hub.models import User
from tests import search_backends
from tests.search_helpers import index_now, make_document

app = search_backends.app  # the fixture: every test here runs on both backends (Whoosh, PostgreSQL)


def suggest(client, q, headers=None):
    response = client.get("/api/v1/search/suggest", query_string={"q": q}, headers=headers or {})
    assert response.status_code == 200
    return response.get_json()["suggestions"]


def test_suggestions_by_text_pinyin_and_initials(app, people):
    """Typing 销售, xiaoshou or xsy suggests 销售易 titles; people and accounts are suggested too."""
    doc = make_document(people, "销售易部署指南", pages=["部署"], tags="部署,CRM")
    index_now(app)
    client = app.test_client()
    auth = people.auth("staff")
    for typed in ("销售", "xiaoshou", "xsy", "部署", "bushu"):
        labels = [(s["kind"], s["label"]) for s in suggest(client, typed, auth)]
        assert ("document", "销售易部署指南") in labels, (typed, labels)
    assert any(s["kind"] == "tag" and s["label"] == "部署" for s in suggest(client, "bus", auth))
    assert ("customer", "华东精密制造") in [(s["kind"], s["label"]) for s in suggest(client, "hdjm", auth)]
    assert ("person", "Expert") in [(s["kind"], s["label"]) for s in suggest(client, "expe", auth)]
    first = suggest(client, "xsy", auth)[0]
    assert first["url"].endswith(f"/documents/{doc}") and first["detail"]


def test_suggestions_respect_scope(app, people):
    """Suggestions never name what the reader may not find."""
    make_document(people, "内部底价表", visibility="department", pages=["底价"])
    index_now(app)
    client = app.test_client()
    assert suggest(client, "dijia", people.auth("staff"))
    assert suggest(client, "dijia", people.auth("expert")) == []
    assert suggest(client, "expe", people.auth("customer")) == []
    assert suggest(client, "", people.auth("staff")) == []
    assert suggest(client, "x" * 5000, people.auth("staff")) == []


def test_search_page_shows_results_facets_and_highlights(app, people, login_as):
    """The page lists hits with kind, department and a marked snippet, and offers facet links."""
    staff = db.session.get(User, people.ids["staff"])
    dept = staff.memberships[0].department
    dept_services.create_post(dept, staff, "客户拜访心得", "先了解<b>客户</b>的预算")
    db.session.commit()
    make_document(people, "客户画像模板", pages=["客户 画像"], category="case_study")
    index_now(app)
    client = login_as("staff")
    page = client.get("/search/?q=客户").get_data(as_text=True)
    assert "客户拜访心得" in page and "客户画像模板" in page
    assert "<mark>客户</mark>" in page
    assert "&lt;b&gt;" in page  # content is escaped, never rendered as markup
    assert "category=case_study" in page and "kind=post" in page
    filtered = client.get("/search/?q=客户&kind=post").get_data(as_text=True)
    assert "客户拜访心得" in filtered and "客户画像模板" not in filtered


def test_search_page_handles_bad_input(app, people, login_as):
    """Odd queries and parameters render a normal page with a notice."""
    client = login_as("staff")
    for url in (
        "/search/?q=%22abc",
        "/search/?q=" + "字" * 800,  # cut to the query limit; past the URL limit it is a 414
        "/search/?q=x&page=-5&department_id=abc",
        "/search/?q=x&min_rating=99&sort=zzz",
        "/search/",
    ):
        assert client.get(url).status_code == 200, url
    assert "引号或括号不成对" in client.get("/search/?q=%22abc").get_data(as_text=True)


def test_navigation_box_points_to_search_for_staff_and_customers(app, people, client, login_as):
    """The navigation search box submits to the search page and asks the suggest API while typing."""
    login_as("customer")
    page = client.get("/search/?q=交付").get_data(as_text=True)
    assert 'action="/search/"' in page and 'data-suggest="/api/v1/search/suggest"' in page
    assert "js/search.js" in page
