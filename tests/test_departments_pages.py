"""Department pages: Q&A and notes through the browser forms, rendered safely."""

from sqlalchemy import select

from hub.extensions import db
from hub.models import Question

from .conftest import csrf_token


def test_department_page_shows_members_and_questions(login_as, people):
    """A department page lists its members and its Q&A board."""
    client = login_as("staff")
    html = client.get(f"/departments/{people.departments['B']}").get_data(as_text=True)
    assert "Expert" in html and "Service" in html
    assert "技术问答" in html


def test_ask_and_answer_with_forms(login_as, people):
    """Asking and answering through the forms stores both and shows them on the question page."""
    client = login_as("staff")
    dept = people.departments["B"]
    token = csrf_token(client, f"/departments/{dept}")
    response = client.post(f"/departments/{dept}/questions", data={"q-title": "工单能自动升级吗？", "q-body": "", "csrf_token": token})
    assert response.status_code == 302
    question = db.session.scalar(select(Question))
    client.post(f"/departments/questions/{question.id}/answers", data={"body": "可以，**两小时**后升级", "csrf_token": token})
    html = client.get(f"/departments/questions/{question.id}").get_data(as_text=True)
    assert "工单能自动升级吗？" in html
    assert "<strong>两小时</strong>" in html


def test_user_markdown_is_sanitised(login_as, people):
    """Script tags and javascript: links in answers are rendered harmless."""
    client = login_as("staff")
    dept = people.departments["B"]
    token = csrf_token(client, f"/departments/{dept}")
    client.post(f"/departments/{dept}/questions", data={"q-title": "<script>alert(1)</script>", "csrf_token": token})
    question = db.session.scalar(select(Question))
    evil = "<script>alert(2)</script> [点我](javascript:alert(3)) <img src=x onerror=alert(4)>"
    client.post(f"/departments/questions/{question.id}/answers", data={"body": evil, "csrf_token": token})
    html = client.get(f"/departments/questions/{question.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html  # the link may stay as text, never as a link
    assert "<img" not in html  # raw tags are shown as text, never as elements
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_answer_is_refused_with_message(login_as, people):
    """An empty answer is not stored; the page says why."""
    client = login_as("staff")
    dept = people.departments["B"]
    token = csrf_token(client, f"/departments/{dept}")
    client.post(f"/departments/{dept}/questions", data={"q-title": "问题", "csrf_token": token})
    question = db.session.scalar(select(Question))
    response = client.post(f"/departments/questions/{question.id}/answers", data={"body": "   ", "csrf_token": token})
    assert response.status_code == 422
    assert 'data-error-for="body">请填写此项。' in response.get_data(as_text=True)
    assert question.answers == []


def test_english_can_be_chosen(login_as, people):
    """The language switch turns the UI to English and back."""
    client = login_as("staff")
    token = csrf_token(client, "/")
    client.post("/language/en", data={"csrf_token": token, "next": "/departments/"})
    assert "Product departments" in client.get("/departments/").get_data(as_text=True)
    client.post("/language/zh", data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert "产品部门" in client.get("/departments/").get_data(as_text=True)


def test_admin_creates_a_person_in_the_web_ui(login_as, people):
    """An admin creates a staff member who can then sign in; a duplicate e-mail is refused with a message."""
    client = login_as("admin")
    token = csrf_token(client, "/admin/")
    data = {"u-email": "new@test.hub", "u-name": "新人", "u-role": "staff", "u-job": "sales", "u-department": "新部门", "u-account": "", "u-password": "long-enough-1", "csrf_token": token}
    assert client.post("/admin/users", data=data).status_code == 302
    again = client.post("/admin/users", data=data)
    assert again.status_code == 422
    assert "该邮箱已被使用" in again.get_data(as_text=True)
