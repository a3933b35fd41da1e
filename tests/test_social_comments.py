"""Comments over the API: Markdown sanitised, mentions, edit/delete rules, moderation, bad input."""

from html.parser import HTMLParser

import pytest

from hub.departments import services as knowledge
from hub.extensions import db
from hub.models import Comment, CommentMention, Department, Notification, User

from .social_helpers import api, make_document


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def notes_of(people, who, kind=None):
    query = db.select(Notification).where(Notification.user_id == people.ids[who])
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


def test_comment_renders_markdown_and_lists_oldest_first(client, people):
    """A comment's Markdown becomes safe HTML; the list returns comments in order."""
    doc_id = make_document(people)
    first = api(
        client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "**很有用**，谢谢"}
    )
    assert first.status_code == 201
    assert "<strong>很有用</strong>" in first.json["html"]
    api(client, people, "service", "POST", f"/documents/{doc_id}/comments", {"body": "第二条"})
    listed = api(client, people, "admin", "GET", f"/documents/{doc_id}/comments").json["comments"]
    assert [c["body"] for c in listed] == ["**很有用**，谢谢", "第二条"]
    assert listed[0]["author"]["id"] == people.ids["staff"]


class TagCollector(HTMLParser):
    """Collect the real elements and attributes of rendered HTML (escaped text is not an element)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = TagCollector()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "[点我](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_scripts_and_javascript_links_are_rendered_harmless(client, people, body):
    """No script/img element, no event handler and no javascript: href survives rendering."""
    doc_id = make_document(people)
    response = api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": body})
    assert response.status_code == 201
    for tag, attrs in elements(response.json["html"]):
        assert tag in {"p", "a", "strong", "em", "code"}, tag
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript")


@pytest.mark.parametrize("body", ["", "   \n ", "长" * 5001, None, 42, ["x"]])
def test_empty_overlong_or_non_text_comments_are_refused(client, people, body):
    """Empty, blank, over 5000 characters or non-text bodies get a 422 and store nothing."""
    doc_id = make_document(people)
    response = api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": body})
    assert response.status_code == 422
    assert response.json["error"]["message"]
    assert count(Comment) == 0


def test_mention_notifies_the_colleague_and_links_the_name(client, people):
    """@Name of a colleague stores a mention, links to their profile and notifies them."""
    doc_id = make_document(people, owner="expert")
    response = api(
        client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "请 @Service 看看"}
    )
    assert response.status_code == 201
    assert response.json["mentions"] == [{"id": people.ids["service"], "name": "Service"}]
    assert f'href="/people/{people.ids["service"]}"' in response.json["html"]
    [note] = notes_of(people, "service", "mention")
    assert note.url == f"/documents/{doc_id}#comment-{response.json['id']}"
    assert note.actor_id == people.ids["staff"]
    # The owner hears of a comment on their document.
    assert len(notes_of(people, "expert", "comment")) == 1


def test_mention_of_nobody_is_refused(client, people):
    """@ a name that matches no colleague (or a customer) is a 422; nothing stored, nobody notified."""
    doc_id = make_document(people)
    for body in ("问问 @不存在的人 吧", "@Customer 你好"):
        response = api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": body})
        assert response.status_code == 422
        assert "@" in response.json["error"]["message"]
    assert count(Comment) == 0 and count(CommentMention) == 0 and count(Notification) == 0


def test_email_addresses_are_not_mentions(client, people):
    """An e-mail address in a comment is plain text, not a mention."""
    doc_id = make_document(people)
    response = api(
        client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "写信给 sales@yunfan.demo"}
    )
    assert response.status_code == 201 and response.json["mentions"] == []


def test_mentioned_person_who_cannot_see_the_document_is_not_notified(client, people):
    """A mention of someone outside a department-only document's department stores no notification."""
    doc_id = make_document(people, dept="B", visibility="department", owner="expert")
    response = api(
        client, people, "service", "POST", f"/documents/{doc_id}/comments", {"body": "@Staff 看看"}
    )
    assert response.status_code == 201
    assert notes_of(people, "staff") == []


def test_only_the_author_edits_and_admins_moderate(client, people):
    """The author edits and deletes; others get 403; an admin deletes anyone's comment but cannot edit it."""
    doc_id = make_document(people)
    cid = api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "初稿"}).json["id"]
    assert api(client, people, "service", "PATCH", f"/comments/{cid}", {"body": "篡改"}).status_code == 403
    assert api(client, people, "admin", "PATCH", f"/comments/{cid}", {"body": "篡改"}).status_code == 403
    assert api(client, people, "service", "DELETE", f"/comments/{cid}").status_code == 403
    edited = api(client, people, "staff", "PATCH", f"/comments/{cid}", {"body": "修改后 @Expert"})
    assert edited.status_code == 200 and edited.json["edited_at"] and edited.json["body"] == "修改后 @Expert"
    assert len(notes_of(people, "expert", "mention")) == 1
    assert api(client, people, "staff", "PATCH", f"/comments/{cid}", {"body": ""}).status_code == 422
    assert api(client, people, "admin", "DELETE", f"/comments/{cid}").status_code == 204
    assert db.session.get(Comment, cid).deleted_by_id == people.ids["admin"]
    assert api(client, people, "staff", "GET", f"/documents/{doc_id}/comments").json["comments"] == []
    assert api(client, people, "staff", "PATCH", f"/comments/{cid}", {"body": "复活"}).status_code == 404


def test_commenting_on_a_hidden_document_is_404(client, people):
    """Comments on a document the person cannot see answer 404 both ways; nothing stored."""
    doc_id = make_document(people, dept="B", visibility="department")
    assert (
        api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "hi"}).status_code
        == 404
    )
    assert api(client, people, "staff", "GET", f"/documents/{doc_id}/comments").status_code == 404
    cid = api(client, people, "expert", "POST", f"/documents/{doc_id}/comments", {"body": "内部"}).json["id"]
    for method in ("PATCH", "DELETE"):
        assert api(client, people, "staff", method, f"/comments/{cid}", {"body": "x"}).status_code == 404
    assert count(Comment) == 1


def test_comments_on_notes_and_answers_notify_their_authors(client, people):
    """Experience notes and answers take comments; their authors are notified."""
    dept = db.session.get(Department, people.departments["B"])
    expert = db.session.get(User, people.ids["expert"])
    post = knowledge.create_post(dept, expert, "经验", "正文")
    question = knowledge.ask(dept, db.session.get(User, people.ids["staff"]), "问题", "")
    reply = knowledge.answer(question, expert, "答案")
    db.session.commit()
    assert (
        api(client, people, "staff", "POST", f"/posts/{post.id}/comments", {"body": "赞"}).status_code == 201
    )
    assert (
        api(client, people, "staff", "POST", f"/answers/{reply.id}/comments", {"body": "谢谢"}).status_code
        == 201
    )
    assert len(notes_of(people, "expert", "comment")) == 2
    listed = api(client, people, "service", "GET", f"/answers/{reply.id}/comments").json["comments"]
    assert listed[0]["target"] == {"kind": "answer", "id": reply.id}


def test_helpful_marks_by_colleagues_only(client, people):
    """Colleagues mark a comment helpful once each; the author cannot mark their own."""
    doc_id = make_document(people)
    cid = api(client, people, "staff", "POST", f"/documents/{doc_id}/comments", {"body": "技巧"}).json["id"]
    assert api(client, people, "staff", "PUT", f"/comments/{cid}/helpful").status_code == 403
    api(client, people, "expert", "PUT", f"/comments/{cid}/helpful")
    again = api(client, people, "expert", "PUT", f"/comments/{cid}/helpful")
    assert again.json["helpful"] == 1 and again.json["helpful_by_me"] is True
    assert api(client, people, "expert", "DELETE", f"/comments/{cid}/helpful").json["helpful"] == 0


def test_answer_notification_reaches_the_asker(app, people):
    """notices.answer_posted tells the asker about a new answer."""
    from hub.social import notices

    dept = db.session.get(Department, people.departments["B"])
    question = knowledge.ask(dept, db.session.get(User, people.ids["staff"]), "SLA 怎么配？", "")
    reply = knowledge.answer(question, db.session.get(User, people.ids["expert"]), "两小时")
    db.session.commit()
    with app.test_request_context():
        notices.answer_posted(reply)
    [note] = notes_of(people, "staff", "answer")
    assert "SLA" in note.text and note.url.endswith(f"#answer-{reply.id}")


def test_answering_through_page_or_api_notifies_the_asker(client, people, login_as):
    """A new answer (API or page) notifies the asker, never the asker answering themself."""
    dept = db.session.get(Department, people.departments["B"])
    question = knowledge.ask(dept, db.session.get(User, people.ids["staff"]), "报价怎么拆？", "")
    db.session.commit()
    api(client, people, "expert", "POST", f"/questions/{question.id}/answers", {"body": "分模块报"})
    api(client, people, "staff", "POST", f"/questions/{question.id}/answers", {"body": "我自己补充"})
    login_as("service")
    from .conftest import csrf_token

    token = csrf_token(client, f"/departments/questions/{question.id}")
    client.post(f"/departments/questions/{question.id}/answers", data={"body": "页面回答", "csrf_token": token})
    notes = notes_of(people, "staff", "answer")
    assert sorted(n.actor_id for n in notes) == sorted([people.ids["expert"], people.ids["service"]])
