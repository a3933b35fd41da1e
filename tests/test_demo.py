"""`flask demo load` builds a small living company: real office files with previews and search, crowd
wisdom, feeds, assessments in every quadrant and a portal; the first screen of every staff login is full;
a second load changes nothing."""

import re

import pytest
from sqlalchemy import func, select

from hub import demo
from hub.assessments.scoring import QUADRANTS
from hub.assessments.services import latest
from hub.documents import office
from hub.extensions import db
from hub.models import (
    Answer,
    Comment,
    Document,
    DocumentPage,
    DocumentVersion,
    DocumentView,
    FeedEvent,
    Follow,
    Job,
    Notification,
    PortalMessage,
    Question,
    Rating,
    Share,
    User,
)

from .conftest import login

pytestmark = pytest.mark.office

STAFF_LOGINS = ["admin@yunfan.demo", "wanglei@yunfan.demo", "zhaojing@yunfan.demo", "sunyue@yunfan.demo",
                "lina@yunfan.demo"]
COUNTED = (Document, DocumentVersion, DocumentPage, Rating, Comment, DocumentView, Question, Answer, FeedEvent,
           Notification, Share, PortalMessage, Job)


@pytest.fixture
def warm(app):
    """Convert with the warm LibreOffice, as `flask demo load` does outside tests."""
    app.config["PREVIEW_WARM_OFFICE"] = True
    yield
    office.shutdown()


def counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED)


def search_titles(client, q: str) -> set[str]:
    response = client.get("/api/v1/search", query_string={"q": q, "kind": "document"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return {r["title"] for r in response.get_json()["results"]}


def test_demo_load_builds_a_living_company(app, client, warm):
    """Four real file types with text and rendered pages; search; full home pages; quadrants; loads once."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "demo data loaded" in result.output
    db.session.expire_all()

    assert not db.session.scalars(select(Job).where(Job.state != "done")).all()
    versions = db.session.scalars(select(DocumentVersion)).all()
    by_type = {}
    for version in versions:
        by_type.setdefault(version.file_type, []).append(version)
        assert version.preview_state == "ready", (version.filename, version.preview_error)
    for file_type in ("pdf", "docx", "pptx", "xlsx"):
        assert len(by_type.get(file_type, [])) >= 3, file_type
        for version in by_type[file_type]:
            pages = db.session.scalars(select(DocumentPage).where(DocumentPage.version_id == version.id)).all()
            assert len(pages) == version.page_count and all(p.image_path and p.width for p in pages)
            assert len("".join(p.text for p in pages)) > 150 and version.thumb_path, version.filename

    # Colleagues rated, discussed and read the library.
    for document in db.session.scalars(select(Document)):
        if document.current_version.file_type != "md":
            assert db.session.scalar(select(func.count()).where(Rating.document_id == document.id)) >= 2
    assert db.session.scalar(select(func.count()).select_from(Comment)) >= 10
    assert db.session.scalar(select(func.count()).select_from(DocumentView)) >= 30
    assert db.session.scalar(select(func.count()).where(Question.accepted_answer_id.is_not(None))) >= 4

    # Feeds with tasks, help requests and one complaint; a portal with shares, a request and a conversation.
    kinds = set(db.session.scalars(select(FeedEvent.kind)))
    assert {"visit", "call", "note", "task", "help_request", "reply", "complaint", "assessment"} <= kinds
    assert db.session.scalar(select(func.count()).where(FeedEvent.kind == "complaint")) == 1
    assert db.session.scalar(select(func.count()).select_from(Share)) >= 4
    assert db.session.scalar(select(func.count()).select_from(PortalMessage)) >= 3
    admin = db.session.scalar(select(User).where(User.email == "admin@yunfan.demo"))
    assert {p["quadrant"] for p in latest(admin)} == set(QUADRANTS)

    # Colleagues follow documents, departments, questions and accounts, and heard of what happened there.
    assert set(db.session.scalars(select(Follow.target_kind))) == {"document", "department", "question", "customer"}
    heard = set(db.session.scalars(select(Notification.kind).where(Notification.kind.like("follow_%"))))
    assert {"follow_document", "follow_comment", "follow_answer", "follow_feed"} <= heard, heard
    # The queued index jobs were written together, not one writer commit each, and the index is complete.
    from whoosh import index as whoosh_index

    from hub.search import maintenance

    assert whoosh_index.open_dir(app.config["INDEX_DIR"]).latest_generation() <= 3
    assert maintenance.check(app.config["INDEX_DIR"]).clean

    # Words found only inside the files: 刹车片 in a DOCX case study, 驻场支持 in an XLSX price list.
    login(client, "wanglei@yunfan.demo", demo.PASSWORD)
    assert "苏州汽配厂：经销商库存实时可见" in search_titles(client, "刹车片")
    assert "销售通标准价格表" in search_titles(client, "驻场支持")

    # The first screen of every staff login shows content, no empty state.
    for email in STAFF_LOGINS:
        client.post("/logout", data={"csrf_token": _token(client)})
        assert login(client, email, demo.PASSWORD).status_code == 302, email
        home = client.get("/").get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", home)
        assert "还没有" not in text and "本周暂无动态" not in text, (email, re.findall(r".{30}还没有.{10}", text))
        assert "销售通产品手册（2026 版）" in text, email
    following = client.get("/profile").get_data(as_text=True)  # lina's, the last login
    assert "销售通标准价格表" in following and "华东精密制造集团" in following

    # History spreads over weeks: each feed's times grow with its ids and span at least a week; every
    # account's assessments were made on at least four days; the home page is not all one minute.
    _assert_history_spreads_over_weeks(client)

    # Loading again changes nothing and says so.
    before = counts()
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "nothing changed" in again.output, again.output
    assert demo.load() is False
    db.session.commit()
    assert counts() == before


def _token(client) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/").get_data(as_text=True))
    return match.group(1) if match else ""


def _assert_history_spreads_over_weeks(client) -> None:
    from datetime import timedelta

    from hub.models import Assessment, CustomerAccount

    for account in db.session.scalars(select(CustomerAccount)):
        events = db.session.scalars(select(FeedEvent).where(FeedEvent.account_id == account.id)
                                    .order_by(FeedEvent.id)).all()
        if not events:
            continue
        times = [e.created_at for e in events]
        assert times == sorted(times), (account.name, [(e.id, e.kind, str(e.created_at)) for e in events])
        assert times[-1] - times[0] >= timedelta(days=7), account.name
        made = db.session.scalars(select(Assessment.created_at).where(Assessment.account_id == account.id)).all()
        if made:
            assert len({t.date() for t in made}) >= 4, (account.name, made)
            assert max(made) - min(made) >= timedelta(weeks=6), account.name
    client.post("/logout", data={"csrf_token": _token(client)})
    login(client, "wanglei@yunfan.demo", demo.PASSWORD)
    home = client.get("/").get_data(as_text=True)
    ages = re.findall(r'class="act-meta">.*?<time datetime="([^"]+)"', home)  # the activity lines
    assert len(ages) >= 4 and len({a[:16] for a in ages}) >= 3, ages
