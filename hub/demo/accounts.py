"""The demo accounts' teams, key contacts, followers and live feeds: visits, calls, tasks, help requests,
one complaint.

Every entry goes through hub.customers.feed as a colleague's post would, so the people concerned find
the same notifications in their bell.
"""

from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import CustomerAccount, Department, FeedEvent, utcnow
from .company import user
from .history import ago, at

# account, team members, service contacts, key contacts (name, title, phone)
ACCOUNT_TEAMS = [
    ("华东精密制造集团", ["sunyue@yunfan.demo", "hebin@yunfan.demo"], ["zhaojing@yunfan.demo"],
     [("钱建国", "采购总监", "021-5555 0101"), ("张伟", "信息部经理", "021-5555 0188")]),
    ("宏远物流股份", ["wuqiang@yunfan.demo"], ["zhaojing@yunfan.demo"],
     [("许晓红", "客服中心经理", "020-5555 0320")]),
    ("安康医疗集团", ["zhengkai@yunfan.demo", "huanglei@yunfan.demo"], ["liuyang@yunfan.demo"],
     [("唐文", "信息科主任", "028-5555 0466")]),
]

# (account, author, fields of a NewEvent); ("reply", author, text) and ("status", author, value) follow the
# item they answer or change; ("reply_to", start of an earlier item's text, author, text) answers that one
FEED = [
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "visit", "body": "今天上午拜访了钱总和信息部的张工。对方明年要把三家工厂的销售团队统一到一个系统里，最关心经销商库存和移动端审批。下周要给一版方案。"}),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "help_request", "to_user": "sunyue@yunfan.demo", "body": "钱总问销售通能不能直接读 SAP 里的库存，而不是每天导一次表。我们做过类似的客户吗？"}),
    ("reply", "sunyue@yunfan.demo", "做过，苏州那家汽配厂就是实时读的。案例已经放在部门资料里，实施计划里要多留一周做接口联调。"),
    ("status", "wanglei@yunfan.demo", "solved"),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "task", "assignee": "hebin@yunfan.demo", "due_days": 5, "body": "准备制造业演示环境，导入经销商和库存的样例数据。"}),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "call", "body": "钱总来电确认下周三下午演示，财务总监也会参加，报价要按工厂拆开列。"}),
    ("华东精密制造集团", "wanglei@yunfan.demo", {"kind": "task", "assignee": "sunyue@yunfan.demo", "due_days": 3, "body": "按三家工厂拆分报价单，移动端和后台授权分开列。"}),
    ("status", "sunyue@yunfan.demo", "done"),
    ("宏远物流股份", "lina@yunfan.demo", {"kind": "note", "body": "续约谈判进入第二轮，客户希望把粤语语音机器人加进今年的合同。"}),
    ("宏远物流股份", "zhaojing@yunfan.demo", {"kind": "task", "assignee": "wuqiang@yunfan.demo", "due_days": 2, "body": "排查上周五晚间的坐席分配规则，写一份故障说明给许经理。"}),
    ("宏远物流股份", "zhaojing@yunfan.demo", {"kind": "complaint", "severity": "high", "body": "许经理反馈上周五晚高峰呼叫中心排队超过十分钟，有三张投诉工单没有按 SLA 升级，希望本周内给出原因说明。"}),
    ("宏远物流股份", "lina@yunfan.demo", {"kind": "help_request", "to_department": "智能客服产品部", "body": "续约报价里粤语语音包能不能按八五折给？客户连续合作三年了。"}),
    ("reply", "wuqiang@yunfan.demo", "可以，连续合作三年以上按八五折起报，价格表里“续约政策”那一页写着。"),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "visit", "body": "和信息科唐主任见面：医院今年要过等保三级测评，零信任网关是刚需，预算争取年底前批下来。"}),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "help_request", "to_department": "云安全产品部", "body": "医院要求私有化部署，最少需要几台服务器？能不能用他们现有的虚拟化平台？"}),
    ("安康医疗集团", "chenhao@yunfan.demo", {"kind": "task", "body": "把新版等保三级材料包整理好发给唐主任。"}),
    ("status", "chenhao@yunfan.demo", "done"),
    ("安康医疗集团", "zhengkai@yunfan.demo", {"kind": "note", "body": "@陈浩 医疗行业的经营看板模板更新了，演示时可以直接用门诊量和床位使用率两个指标。"}),
    ("reply_to", "医院要求私有化部署", "huanglei@yunfan.demo", "五百人以内两台网关加一台控制台，可以用医院现有的虚拟化平台。部署规格表已经放在云安全产品部的资料里。"),
]


# days ago each FEED entry happened, in FEED's order: the last few weeks, oldest first within each account,
# replies and status changes after their item, the complaint and its follow-ups in the last days
FEED_DAYS = [23.1, 21.2, 20.9, 20.1, 18.0, 12.2, 9.1, 6.3,
             26.2, 3.2, 2.1, 1.6, 1.3,
             25.1, 24.2, 15.0, 10.2, 7.1, 6.0]


# colleagues outside an account's team who follow its feed (the complaint, the biggest deal, a dashboard rollout)
FOLLOWERS = [
    ("admin@yunfan.demo", "华东精密制造集团"), ("admin@yunfan.demo", "宏远物流股份"),
    ("lina@yunfan.demo", "华东精密制造集团"), ("machao@yunfan.demo", "安康医疗集团"),
]


def _fields(fields: dict) -> dict:
    """Turn the e-mails and day offsets of an entry into the ids and dates a NewEvent takes."""
    fields = dict(fields)
    if "assignee" in fields:
        fields["assignee_id"] = user(fields.pop("assignee")).id
    if "due_days" in fields:
        fields["due_date"] = date.today() + timedelta(days=fields.pop("due_days"))
    if "to_user" in fields:
        fields["to_user_id"] = user(fields.pop("to_user")).id
    if "to_department" in fields:
        dept = db.session.scalar(select(Department).where(Department.name == fields.pop("to_department")))
        fields["to_department_id"] = dept.id
    return fields


def load_customer_feed() -> bool:
    """Add the account teams, key contacts and feed entries unless the demo accounts already have a feed."""
    from ..customers import services as customers

    accounts = {a.name: a for a in db.session.scalars(select(CustomerAccount))}
    if any(name not in accounts for name, *_ in ACCOUNT_TEAMS):
        return False
    first_body = FEED[0][2]["body"]  # assessments post feed entries too, so look for the feed's own first one
    if db.session.scalar(select(FeedEvent.id).where(FeedEvent.body == first_body).limit(1)) is not None:
        return False
    for name, team, service, contacts in ACCOUNT_TEAMS:
        for email in team:
            customers.add_member(accounts[name], user(email).id, "team")
        for email in service:
            customers.add_member(accounts[name], user(email).id, "service")
        for person, title, phone in contacts:
            customers.add_contact(accounts[name], person, title, phone)
    db.session.commit()
    # Before the feed is written, so the followers' bells hold its entries as they would in real life.
    from ..follows import services as follows

    for n, (email, name) in enumerate(FOLLOWERS):
        row = follows.follow(user(email), "customer", accounts[name])
        row.created_at = utcnow() - timedelta(days=30 - n, hours=n)  # followed before the feed began, not at load time
    db.session.commit()
    items: list[FeedEvent] = []
    for entry, days in zip(FEED, FEED_DAYS, strict=True):
        with at(ago(days=days)):
            _write(entry, items, accounts)
    db.session.commit()
    return True


def _write(entry: tuple, items: list[FeedEvent], accounts: dict[str, CustomerAccount]) -> None:
    """Post one FEED entry through hub.customers.feed; new items are appended to `items`."""
    from ..customers import feed
    from ..customers.schemas import NewEvent

    if entry[0] == "reply":
        feed.reply(items[-1], user(entry[1]), entry[2])
    elif entry[0] == "reply_to":  # a later answer to an earlier item, named by how its text begins
        asked = next(i for i in items if i.body.startswith(entry[1]))
        feed.reply(asked, user(entry[2]), entry[3])
    elif entry[0] == "status":
        item, actor = items[-1], user(entry[1])
        if item.kind == "task":
            feed.change_task(item, actor, status=entry[2])
        else:
            feed.set_request_status(item, actor, entry[2])
    else:
        name, author, fields = entry
        data = NewEvent.model_validate(_fields(fields)).root
        items.append(feed.post_event(accounts[name], user(author), data).event)
