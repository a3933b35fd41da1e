"""The home page: activity the reader may see, rankings and experts, and a fixed number of queries."""

from hub.extensions import db
from hub.models import (
    AccountMember,
    Answer,
    Comment,
    Document,
    DocumentVersion,
    DocumentView,
    FeedEvent,
    Post,
    Question,
    Rating,
    utcnow,
)

from .conftest import login
from .statements import counted_statements


def add_document(people, title, owner="expert", dept="B", visibility="staff", version=1):
    doc = Document(department_id=people.departments[dept], owner_id=people.ids[owner], title=title,
                   description="", category="product", tags="", visibility=visibility)
    db.session.add(doc)
    db.session.flush()
    for number in range(1, version + 1):
        db.session.add(DocumentVersion(document_id=doc.id, number=number, uploader_id=people.ids[owner],
                                       filename=f"{title}.txt", sha256=f"{doc.id:064d}", size=1,
                                       mime_type="text/plain", file_type="txt", preview_state="ready"))
    return doc


def fill(people, n: int, tag: str = "") -> None:
    """n of everything the home page shows, some of it out of the staff reader's sight."""
    staff_account = people.accounts["customer"]
    db.session.merge(AccountMember(account_id=staff_account, user_id=people.ids["staff"], role="team"))
    for i in range(n):
        doc = add_document(people, f"共享手册{tag}{i}", version=2)
        add_document(people, f"客服部内部定价{tag}{i}", visibility="department")
        db.session.add(Rating(user_id=people.ids["staff"], document_id=doc.id, stars=5))
        db.session.add(DocumentView(document_id=doc.id, user_id=people.ids["staff"], day=utcnow().date()))
        question = Question(department_id=people.departments["A"], author_id=people.ids["staff"],
                            title=f"报价审批流程{tag}{i}", body="")
        db.session.add(question)
        db.session.flush()
        answer = Answer(question_id=question.id, author_id=people.ids["expert"], body="走特价审批单。")
        db.session.add(answer)
        db.session.flush()
        question.accepted_answer_id = answer.id
        post = Post(department_id=people.departments["B"], author_id=people.ids["expert"],
                    title=f"投诉处理经验{tag}{i}", body="先安抚，再定位。")
        db.session.add(post)
        db.session.flush()
        db.session.add(Comment(document_id=doc.id, author_id=people.ids["service"], body="很有用"))
        db.session.add(Comment(answer_id=answer.id, author_id=people.ids["service"], body="同意"))
        db.session.add(Comment(post_id=post.id, author_id=people.ids["staff"], body="学到了"))
        db.session.add(FeedEvent(account_id=staff_account, kind="visit", author_id=people.ids["expert"],
                                 body=f"拜访华东精密{tag}{i}"))
        db.session.add(FeedEvent(account_id=people.accounts["other_customer"], kind="note",
                                 author_id=people.ids["expert"], body=f"宏远物流内部备注{tag}{i}"))
    db.session.commit()


def home_text(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def activity_part(html: str) -> str:
    start = html.index('data-testid="home-activity"')
    return html[start:html.index('data-testid="home-rankings"')]


def test_activity_shows_what_the_reader_may_see(app, people, login_as):
    """Documents, versions, answers, accepted answers, comments and the reader's own account feed appear."""
    fill(people, 2)
    html = home_text(login_as("staff"))
    lines = activity_part(html)
    assert "拜访华东精密1" in lines  # feed of an account the reader works on
    assert "上传了第 2 版" in lines or "上传了" in lines
    assert "的回答被采纳" in lines or "评论了" in lines
    assert 'href="/customers/' in lines


def test_activity_hides_other_departments_documents_and_other_accounts(app, people, login_as):
    """A department-only document of another department and another account's feed never show."""
    fill(people, 3)
    html = home_text(login_as("staff"))
    assert "客服部内部定价" not in html
    assert "宏远物流内部备注" not in html
    # The department's own member does see the department-only document.
    client = app.test_client()
    login(client, people.emails["service"])
    assert "客服部内部定价" in activity_part(home_text(client))


def test_home_shows_rankings_and_experts(app, people, login_as):
    """Best rated, most viewed this week and the top experts with their points."""
    fill(people, 2)
    html = home_text(login_as("staff"))
    first = html[html.index('data-testid="home-rankings"'):html.index('data-testid="home-experts"') + 2000]
    assert "共享手册" in first and "次浏览" in first
    assert "Expert" in first and "分" in first


def test_new_person_sees_friendly_empty_states(app, people, login_as):
    """Nothing yet: each block says what to do instead of an empty list."""
    html = home_text(login_as("staff"))
    for words in ("这里暂时很安静", "给您觉得有用的文档打个分", "本周同事们打开的文档", "回答问题或分享文档",
                  "向某个部门提一个问题", "各部门的经验分享会出现在这里"):
        assert words in html
    assert "还没有" not in activity_part(html)


def test_customer_never_sees_the_staff_home(app, people, login_as):
    """A customer is sent to the portal, without any activity."""
    fill(people, 1)
    response = login_as("customer").get("/")
    assert response.status_code == 302 and "/portal" in response.headers["Location"]
    assert "home-activity" not in response.get_data(as_text=True)


def test_statements_do_not_grow_with_rows(app, people, login_as):
    """The home page runs the same number of SQL statements over 2 and over 25 rows of everything."""
    app.config["SOCIAL_CACHE_SECONDS"] = 0
    client = login_as("staff")
    fill(people, 2, tag="s")
    home_text(client)  # warm-up: first-request work is not part of the page
    with counted_statements() as small:
        home_text(client)
    fill(people, 23, tag="l")
    with counted_statements() as large:
        home_text(client)
    assert len(large) == len(small), "\n".join(large)
