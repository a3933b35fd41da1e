"""Rankings, view counts and expert scores, computed from real rows."""

from datetime import timedelta

from hub.departments import services as knowledge
from hub.extensions import db
from hub.models import Department, DocumentView, User, utcnow
from hub.social import experts, rankings

from .social_helpers import api, make_document


def user(people, who) -> User:
    return db.session.get(User, people.ids[who])


def test_views_count_once_per_person_per_day(client, people):
    """Opening a document many times a day counts one view; the next day counts again."""
    doc_id = make_document(people)
    for _ in range(3):
        assert api(client, people, "staff", "POST", f"/documents/{doc_id}/views").status_code == 200
    api(client, people, "service", "POST", f"/documents/{doc_id}/views")
    rankings.record_view(people.ids["staff"], doc_id, day=utcnow().date() - timedelta(days=1))
    db.session.commit()
    assert rankings.view_count(doc_id) == 3
    hidden = make_document(people, dept="B", visibility="department")
    assert api(client, people, "staff", "POST", f"/documents/{hidden}/views").status_code == 404
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(DocumentView).where(DocumentView.document_id == hidden)
        )
        == 0
    )


def test_best_rated_uses_the_bayesian_average(client, people):
    """Four 4-5 star votes outrank a single 5-star vote; unrated documents are not listed."""
    single = make_document(people, title="一票五星")
    many = make_document(people, title="多票好评")
    make_document(people, title="没人评")
    api(client, people, "staff", "PUT", f"/documents/{single}/rating", {"stars": 5})
    for who, stars in (("staff", 5), ("service", 4), ("admin", 5), ("expert", 5)):
        api(client, people, who, "PUT", f"/documents/{many}/rating", {"stars": stars})
    ranked = rankings.best_rated(user(people, "staff"))
    assert [d.title for d, _score, _n, _avg in ranked] == ["多票好评", "一票五星"]
    listed = api(client, people, "staff", "GET", "/rankings").json
    assert [d["title"] for d in listed["best_rated"]] == ["多票好评", "一票五星"]
    assert listed["newest"][0]["title"] == "没人评"


def test_hot_prefers_recent_activity(client, people):
    """Activity in the last day outweighs the same activity a week ago; old activity drops out."""
    recent = make_document(people, title="最近热门")
    older = make_document(people, title="上周热门")
    stale = make_document(people, title="很久以前")
    today = utcnow().date()
    for who in ("staff", "service", "admin"):
        rankings.record_view(people.ids[who], recent, today)
        rankings.record_view(people.ids[who], older, today - timedelta(days=5))
        rankings.record_view(people.ids[who], stale, today - timedelta(days=30))
    db.session.commit()
    assert [d.title for d, _s in rankings.hot(user(people, "staff"))] == ["最近热门", "上周热门"]


def test_rankings_for_a_department_and_bad_queries(client, people):
    """A department filter narrows the lists; unknown departments and bad limits are 4xx."""
    make_document(people, dept="A", title="A 的文档", owner="staff")
    make_document(people, dept="B", title="B 的文档")
    listed = api(client, people, "staff", "GET", f"/rankings?department_id={people.departments['A']}").json
    assert [d["title"] for d in listed["newest"]] == ["A 的文档"]
    assert api(client, people, "staff", "GET", "/rankings?department_id=9999").status_code == 404
    assert api(client, people, "staff", "GET", "/rankings?limit=0").status_code == 422
    assert api(client, people, "staff", "GET", "/rankings?department_id=abc").status_code == 422


def test_expert_scores_count_documents_ratings_answers_and_helpful_comments(client, people):
    """Scores follow the documented points; own ratings and other departments do not count."""
    doc_id = make_document(people, dept="B", owner="expert", tags="SLA")
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})  # +2
    api(client, people, "expert", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})  # own: 0
    dept_b = db.session.get(Department, people.departments["B"])
    question = knowledge.ask(dept_b, user(people, "staff"), "SLA 怎么配？", "")
    accepted = knowledge.answer(question, user(people, "expert"), "两小时")
    knowledge.answer(question, user(people, "service"), "看合同")
    knowledge.accept(accepted)
    db.session.commit()
    cid = api(
        client, people, "service", "POST", f"/documents/{doc_id}/comments", {"body": "先确认合同"}
    ).json["id"]
    api(client, people, "staff", "PUT", f"/comments/{cid}/helpful")
    api(client, people, "expert", "PUT", f"/comments/{cid}/helpful")

    rows = experts.ranked(user(people, "staff"), department_id=people.departments["B"])
    scores = {c.user.name: c.score for c in rows}
    assert scores == {"Expert": 3 + 2 + 5 + 1, "Service": 1 + 2 * 2}
    by_tag = experts.ranked(user(people, "staff"), tag="SLA")
    assert {c.user.name: c.score for c in by_tag} == {"Expert": 5, "Service": 4}
    assert experts.ranked(user(people, "staff"), department_id=people.departments["A"]) == []
    listed = api(client, people, "staff", "GET", f"/experts?department_id={people.departments['B']}").json
    assert listed["experts"][0]["user"]["name"] == "Expert" and listed["experts"][0]["accepted"] == 1
    assert api(client, people, "staff", "GET", "/experts?tag=" + "x" * 60).status_code == 422


def test_people_suggestions_for_mentions(client, people):
    """Autocomplete finds staff by name prefix or e-mail, never customers."""
    names = [p["name"] for p in api(client, people, "staff", "GET", "/people/suggest?q=ex").json["people"]]
    assert names == ["Expert"]
    everyone = [p["name"] for p in api(client, people, "staff", "GET", "/people/suggest").json["people"]]
    assert "Customer" not in everyone and "Admin" in everyone
    assert api(client, people, "staff", "GET", "/people/suggest?q=%25").json["people"] == []


def test_remembered_lists_refresh_after_a_rating(client, people):
    """Rankings are remembered between requests, but a new rating shows at once."""
    doc_id = make_document(people, title="刚评分的文档")
    assert api(client, people, "staff", "GET", "/rankings").json["best_rated"] == []
    api(client, people, "service", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})
    assert [d["id"] for d in api(client, people, "staff", "GET", "/rankings").json["best_rated"]] == [doc_id]
    rankings.record_view(people.ids["staff"], doc_id)  # views wait for the next refresh
    db.session.commit()
    assert api(client, people, "staff", "GET", "/rankings").json["most_viewed"] == []
