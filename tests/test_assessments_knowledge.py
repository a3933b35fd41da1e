"""Knowledge for an opening (cases, competitor documents, experts, trimmed to the reader) and the demo data."""

from sqlalchemy import select

from hub import demo
from hub.extensions import db
from hub.models import AccountShare, Assessment, CustomerAccount, FeedEvent
from tests.search_helpers import index_now, make_document

from .assessments_helpers import GOOD, accounts, assess


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</ul>", 1)[0]


def test_opening_suggests_cases_competitor_documents_and_experts(app, client, people, login_as):
    """Cases of the account's industry, documents about its rival and that rival's experts appear, each trimmed."""
    acc = accounts(people)
    case = make_document(people, "华东汽配厂上线案例", category="case_study", pages=["制造业客户三个月完成上线"])
    other_case = make_document(people, "连锁药店案例", category="case_study", pages=["零售药店的门店管理"])
    rival = make_document(people, "远图软件竞品对比", category="competitor", tags="远图软件", owner="expert",
                          dept="B", pages=["远图软件的价格策略和弱点"])
    hidden = make_document(people, "远图软件内部报价底线", category="competitor", tags="远图软件",
                           dept="B", owner="expert", visibility="department", pages=["远图软件底价"])
    index_now(app)
    assess(client, people, "staff", acc["X"], **GOOD)  # 制造业, competitor 远图软件
    login_as("staff")
    html = client.get(f"/assessments/accounts/{acc['X']}").get_data(as_text=True)
    cases, docs, experts = (_section(html, t) for t in ("cases", "competitor-documents", "experts"))
    assert f"/documents/{case}" in cases and f"/documents/{other_case}" not in cases
    assert f"/documents/{rival}" in docs
    assert f"/documents/{hidden}" not in html  # department-only: the sales rep is not a member
    assert "Expert" in experts
    assert "/experts?tag=%E8%BF%9C%E5%9B%BE%E8%BD%AF%E4%BB%B6" in html


def test_department_members_see_their_own_competitor_documents(app, client, people, login_as):
    acc = accounts(people)
    hidden = make_document(people, "远图软件内部报价底线", category="competitor", tags="远图软件",
                           dept="B", owner="expert", visibility="department", pages=["远图软件底价"])
    index_now(app)
    assess(client, people, "staff", acc["X"], **GOOD)
    login_as("expert")
    html = client.get(f"/assessments/accounts/{acc['X']}").get_data(as_text=True)
    assert f"/documents/{hidden}" in _section(html, "competitor-documents")


def test_without_industry_or_rival_the_page_says_what_to_add(client, people, login_as):
    """Nothing to search for: a hint instead of empty lists, and no error."""
    acc = accounts(people)
    db.session.get(CustomerAccount, acc["Y"]).industry = ""
    db.session.commit()
    login_as("staff")
    html = client.get(f"/assessments/accounts/{acc['Y']}").get_data(as_text=True)
    assert "给客户填上所属行业" in html and 'data-testid="cases"' not in html


def test_query_syntax_in_names_does_not_break_the_search(app, client, people, login_as):
    acc = accounts(people)
    index_now(app)
    assess(client, people, "staff", acc["X"], **(GOOD | {"competitor": 'title:"远图 OR -软件 ('}))
    login_as("staff")
    assert client.get(f"/assessments/accounts/{acc['X']}").status_code == 200


def test_demo_accounts_get_assessments_once(app):
    """The demo loads past business and assessments for its three accounts, with feed events; again adds nothing."""
    assert demo.load() is True
    db.session.commit()
    rows = db.session.scalars(select(Assessment)).all()
    names = {db.session.get(CustomerAccount, a.account_id).name for a in rows}
    assert names == {"华东精密制造集团", "宏远物流股份", "安康医疗集团"}
    assert db.session.query(FeedEvent).filter_by(kind="assessment").count() == len(rows) == 15  # 9 earlier + 6 newest
    before = (len(rows), db.session.query(AccountShare).count())
    assert demo.load_assessments() is False
    assert demo.load() is False
    assert (db.session.query(Assessment).count(), db.session.query(AccountShare).count()) == before
    classes = {}
    from hub.assessments.services import latest

    admin = db.session.scalar(select(demo.User).where(demo.User.email == "admin@yunfan.demo"))
    for point in latest(admin):
        classes[point["account"]] = point["opening_class"]
    assert classes == {"华东精密制造集团": "normal", "宏远物流股份": "abnormal", "安康医疗集团": "normal"}
