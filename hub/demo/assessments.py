"""Opening assessments of the demo accounts: past business and scored openings, one in each value quadrant."""

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, CustomerAccount
from .company import user
from .history import ago, at

# account, past business in the same product line (10k CNY; "" is us), assessments in the order made:
# (author, fields of an AssessmentIn). The newest of each opportunity places it: 三厂统一销售平台 and
# 客服中心续约 big business with big impact, 零信任网关 small business with big impact, 售后备件小程序
# big business with small impact, 门诊随访短信 small business with small impact.
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
        ("wanglei@yunfan.demo", {"opportunity": "售后备件小程序", "competitor": "远图软件", "deal_value": 60,
                                 "deal_revenue": 7, "quota_effect": 6, "follow_on": 3, "reference_value": 2,
                                 "team_morale": 4, "territory": "ours", "position": "lead",
                                 "note": "金额能帮本季度完成指标，但做完不会带来后续项目，按标准方案交付，不投入定制。"}),
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
        ("chenhao@yunfan.demo", {"opportunity": "门诊随访短信", "competitor": "智达科技", "deal_value": 8,
                                 "short_term": 2, "long_term": 3, "territory": "neutral", "position": "even",
                                 "note": "信息科顺带提的小需求，金额小、影响也小，用标准功能报价，不单独投入售前。"}),
    ]),
]


# Earlier scorings of the same openings, made weeks before the feed's entries (so the trend chart spans
# six to ten weeks): account, days ago, author, fields of an AssessmentIn.
HISTORY = [
    ("宏远物流股份", 68, "lina@yunfan.demo", {"opportunity": "客服中心续约", "competitor": "恒信云", "deal_value": 95,
     "deal_revenue": 7, "quota_effect": 7, "follow_on": 8, "reference_value": 7, "team_morale": 8,
     "territory": "ours", "position": "lead", "note": "合作第三年，许经理对坐席系统很满意，续约按计划推进。"}),
    ("安康医疗集团", 61, "chenhao@yunfan.demo", {"opportunity": "零信任网关", "competitor": "智达科技", "deal_value": 45,
     "short_term": 3, "long_term": 7, "territory": "neutral", "position": "even",
     "note": "唐主任刚开始了解零信任，智达科技也在接触，先把等保三级的要求讲清楚。"}),
    ("华东精密制造集团", 57, "wanglei@yunfan.demo", {"opportunity": "三厂统一销售平台", "competitor": "远图软件",
     "deal_value": 150, "deal_revenue": 5, "quota_effect": 5, "follow_on": 7, "reference_value": 6, "team_morale": 5,
     "territory": "ours", "position": "trail", "note": "远图先做了一轮演示，钱总觉得他们更懂制造业，我们要尽快约信息部。"}),
    ("宏远物流股份", 54, "lina@yunfan.demo", {"opportunity": "客服中心续约", "competitor": "恒信云", "deal_value": 95,
     "deal_revenue": 7, "quota_effect": 7, "follow_on": 8, "reference_value": 6, "team_morale": 7,
     "territory": "ours", "position": "lead", "note": "客户提出加粤语语音机器人，续约金额有机会上调。"}),
    ("华东精密制造集团", 44, "wanglei@yunfan.demo", {"opportunity": "三厂统一销售平台", "competitor": "远图软件",
     "deal_value": 170, "deal_revenue": 6, "quota_effect": 6, "follow_on": 8, "reference_value": 7, "team_morale": 6,
     "territory": "ours", "position": "even", "note": "张工认可我们的集成能力，范围扩大到三家工厂。"}),
    ("安康医疗集团", 40, "chenhao@yunfan.demo", {"opportunity": "零信任网关", "competitor": "智达科技", "deal_value": 45,
     "short_term": 4, "long_term": 8, "territory": "neutral", "position": "even",
     "note": "医院确定今年要过等保三级测评，预算方向明确了。"}),
    ("宏远物流股份", 38, "lina@yunfan.demo", {"opportunity": "客服中心续约", "competitor": "恒信云", "deal_value": 95,
     "deal_revenue": 6, "quota_effect": 7, "follow_on": 8, "reference_value": 6, "team_morale": 6,
     "territory": "ours", "position": "even", "note": "恒信云开始给许经理打电话，报价压力上来了。"}),
    ("华东精密制造集团", 33, "wanglei@yunfan.demo", {"opportunity": "售后备件小程序", "competitor": "远图软件",
     "deal_value": 50, "deal_revenue": 6, "quota_effect": 6, "follow_on": 3, "reference_value": 2, "team_morale": 4,
     "territory": "ours", "position": "even", "note": "售后部顺带提的需求，金额一般，按标准方案报价。"}),
    ("安康医疗集团", 30, "chenhao@yunfan.demo", {"opportunity": "门诊随访短信", "competitor": "智达科技", "deal_value": 8,
     "short_term": 2, "long_term": 2, "territory": "neutral", "position": "trail",
     "note": "门诊部想要随访短信，智达已经报过价，我们先了解需求。"}),
]
# when the newest scorings (ASSESSMENTS, in order) were made: days ago, after the feed's entries
LATEST_DAYS = {"华东精密制造集团": (5.2, 4.1, 3.3), "宏远物流股份": (1.1,), "安康医疗集团": (5.6, 4.4)}


def _demo_accounts() -> dict[str, CustomerAccount] | None:
    accounts = {a.name: a for a in db.session.scalars(select(CustomerAccount))}
    return None if any(name not in accounts for name, *_ in ASSESSMENTS) else accounts


def load_assessment_history() -> bool:
    """Record past business and the earlier assessments unless any demo account already has an assessment."""
    from ..assessments import services as records
    from ..assessments.schemas import AssessmentIn

    accounts = _demo_accounts()
    if accounts is None:
        return False
    ids = [accounts[name].id for name, *_ in ASSESSMENTS]
    if db.session.scalar(select(Assessment.id).where(Assessment.account_id.in_(ids)).limit(1)) is not None:
        return False
    for name, past, _ in ASSESSMENTS:
        for competitor, amount in past.items():
            records.save_share(accounts[name], accounts[name].owner, competitor, amount)
    for name, days, email, fields in HISTORY:
        with at(ago(days=days)):
            records.record(accounts[name], user(email), AssessmentIn.model_validate(fields))
    db.session.commit()
    return True


def load_assessments() -> bool:
    """Record the newest assessments (which place each opening in its quadrant) unless they exist."""
    from ..assessments import services as records
    from ..assessments.schemas import AssessmentIn

    accounts = _demo_accounts()
    if accounts is None:
        return False
    newest_note = ASSESSMENTS[0][2][-1][1]["note"]
    if db.session.scalar(select(Assessment.id).where(Assessment.note == newest_note).limit(1)) is not None:
        return False
    for name, _, made in ASSESSMENTS:
        for (email, fields), days in zip(made, LATEST_DAYS[name], strict=True):
            with at(ago(days=days)):
                records.record(accounts[name], user(email), AssessmentIn.model_validate(fields))
    db.session.commit()
    return True
