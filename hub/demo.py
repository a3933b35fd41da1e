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
    return True



