"""Opening assessments of the demo accounts: past business and scored openings, one in each value quadrant."""

from sqlalchemy import select

from ..extensions import db
from ..models import Assessment, CustomerAccount
from .company import user

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


def load_assessments() -> bool:
    """Record past business and assessments on the demo accounts unless any of them already has one."""
    from ..assessments import services as records
    from ..assessments.schemas import AssessmentIn

    accounts = {a.name: a for a in db.session.scalars(select(CustomerAccount))}
    if any(name not in accounts for name, *_ in ASSESSMENTS):
        return False
    ids = [accounts[name].id for name, *_ in ASSESSMENTS]
    if db.session.scalar(select(Assessment.id).where(Assessment.account_id.in_(ids)).limit(1)) is not None:
        return False
    for name, past, made in ASSESSMENTS:
        account = accounts[name]
        for competitor, amount in past.items():
            records.save_share(account, account.owner, competitor, amount)
        for email, fields in made:
            records.record(account, user(email), AssessmentIn.model_validate(fields))
    return True
