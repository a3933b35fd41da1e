"""The demo library: real files made in a temp folder, uploaded as a colleague would, followed, then rated,
discussed, read.

Uploads go through hub.documents.services.create_document (type sniffing, storage, preview and search jobs);
ratings, comments and helpful votes through hub.social.services, so the rules and notifications are the
real ones. `flask demo load` runs the queued jobs before it ends, so previews and the index are ready.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..models import Department, Document, Question, User, utcnow
from . import files
from .history import ago, at
from .library_content import DOCUMENTS

# title -> {colleague: stars}
RATINGS = {
    "销售通产品手册（2026 版）": {"wanglei": 5, "lina": 4, "chenhao": 5, "hebin": 5, "zhaojing": 4, "admin": 5},
    "销售通标准价格表": {"wanglei": 5, "lina": 5, "chenhao": 4, "admin": 4},
    "苏州汽配厂：经销商库存实时可见": {"wanglei": 5, "sunyue": 5, "chenhao": 4, "lina": 5, "zhengkai": 4},
    "销售通与远图软件对比": {"wanglei": 5, "sunyue": 4, "lina": 4, "admin": 5},
    "呼叫中心 SLA 配置指南": {"zhaojing": 5, "lina": 4, "liuyang": 4},
    "智能客服与恒信云对比": {"lina": 5, "zhaojing": 4, "wanglei": 3},
    "智能客服报价与坐席授权": {"lina": 4, "zhaojing": 3},
    "医疗行业经营看板模板": {"chenhao": 5, "zhengkai": 5, "huanglei": 4},
    "2026 制造业数字化调研摘要": {"wanglei": 4, "hebin": 4, "sunyue": 3, "chenhao": 4},
    "华南家电：销售预测上线复盘": {"chenhao": 4, "machao": 5, "lina": 4},
    "零信任网关部署规格": {"chenhao": 5, "liuyang": 5, "admin": 4},
    "等保三级合规材料包说明": {"chenhao": 5, "liuyang": 4, "zhengkai": 4, "admin": 4},
    "零信任网关与智达科技对比": {"chenhao": 4, "huanglei": 5},
}

# title, author, text, colleagues who found it helpful
COMMENTS = [
    ("销售通产品手册（2026 版）", "wanglei", "上周给华东精密讲的就是这一版，集成那张表客户信息部最爱看。建议再加一页移动端截图。",
     ["hebin", "lina"]),
    ("销售通产品手册（2026 版）", "sunyue", "@王磊 截图页下个版本补上，月底前更新。", []),
    ("销售通标准价格表", "lina", "折扣权限那一页太有用了，以前每次都要去问运营。", ["wanglei", "chenhao"]),
    ("销售通标准价格表", "chenhao", "SAP 连接器如果客户只同步订单不同步库存，价格能不能打折？", []),
    ("销售通标准价格表", "sunyue", "@陈浩 可以按模块报，只同步订单按六折计，写在报价备注里就行。", ["chenhao"]),
    ("苏州汽配厂：经销商库存实时可见", "wanglei", "超卖订单从三十单降到三单这个数字很打动人，钱总当场就让张工记下来了。",
     ["hebin", "sunyue", "zhengkai"]),
    ("苏州汽配厂：经销商库存实时可见", "zhengkai", "如果客户要看数据口径，数据分析部可以配合出一版看板截图。", []),
    ("销售通与远图软件对比", "wanglei", "“便宜三成”那条回答实测有效，客户算完总价就不纠结了。", ["lina", "hebin"]),
    ("呼叫中心 SLA 配置指南", "zhaojing", "物流客户的夜间值班规则一定要提前配，宏远上周的问题就出在这里。", ["wuqiang", "lina"]),
    ("智能客服与恒信云对比", "lina", "续约谈判正好用得上，粤语语音这一条是我们最大的优势。", ["zhaojing"]),
    ("医疗行业经营看板模板", "chenhao", "唐主任对床位使用率的下钻很感兴趣，能不能加一个按病区的视图？", []),
    ("医疗行业经营看板模板", "machao", "@陈浩 按病区的视图已经在演示环境里了，在科室页右上角切换。", ["chenhao"]),
    ("2026 制造业数字化调研摘要", "hebin", "“按工厂拆分报价”这条和我们在华东精密遇到的情况一模一样。", ["wanglei"]),
    ("零信任网关部署规格", "chenhao", "医院用现有虚拟化平台就能部署，这点对预算审批帮助很大。", ["huanglei", "liuyang"]),
    ("等保三级合规材料包说明", "liuyang", "测评现场最常被问日志留存，180 天的说明请一定带上。", ["chenhao", "huanglei"]),
]

# title -> how many colleagues opened it in the last week (each on one to three days)
VIEWS = {
    "销售通产品手册（2026 版）": 10, "销售通标准价格表": 9, "苏州汽配厂：经销商库存实时可见": 8,
    "销售通与远图软件对比": 7, "呼叫中心 SLA 配置指南": 6, "智能客服与恒信云对比": 5, "智能客服报价与坐席授权": 4,
    "医疗行业经营看板模板": 5, "2026 制造业数字化调研摘要": 6, "华南家电：销售预测上线复盘": 3,
    "零信任网关部署规格": 4, "等保三级合规材料包说明": 5, "零信任网关与智达科技对比": 3,
}


# Who follows what: departments before the uploads (so "new document" notices reach them), then documents
# and questions before the discussion (so comments and answers do).
DEPARTMENT_FOLLOWERS = [("chenhao", "云安全产品部"), ("wanglei", "数据分析产品部"), ("zhaojing", "移动CRM产品部")]
DOCUMENT_FOLLOWERS = [
    ("lina", "销售通标准价格表"), ("hebin", "苏州汽配厂：经销商库存实时可见"), ("sunyue", "销售通与远图软件对比"),
    ("zhaojing", "智能客服与恒信云对比"), ("admin", "等保三级合规材料包说明"), ("wanglei", "销售通产品手册（2026 版）"),
]
QUESTION_FOLLOWERS = [("hebin", "多工厂的合并报表能按工厂拆分权限吗？"), ("liuyang", "医院的客服热线能接入智能客服吗？"),
                      ("zhaojing", "医院的客服热线能接入智能客服吗？")]
# a later answer to a followed question: its follower hears of it
FOLLOW_UP = ("多工厂的合并报表能按工厂拆分权限吗？", "machao",
             "补充一点：集团汇总看板也能按工厂下钻，下钻后看到的数据同样受组织权限限制，不用单独再配。")


def _people() -> dict[str, User]:
    """Demo staff by the name part of their e-mail (wanglei, lina, ...)."""
    staff = db.session.scalars(select(User).where(User.email.like("%@yunfan.demo"))).all()
    return {u.email.split("@")[0]: u for u in staff}


def load_library() -> bool:
    """Upload the demo documents that are missing, with their ratings, comments, votes and views."""
    from ..documents import services as documents

    people = _people()
    if "admin" not in people:
        return False
    depts = {d.name: d for d in db.session.scalars(select(Department))}
    existing = set(db.session.scalars(select(Document.title).where(Document.title.in_([d[2] for d in DOCUMENTS]))))
    if any(d[2] not in existing and d[0] in depts for d in DOCUMENTS):
        _follow_departments(people, depts)
    made: dict[str, Document] = {}
    todo = [d for d in DOCUMENTS if d[2] not in existing and d[0] in depts]
    with tempfile.TemporaryDirectory(prefix="hub-demo-") as folder:
        for n, (dept, owner, title, filename, kind, category, tags, description, content) in enumerate(todo):
            # The library grew over the past weeks: the first entries are the oldest ("newest" reads like history).
            age = len(todo) - 1 - n
            born = ago(days=age * 2, hours=age * 3 + 2)  # the newest one this morning
            path = files.write(Path(folder), filename, kind, title, content)
            with path.open("rb") as stream, at(born):
                upload = FileStorage(stream, filename=filename)
                doc = documents.create_document(
                    people[owner.split("@")[0]], depts[dept], upload, title=title, description=description,
                    category=category, tags=tags, visibility="staff",
                )
            doc.created_at = doc.updated_at = doc.current_version.created_at = born
            made[title] = doc
    if made:
        _follow_documents_and_questions(made, people)
        _add_activity(made, people)
    return bool(made)


def _follow_departments(people: dict[str, User], depts: dict[str, Department]) -> None:
    from ..follows import services as follows

    for n, (who, name) in enumerate(DEPARTMENT_FOLLOWERS):
        if name in depts:
            row = follows.follow(people[who], "department", depts[name])
            row.created_at = utcnow() - timedelta(days=30 - n)  # followed long before the library grew
    db.session.commit()


def _follow_documents_and_questions(made: dict[str, Document], people: dict[str, User]) -> None:
    from ..departments import services as knowledge
    from ..follows import services as follows

    for n, (who, title) in enumerate(DOCUMENT_FOLLOWERS):
        if title in made:
            row = follows.follow(people[who], "document", made[title])
            row.created_at = made[title].created_at + timedelta(hours=1 + n)  # soon after it came out
    db.session.commit()
    questions = {q.title: q for q in db.session.scalars(
        select(Question).where(Question.title.in_([t for _, t in QUESTION_FOLLOWERS])))}
    for n, (who, title) in enumerate(QUESTION_FOLLOWERS):
        if title in questions:
            row = follows.follow(people[who], "question", questions[title])
            row.created_at = utcnow() - timedelta(days=2, hours=n)
    db.session.commit()
    title, author, text = FOLLOW_UP
    if title in questions:
        with at(ago(days=1, hours=5)):
            knowledge.post_answer(questions[title], people[author], text)


def _add_activity(made: dict[str, Document], people: dict[str, User]) -> None:
    from ..social import rankings
    from ..social import services as social

    # Colleagues rate a document over the days after it came out, and discuss it, one comment after another.
    for title, doc in made.items():
        stars_by = RATINGS.get(title, {})
        for k, (who, stars) in enumerate(stars_by.items()):
            with at(_since(doc, (k + 1) / (len(stars_by) + 2))):
                social.rate(doc, people[who], stars)
    said: dict[str, int] = {}
    for title, who, text, helpful in COMMENTS:
        if title not in made:
            continue
        k = said[title] = said.get(title, -1) + 1
        with at(_since(made[title], 0.45 + 0.2 * k)):
            comment = social.add_comment(people[who], "document", made[title], text)
            for voter in helpful:
                social.set_helpful(people[voter], "comment", comment.id)
    # Views on a few days of the past week, so "most viewed" and "hot this week" have something to show.
    readers = sorted(people.values(), key=lambda u: u.id)
    today = utcnow().date()
    for n, (title, count) in enumerate(VIEWS.items()):
        if title not in made:
            continue
        for i, reader in enumerate(readers[(n * 3) % len(readers):] + readers[:(n * 3) % len(readers)]):
            if i >= count:
                break
            for day in range(1 + (n + i) % 3):
                rankings.record_view(reader.id, made[title].id, today - timedelta(days=day * 2))
    db.session.commit()


def _since(doc: Document, share: float):
    """A moment `share` of the way from the document's upload to now (to the minute)."""
    when = doc.created_at + (utcnow() - doc.created_at) * min(share, 0.95)
    return when.replace(second=0, microsecond=0)
