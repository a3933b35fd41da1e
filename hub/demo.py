"""Demo data: a fictional software vendor, 云帆科技, its product departments, people and customers."""

from sqlalchemy import select

from .auth import services
from .extensions import db
from .models import User

PASSWORD = "demo-pass-2026"

DEPARTMENTS = [
    ("移动CRM产品部", "负责移动销售管理产品“销售通”：客户、商机、拜访和报表。售前方案、报价口径和竞品对比都可以在这里问。"),
    ("智能客服产品部", "呼叫中心、工单系统和在线客服机器人。客户投诉流程、服务等级协议（SLA）和接口对接的问题找我们。"),
    ("数据分析产品部", "经营看板、销售预测和自助报表。负责数据口径、演示环境和行业指标模板。"),
    ("云安全产品部", "零信任访问网关和数据防泄漏。等保测评、私有化部署和安全合规材料在这里维护。"),
]

# email, name, role, job, title, department
STAFF = [
    ("admin@yunfan.demo", "周敏", "admin", "management", "销售运营总监", None),
    ("wanglei@yunfan.demo", "王磊", "staff", "sales", "华东大客户经理", "移动CRM产品部"),
    ("lina@yunfan.demo", "李娜", "staff", "sales", "华南区域销售", "智能客服产品部"),
    ("chenhao@yunfan.demo", "陈浩", "staff", "sales", "西南区域销售", "数据分析产品部"),
    ("zhaojing@yunfan.demo", "赵静", "staff", "service", "客户成功经理", "智能客服产品部"),
    ("liuyang@yunfan.demo", "刘洋", "staff", "service", "技术支持工程师", "云安全产品部"),
    ("sunyue@yunfan.demo", "孙悦", "staff", "product", "产品经理", "移动CRM产品部"),
    ("hebin@yunfan.demo", "何斌", "staff", "product", "售前解决方案", "移动CRM产品部"),
    ("wuqiang@yunfan.demo", "吴强", "staff", "product", "产品经理", "智能客服产品部"),
    ("zhengkai@yunfan.demo", "郑凯", "staff", "product", "数据产品经理", "数据分析产品部"),
    ("machao@yunfan.demo", "马超", "staff", "product", "BI 实施顾问", "数据分析产品部"),
    ("huanglei@yunfan.demo", "黄蕾", "staff", "product", "安全产品经理", "云安全产品部"),
]

# account, industry, region, owner email, customer user (email, name)
ACCOUNTS = [
    ("华东精密制造集团", "制造业", "上海", "wanglei@yunfan.demo", ("qian@hdjm.demo", "钱建国")),
    ("宏远物流股份", "物流", "广州", "lina@yunfan.demo", ("xu@hywl.demo", "许晓红")),
    ("安康医疗集团", "医疗", "成都", "chenhao@yunfan.demo", ("tang@akyl.demo", "唐文")),
]

# department, author, title, body
POSTS = [
    ("移动CRM产品部", "hebin@yunfan.demo", "制造业客户演示的三个要点",
     "1. **先讲经销商管理**，再讲拜访记录：制造业老板最关心渠道库存。\n"
     "2. 演示环境里提前准备好本行业的样例数据，别用零售的数据。\n"
     "3. 报价时把移动端授权和后台授权分开列，客户采购更容易走流程。"),
    ("智能客服产品部", "wuqiang@yunfan.demo", "投诉工单的升级规则怎么配",
     "默认规则是两小时未响应自动升级到组长。物流行业客户一般要求**三十分钟**，"
     "上线前一定和客户确认 SLA，写进实施方案。"),
    ("数据分析产品部", "zhengkai@yunfan.demo", "销售预测模型的数据准备清单",
     "至少需要十二个月的商机记录，字段包括阶段、金额、预计成交日期和赢单结果。"
     "缺字段的客户可以先用看板功能，三个月后再上预测。"),
    ("云安全产品部", "huanglei@yunfan.demo", "等保三级材料包更新了",
     "新版材料包补充了日志留存和双因素认证的说明，医疗和金融客户投标时请用新版。"),
]

# department, asker, title, body, answers [(author, body)], accepted index or None
QUESTIONS = [
    ("移动CRM产品部", "wanglei@yunfan.demo", "销售通能不能和客户现有的 SAP 对接？",
     "华东精密制造在用 SAP ECC，想把订单数据同步到销售通。",
     [("sunyue@yunfan.demo", "可以。我们有标准的 SAP 连接器，订单和客户主数据每十五分钟同步一次，实施周期大约两周。"),
      ("hebin@yunfan.demo", "补充一下：ECC 版本需要客户开放 RFC 接口，售前阶段先让对方 IT 确认。")], 0),
    ("智能客服产品部", "lina@yunfan.demo", "客服机器人支持粤语语音吗？",
     "宏远物流的呼叫中心有不少粤语来电。",
     [("wuqiang@yunfan.demo", "语音识别支持粤语，识别率在九成左右；机器人话术需要单独配置一套粤语版本。")], 0),
    ("数据分析产品部", "chenhao@yunfan.demo", "医院客户的经营看板有没有现成模板？", "",
     [("machao@yunfan.demo", "有医疗行业模板，包含门诊量、床位使用率和耗材占比，演示环境里能直接打开。")], None),
    ("云安全产品部", "liuyang@yunfan.demo", "零信任网关私有化部署最少需要几台服务器？", "",
     [], None),
]


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    lines.append("  admin     admin@yunfan.demo")
    lines.append("  staff     wanglei@yunfan.demo (sales), zhaojing@yunfan.demo (service), sunyue@yunfan.demo (product)")
    lines.append("  customer  qian@hdjm.demo (华东精密制造集团 VIP portal)")
    return "\n".join(lines)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def load() -> bool:
    """Create the demo records unless they exist; return whether anything was created."""
    if _user("admin@yunfan.demo") is not None:
        return False
    depts = {}
    for name, description in DEPARTMENTS:
        dept = services.get_or_create_department(name)
        dept.description = description
        depts[name] = dept
    for email, name, role, job, title, dept in STAFF:
        services.create_user(email, name, role, PASSWORD, department_name=dept, job=job, title=title)
    for name, industry, region, owner, (email, person) in ACCOUNTS:
        account = services.get_or_create_account(name)
        account.industry, account.region, account.owner = industry, region, _user(owner)
        services.create_user(email, person, "customer", PASSWORD, account_name=name)

    from .departments import services as knowledge

    for dept, author, title, body in POSTS:
        knowledge.create_post(depts[dept], _user(author), title, body)
    for dept, asker, title, body, answers, accepted in QUESTIONS:
        question = knowledge.ask(depts[dept], _user(asker), title, body)
        replies = [knowledge.answer(question, _user(a), text) for a, text in answers]
        if accepted is not None:
            knowledge.accept(replies[accepted])
    db.session.flush()
    load_customer_feed()
    load_assessments()
    load_portal()
    return True


# --- customer accounts: team, key contacts and a few feed entries ---------

# account, team members, service contacts, key contacts (name, title, phone)
ACCOUNT_TEAMS = [
    ("华东精密制造集团", ["sunyue@yunfan.demo", "hebin@yunfan.demo"], ["zhaojing@yunfan.demo"],
     [("钱建国", "采购总监", "021-5555 0101"), ("张伟", "信息部经理", "021-5555 0188")]),
    ("宏远物流股份", ["wuqiang@yunfan.demo"], ["zhaojing@yunfan.demo"],
     [("许晓红", "客服中心经理", "020-5555 0320")]),
    ("安康医疗集团", ["zhengkai@yunfan.demo", "huanglei@yunfan.demo"], ["liuyang@yunfan.demo"],
     [("唐文", "信息科主任", "028-5555 0466")]),
]

# account, author, event fields; ("reply", author, text) and ("status", value) follow the item they change
FEED = [
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "visit", "body": "今天上午拜访了钱总和信息部的张工。对方明年要把三家工厂的销售团队统一到一个系统里，最关心经销商库存和移动端审批。下周要给一版方案。"}),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "help_request", "to_user": "sunyue@yunfan.demo", "body": "钱总问销售通能不能直接读 SAP 里的库存，而不是每天导一次表。我们做过类似的客户吗？"}),
    ("reply", "sunyue@yunfan.demo", "做过，苏州那家汽配厂就是实时读的。对接说明我发你邮箱了，实施计划里要多留一周做接口联调。"),
    ("status", "solved"),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "task", "assignee": "hebin@yunfan.demo", "due_days": 5, "body": "准备制造业演示环境，导入经销商和库存的样例数据。"}),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "call", "body": "钱总来电确认下周三下午演示，财务总监也会参加，报价要按工厂拆开列。"}),
    ("宏远物流股份", "lina@yunfan.demo", {"kind": "note", "body": "续约谈判进入第二轮，客户希望把粤语语音机器人加进今年的合同。"}),
    ("宏远物流股份", "zhaojing@yunfan.demo", {"kind": "task", "assignee": "wuqiang@yunfan.demo", "due_days": 2, "body": "排查上周五晚间的坐席分配规则，写一份故障说明给许经理。"}),
    ("宏远物流股份", "zhaojing@yunfan.demo", {"kind": "complaint", "severity": "high", "body": "许经理反馈上周五晚高峰呼叫中心排队超过十分钟，有三张投诉工单没有按 SLA 升级，希望本周内给出原因说明。"}),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "visit", "body": "和信息科唐主任见面：医院今年要过等保三级测评，零信任网关是刚需，预算争取年底前批下来。"}),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "help_request", "to_department": "云安全产品部", "body": "医院要求私有化部署，最少需要几台服务器？能不能用他们现有的虚拟化平台？"}),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "task", "body": "把新版等保三级材料包整理好发给唐主任。"}),
    ("status", "done"),
    ("安康医疗集团", "zhengkai@yunfan.demo", {"kind": "note", "body": "@陈浩 医疗行业的经营看板模板更新了，演示时可以直接用门诊量和床位使用率两个指标。"}),
]


def load_customer_feed() -> bool:
    """Add the account teams, key contacts and feed entries unless the demo accounts already have a feed."""
    from datetime import date, timedelta

    from .customers import feed
    from .customers import services as customers
    from .customers.schemas import NewEvent
    from .models import CustomerAccount, Department, FeedEvent, Notification, utcnow

    accounts = {a.name: a for a in db.session.scalars(select(CustomerAccount))}
    if any(name not in accounts for name, *_ in ACCOUNT_TEAMS):
        return False
    ids = [accounts[name].id for name, *_ in ACCOUNT_TEAMS]
    if db.session.scalar(select(FeedEvent.id).where(FeedEvent.account_id.in_(ids)).limit(1)) is not None:
        return False
    for name, team, service, contacts in ACCOUNT_TEAMS:
        for email in team:
            customers.add_member(accounts[name], _user(email).id, "team")
        for email in service:
            customers.add_member(accounts[name], _user(email).id, "service")
        for person, title, phone in contacts:
            customers.add_contact(accounts[name], person, title, phone)
    item = None
    for entry in FEED:
        if entry[0] == "reply":
            db.session.add(FeedEvent(account_id=item.account_id, kind="reply", parent_id=item.id,
                                     author_id=_user(entry[1]).id, body=entry[2]))
        elif entry[0] == "status":
            item.status, item.closed_by_id, item.closed_at = entry[1], item.author_id, utcnow()
            action = "solved" if entry[1] == "solved" else "completed"
            db.session.add(FeedEvent(account_id=item.account_id, kind="update", parent_id=item.id,
                                     author_id=item.author_id, action=action))
        else:
            name, author, fields = entry
            fields = dict(fields)
            if "assignee" in fields:
                fields["assignee_id"] = _user(fields.pop("assignee")).id
            if "due_days" in fields:
                fields["due_date"] = date.today() + timedelta(days=fields.pop("due_days"))
            if "to_user" in fields:
                fields["to_user_id"] = _user(fields.pop("to_user")).id
            if "to_department" in fields:
                dept = db.session.scalar(select(Department).where(Department.name == fields.pop("to_department")))
                fields["to_department_id"] = dept.id
            item = feed.build_event(accounts[name], _user(author), NewEvent.model_validate(fields).root)
            # The people concerned find these in their bell (stored only: nobody is connected yet).
            for user_ids, kind, text in feed.notices_for(item, _user(author), accounts[name]):
                for user_id in dict.fromkeys(i for i in user_ids if i and i != item.author_id):
                    db.session.add(Notification(user_id=user_id, kind=kind, text=text[:500], actor_id=item.author_id,
                                                url=f"/customers/{item.account_id}#e{item.id}"))
        db.session.flush()
    return True





# --- opening assessments: past business and scored openings ------------------

# account, past business in the same product line (10k CNY; "" is us), assessments in the order made:
# (author, fields of an AssessmentIn)
ASSESSMENTS = [
    ("华东精密制造集团", {"": 320, "远图软件": 90}, [
        ("wanglei@yunfan.demo", {"opportunity": "三厂统一销售平台", "competitor": "远图软件", "deal_value": 180,
                                 "deal_revenue": 7, "quota_effect": 6, "follow_on": 8, "reference_value": 7,
                                 "team_morale": 6, "territory": "ours", "position": "even",
                                 "note": "远图在压价，钱总还在观望，我们的优势没有讲透。"}),
        ("wanglei@yunfan.demo", {"opportunity": "三厂统一销售平台", "competitor": "远图软件", "deal_value": 180,
                                 "deal_revenue": 8, "quota_effect": 8, "follow_on": 9, "reference_value": 8,
                                 "team_morale": 7, "territory": "ours", "position": "lead",
                                 "note": "SAP 库存实时对接的方案打动了张工，下周三演示后争取进入商务谈判。"}),
    ]),
    ("宏远物流股份", {"": 150, "恒信云": 40}, [
        ("lina@yunfan.demo", {"opportunity": "客服中心续约", "competitor": "恒信云", "deal_value": 95,
                              "deal_revenue": 6, "quota_effect": 7, "follow_on": 8, "reference_value": 6,
                              "team_morale": 5, "territory": "ours", "position": "trail",
                              "note": "上周五的排队事故之后，恒信云被请去做了一次演示。先把故障说明交上去，再约许经理当面沟通。"}),
    ]),
    ("安康医疗集团", {"": 25, "智达科技": 30}, [
        ("chenhao@yunfan.demo", {"opportunity": "零信任网关", "competitor": "智达科技", "deal_value": 45,
                                 "short_term": 4, "long_term": 9, "territory": "neutral", "position": "lead",
                                 "note": "金额不大，但这家是本省的标杆医院，做成了能带动一批等保项目。"}),
    ]),
]


def load_assessments() -> bool:
    """Record past business and assessments on the demo accounts unless any of them already has one."""
    from .assessments import services as records
    from .assessments.schemas import AssessmentIn
    from .customers import feed
    from .models import Assessment, CustomerAccount

    accounts = {a.name: a for a in db.session.scalars(select(CustomerAccount))}
    if any(name not in accounts for name, *_ in ASSESSMENTS):
        return False
    ids = [accounts[name].id for name, *_ in ASSESSMENTS]
    if db.session.scalar(select(Assessment.id).where(Assessment.account_id.in_(ids)).limit(1)) is not None:
        return False
    for name, past, made in ASSESSMENTS:
        account = accounts[name]
        for competitor, amount in past.items():
            records.record_share(account, account.owner, competitor, amount)
        for email, fields in made:
            author = _user(email)
            assessment = records.build(account, author, AssessmentIn.model_validate(fields))
            feed.build_event(account, author, records.feed_entry(assessment, account))
    db.session.flush()
    return True


# --- the customer VIP portal: shared documents, an announcement, a conversation ------

PORTAL_ACCOUNT = "华东精密制造集团"
# title, file name, text, download allowed
PORTAL_DOCUMENTS = [
    ("销售通制造业解决方案", "销售通制造业解决方案.md",
     "# 销售通制造业解决方案\n\n## 经销商管理\n\n- 经销商库存每十五分钟从 SAP 同步一次\n- 渠道订单在手机上审批\n\n"
     "## 三家工厂统一销售平台\n\n统一客户主数据、统一报价口径，按工厂拆分报表。\n", True),
    ("SAP 库存实时对接说明", "SAP库存实时对接说明.md",
     "# SAP 库存实时对接说明\n\n1. 客户 IT 开放 RFC 接口\n2. 配置连接器与同步频率\n3. 联调一周，验收库存数据一致性\n", False),
]
PORTAL_ANNOUNCEMENT = "下周三下午 14:00 在贵司会议室进行三厂统一销售平台演示，财务总监也会参加。演示材料已共享在下方文档中。"
# author email, text
PORTAL_CONVERSATION = [
    ("qian@hdjm.demo", "王经理，演示能否加上经销商库存的部分？我们的渠道库存一直是个痛点。"),
    ("wanglei@yunfan.demo", "钱总好，没问题。我们已经准备了经销商库存的样例数据，演示时会重点讲。"),
    ("zhaojing@yunfan.demo", "钱总，演示环境账号已经开通，张工随时可以先试用，有问题在这里找我。"),
]


def load_portal() -> bool:
    """Share two documents with the demo account, post an announcement and a short conversation (once)."""
    from io import BytesIO

    from sqlalchemy import inspect
    from werkzeug.datastructures import FileStorage

    from .documents import services as documents
    from .models import Announcement, CustomerAccount, Department, Document, PortalMessage, Share
    from .portal import shares

    if not inspect(db.session.connection()).has_table(Share.__tablename__):
        return False  # the database predates the portal's tables (run `flask db upgrade`)
    account = db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == PORTAL_ACCOUNT))
    if account is None or db.session.scalar(select(Share.id).where(Share.account_id == account.id).limit(1)):
        return False
    author, owner = _user("hebin@yunfan.demo"), _user("wanglei@yunfan.demo")
    dept = db.session.scalar(select(Department).where(Department.name == "移动CRM产品部"))
    for title, filename, text, download in PORTAL_DOCUMENTS:
        doc = db.session.scalar(select(Document).where(Document.title == title))
        if doc is None:
            upload = FileStorage(BytesIO(text.encode()), filename=filename)
            doc = documents.create_document(author, dept, upload, title=title, category="product",
                                            tags="制造业,销售通", visibility="staff")
        shares.share(doc, account, owner, allow_download=download)
    db.session.add(Announcement(account_id=account.id, author_id=owner.id, body=PORTAL_ANNOUNCEMENT))
    for email, body in PORTAL_CONVERSATION:
        db.session.add(PortalMessage(account_id=account.id, author_id=_user(email).id, body=body))
    db.session.flush()
    return True
