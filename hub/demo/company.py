"""云帆科技: its product departments, people, customer accounts, experience notes and questions.

Names and e-mails are relied on by tests across tests/ (browser journeys sign in as these people).
"""

from sqlalchemy import select

from ..extensions import db
from ..models import Department, Post, User
from .history import ago, at

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
    ("移动CRM产品部", "wanglei@yunfan.demo", "新人第一周：先读这四份资料",
     "刚加入销售团队的同事，第一周先把这几份看熟：\n\n"
     "- 《销售通产品手册（2026 版）》：功能和集成方式\n- 《销售通标准价格表》：报价口径和折扣权限\n"
     "- 《苏州汽配厂：经销商库存实时可见》：制造业最好讲的案例\n- 《销售通与远图软件对比》：最常遇到的对手\n\n"
     "看不懂的地方直接在部门里提问，产品部的同事一般当天就会回答。"),
    ("智能客服产品部", "zhaojing@yunfan.demo", "服务事故之后的二十四小时",
     "客户出了服务事故，先打电话说明情况，再在二十四小时内交书面故障说明，最后约一次复盘会。"
     "**别等客户来催**：主动沟通的客户，续约时反而更信任我们。"),
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
     [("machao@yunfan.demo", "有医疗行业模板，包含门诊量、床位使用率和耗材占比，演示环境里能直接打开。")], 0),
    ("云安全产品部", "liuyang@yunfan.demo", "零信任网关私有化部署最少需要几台服务器？", "",
     [("huanglei@yunfan.demo", "五百人以内两台网关加一台控制台就够，用客户现有的虚拟化平台也可以。详细配置见《零信任网关部署规格》。")], 0),
    ("移动CRM产品部", "lina@yunfan.demo", "报价低于八五折要走什么审批？", "客户要求七八折，这周就要回复。",
     [("sunyue@yunfan.demo", "七五折到八五折之间由销售运营总监审批，要附上竞品报价截图和回款计划，价格表第三页有说明。"),
      ("wanglei@yunfan.demo", "经验是先把回款计划谈好，周总批得很快。")], 0),
    ("数据分析产品部", "wanglei@yunfan.demo", "多工厂的合并报表能按工厂拆分权限吗？", "华东精密三家工厂的数据不希望互相看到。",
     [("zhengkai@yunfan.demo", "可以，按组织维度配置数据权限，每家工厂只看自己的，集团管理层看汇总。")], None),
    ("智能客服产品部", "chenhao@yunfan.demo", "医院的客服热线能接入智能客服吗？", "",
     [], None),
]


def user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    lines.append("  admin     admin@yunfan.demo")
    lines.append("  staff     wanglei@yunfan.demo (sales), zhaojing@yunfan.demo (service), sunyue@yunfan.demo (product)")
    lines.append("  customer  qian@hdjm.demo (华东精密制造集团 VIP portal)")
    return "\n".join(lines)


def load_company() -> bool:
    """Create the departments, people and accounts unless the demo admin exists."""
    from ..auth import services

    if user("admin@yunfan.demo") is not None:
        return False
    for name, description in DEPARTMENTS:
        services.get_or_create_department(name).description = description
    for email, name, role, job, title, dept in STAFF:
        services.create_user(email, name, role, PASSWORD, department_name=dept, job=job, title=title)
    for name, industry, region, owner, (email, person) in ACCOUNTS:
        account = services.get_or_create_account(name)
        account.industry, account.region, account.owner = industry, region, user(owner)
        services.create_user(email, person, "customer", PASSWORD, account_name=name)
    db.session.commit()
    return True


def load_knowledge() -> bool:
    """Add the experience notes and questions (with answers, accepted ones and helpful votes) once."""
    from ..departments import services as knowledge
    from ..social import services as social

    if db.session.scalar(select(Post.id).where(Post.title == POSTS[0][2])) is not None:
        return False
    depts = {d.name: d for d in db.session.scalars(select(Department))}
    if any(name not in depts for name, _ in DEPARTMENTS):
        return False
    # Notes over the past six weeks, one every week or so; questions asked over the past month, answered
    # within hours, the answer accepted the next day.
    for n, (dept, author, title, body) in enumerate(POSTS):
        with at(ago(days=40 - n * 7, hours=n * 2)):
            knowledge.publish_post(depts[dept], user(author), title, body)
    for n, (dept, asker, title, body, answers, accepted) in enumerate(QUESTIONS):
        asked = 30 - n * 4
        with at(ago(days=asked)):
            question = knowledge.ask_question(depts[dept], user(asker), title, body)
        replies = []
        for k, (a, text) in enumerate(answers):
            with at(ago(days=asked, hours=-(2 + 3 * k))):
                replies.append(knowledge.post_answer(question, user(a), text))
        if accepted is not None:
            with at(ago(days=asked - 1)):
                knowledge.accept_answer(replies[accepted], user(asker))
        # Colleagues who read the thread mark the answers that helped them.
        for rank, reply in enumerate(replies):
            for email in (asker, "admin@yunfan.demo", "chenhao@yunfan.demo")[: 3 - rank]:
                if email != reply.author.email:
                    with at(ago(days=asked - 1, hours=-3)):
                        social.set_helpful(user(email), "answer", reply.id)
    db.session.commit()
    return True
