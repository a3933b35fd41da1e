"""Social pages and partials: rankings on home and department pages, experts, profiles, comment threads."""

from flask import render_template_string

from hub.departments import services as knowledge
from hub.extensions import db
from hub.models import Department, Document, User
from hub.social import rankings

from .social_helpers import api, make_document


def test_home_and_department_pages_show_rankings(login_as, client, people):
    """The home page ranks all visible documents; a department page only its own."""
    a_doc = make_document(people, dept="A", owner="staff", title="销售通报价单")
    b_doc = make_document(people, dept="B", title="客服白皮书")
    api(client, people, "service", "PUT", f"/documents/{b_doc}/rating", {"stars": 5})
    login_as("staff")
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="rankings"' in home and "销售通报价单" in home and "客服白皮书" in home
    dept_page = client.get(f"/departments/{people.departments['A']}").get_data(as_text=True)
    assert "销售通报价单" in dept_page and "客服白皮书" not in dept_page
    # The lists are remembered briefly; a later request renders the remembered plain values.
    assert "客服白皮书" in client.get("/").get_data(as_text=True)
    assert a_doc


def test_rankings_hide_documents_the_reader_cannot_see(app, people):
    """A department-only document never appears in another department member's rankings."""
    hidden = make_document(people, dept="B", visibility="department", title="内部定价")
    rankings.record_view(people.ids["expert"], hidden)
    db.session.commit()
    staff = db.session.get(User, people.ids["staff"])
    expert = db.session.get(User, people.ids["expert"])
    found = rankings.all_rankings(staff)
    assert all(
        hidden not in [row[0].id if isinstance(row, tuple) else row.id for row in rows]
        for rows in found.values()
    )
    assert [d.id for d, _n in rankings.most_viewed(expert)] == [hidden]


def test_document_panel_partial_renders_stars_and_comments(app, people, client):
    """The document panel shows the summary, the reader's stars and the thread with a live hook."""
    doc_id = make_document(people)
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 4})
    api(client, people, "expert", "POST", f"/documents/{doc_id}/comments", {"body": "要点 *一*"})
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(db.session.get(User, people.ids["staff"]))
        html = render_template_string(
            '{% include "social/_document_panel.html" %}', doc=db.session.get(Document, doc_id)
        )
    assert 'data-testid="star-4"' in html and 'class="star on"' in html
    assert "<em>一</em>" in html and f'data-live="{doc_id}"' in html
    assert "style=" not in html and "<script>" not in html  # the CSP forbids inline styles and scripts


def test_question_and_note_pages_carry_comment_threads(login_as, client, people):
    """Answers and experience notes show their comment threads."""
    dept = db.session.get(Department, people.departments["A"])
    staff = db.session.get(User, people.ids["staff"])
    post = knowledge.create_post(dept, staff, "经验", "正文")
    question = knowledge.ask(dept, staff, "问题", "")
    reply = knowledge.answer(question, staff, "答案")
    db.session.commit()
    api(client, people, "expert", "POST", f"/answers/{reply.id}/comments", {"body": "补充一点"})
    login_as("staff")
    page = client.get(f"/departments/questions/{question.id}").get_data(as_text=True)
    assert f'data-testid="comments-answer-{reply.id}"' in page and "补充一点" in page
    assert 'data-testid="comments-post-' in client.get(f"/departments/posts/{post.id}").get_data(as_text=True)


def test_experts_page_ranks_by_department_and_tag(login_as, client, people):
    """The experts page ranks contributors per department and per tag; a person page lists contributions."""
    doc_id = make_document(people, dept="B", owner="expert", tags="SLA,工单", title="SLA 配置指南")
    api(client, people, "staff", "PUT", f"/documents/{doc_id}/rating", {"stars": 5})
    login_as("staff")
    page = client.get(f"/experts?department_id={people.departments['B']}").get_data(as_text=True)
    assert "Expert" in page
    assert "Expert" in client.get("/experts?tag=SLA").get_data(as_text=True)
    assert (
        "Expert"
        not in client.get("/experts?tag=报价").get_data(as_text=True).split('data-testid="experts"')[1]
    )
    person = client.get(f"/people/{people.ids['expert']}").get_data(as_text=True)
    assert "SLA 配置指南" in person and 'data-testid="contributions"' in person
    assert client.get(f"/people/{people.ids['customer']}").status_code == 404
    assert client.get("/experts?department_id=99999").status_code == 404
    assert 'data-testid="contributions"' in client.get("/profile").get_data(as_text=True)
