"""Helpful votes on answers and comments, the experts formula that counts them, and the Q&A notifications."""

import pytest

from hub.departments import services as knowledge
from hub.errors import ValidationError
from hub.extensions import db
from hub.models import AnswerHelpful, Department, Notification, User
from hub.social import experts, services

from .conftest import csrf_token, login
from .social_helpers import api, make_document


def notes_of(people, who, kind):
    query = db.select(Notification).where(Notification.user_id == people.ids[who], Notification.kind == kind)
    return db.session.scalars(query).all()


def make_answer(people, asker="staff", answerer="expert", dept="B"):
    """A question in `dept` by `asker` with one answer by `answerer`; return (question, answer)."""
    department = db.session.get(Department, people.departments[dept])
    question = knowledge.ask(department, db.session.get(User, people.ids[asker]), "工单 SLA 怎么配？", "")
    reply = knowledge.answer(question, db.session.get(User, people.ids[answerer]), "在服务目录里配置")
    db.session.commit()
    return question, reply


def test_answer_vote_is_idempotent_and_shown_to_the_voter(client, people):
    """PUT twice leaves one vote; the answer's count and the caller's own state come back; DELETE takes it back."""
    question, reply = make_answer(people)
    first = api(client, people, "service", "PUT", f"/answers/{reply.id}/helpful")
    assert first.status_code == 200
    assert first.json == {"kind": "answer", "id": reply.id, "helpful": 1, "helpful_by_me": True}
    again = api(client, people, "service", "PUT", f"/answers/{reply.id}/helpful")
    assert again.json["helpful"] == 1
    api(client, people, "staff", "PUT", f"/answers/{reply.id}/helpful")
    shown = api(client, people, "service", "GET", f"/questions/{question.id}").json["answers"][0]
    assert shown["helpful"] == 2 and shown["helpful_by_me"] is True
    assert api(client, people, "admin", "GET", f"/questions/{question.id}").json["answers"][0]["helpful_by_me"] is False
    taken = api(client, people, "service", "DELETE", f"/answers/{reply.id}/helpful")
    assert taken.json == {"kind": "answer", "id": reply.id, "helpful": 1, "helpful_by_me": False}
    assert api(client, people, "service", "DELETE", f"/answers/{reply.id}/helpful").json["helpful"] == 1


def test_no_vote_on_ones_own_answer_and_none_for_customers(client, people):
    """The answerer gets 403 with a message in the reader's language; customers never reach the route."""
    _question, reply = make_answer(people)
    own = api(client, people, "expert", "PUT", f"/answers/{reply.id}/helpful")
    assert own.status_code == 403 and "自己" in own.json["error"]["message"]
    assert api(client, people, "customer", "PUT", f"/answers/{reply.id}/helpful").status_code in (403, 404)
    assert api(client, people, "service", "PUT", "/answers/999999/helpful").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(AnswerHelpful)) == 0


def test_set_helpful_service_for_scripts(app, people):
    """services.set_helpful records a vote on an answer or comment and refuses one's own, as the demo uses it."""
    _question, reply = make_answer(people)
    service_user = db.session.get(User, people.ids["service"])
    assert services.set_helpful(service_user, "answer", reply.id)["helpful"] == 1
    assert services.set_helpful(service_user, "answer", reply.id, on=True)["helpful"] == 1
    with pytest.raises(ValidationError):
        services.set_helpful(db.session.get(User, people.ids["expert"]), "answer", reply.id)
    with pytest.raises(ValidationError):
        services.set_helpful(service_user, "document", 1)
    assert services.set_helpful(service_user, "answer", reply.id, on=False)["helpful"] == 0


def test_experts_score_counts_helpful_votes_on_answers_and_comments(client, people):
    """Each helpful vote received adds two points, per department and overall; own votes are impossible."""
    _question, reply = make_answer(people)
    doc_id = make_document(people, owner="staff", dept="A")
    comment_id = api(client, people, "expert", "POST", f"/documents/{doc_id}/comments", {"body": "补充一点"}).json["id"]
    viewer = db.session.get(User, people.ids["admin"])

    def expert_row(department_id=None):
        rows = experts._ranked(viewer, department_id, None, 50)
        return next(r for r in rows if r.user.id == people.ids["expert"])

    before = expert_row()
    api(client, people, "service", "PUT", f"/answers/{reply.id}/helpful")
    api(client, people, "staff", "PUT", f"/answers/{reply.id}/helpful")
    api(client, people, "staff", "PUT", f"/comments/{comment_id}/helpful")
    after = expert_row()
    assert after.helpful == before.helpful + 3
    assert after.score == before.score + 3 * experts.POINTS["helpful"]
    listed = api(client, people, "admin", "GET", "/experts").json["experts"]
    assert next(e for e in listed if e["user"]["id"] == people.ids["expert"])["helpful"] == 3
    # Per department: the answer lies in B, the comment on A's document.
    assert expert_row(people.departments["B"]).helpful == 2


def test_question_page_shows_counts_and_the_readers_vote(app, login_as, client, people):
    """The question page draws the helpful button with the count and pressed state; the answerer sees a count."""
    question, reply = make_answer(people)
    api(client, people, "service", "PUT", f"/answers/{reply.id}/helpful")
    login_as("service")
    page = client.get(f"/departments/questions/{question.id}").get_data(as_text=True)
    assert f'data-testid="helpful-answer-{reply.id}"' in page
    assert 'aria-pressed="true"' in page and "data-helpful-count>1<" in page
    answerer = app.test_client()
    login(answerer, people.emails["expert"])
    page = answerer.get(f"/departments/questions/{question.id}").get_data(as_text=True)
    assert "1 位同事觉得有帮助" in page and "data-answer-helpful" not in page


def test_new_question_notifies_the_departments_members(client, people):
    """Asking on a department's board tells its members (kind "question"), not the asker nor other departments."""
    created = api(client, people, "expert", "POST", f"/departments/{people.departments['B']}/questions",
                  {"title": "新版本何时发布？", "body": ""})
    assert created.status_code == 201
    [note] = notes_of(people, "service", "question")
    assert note.url.endswith(f"/departments/questions/{created.json['id']}")
    assert notes_of(people, "expert", "question") == [] and notes_of(people, "staff", "question") == []


def test_accepting_an_answer_notifies_the_answerer_once(client, people, login_as):
    """Acceptance tells the answerer (kind "answer_accepted") once; accepting again tells nobody again."""
    question, reply = make_answer(people)
    assert api(client, people, "staff", "POST", f"/answers/{reply.id}/accept").status_code == 200
    api(client, people, "staff", "POST", f"/answers/{reply.id}/accept")
    [note] = notes_of(people, "expert", "answer_accepted")
    assert note.url.endswith(f"#answer-{reply.id}") and note.actor_id == people.ids["staff"]
    # The page form does the same; the answerer accepting their own answer is not told about it.
    _q2, own = make_answer(people, asker="expert", answerer="expert")
    login_as("expert")
    token = csrf_token(client, f"/departments/questions/{own.question_id}")
    assert client.post(f"/departments/answers/{own.id}/accept", data={"csrf_token": token}).status_code == 302
    assert db.session.get(type(own), own.id).accepted
    assert len(notes_of(people, "expert", "answer_accepted")) == 1
    assert question


def test_empty_rankings_and_experts_show_an_empty_state(login_as, client, people):
    """With nothing rated or viewed, the rankings say so in a paragraph, not as item 1 of a numbered list."""
    login_as("staff")
    home = client.get("/").get_data(as_text=True)
    ranking = home.split('data-testid="rankings"')[1]
    assert 'data-testid="rank-empty-all"' in ranking  # nothing at all yet: one note, in a paragraph
    assert '<li class="muted small">' not in ranking
    experts_page = client.get("/experts?tag=不存在").get_data(as_text=True)
    assert 'data-testid="experts-empty"' in experts_page and "积分如何计算" in experts_page
