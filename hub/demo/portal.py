"""The VIP portal of 华东精密制造集团: shared documents, a welcome, an announcement, a request with the
team's answer, and a conversation, each made through hub.portal's services."""

from datetime import timedelta
from io import BytesIO

from sqlalchemy import inspect, select
from werkzeug.datastructures import FileStorage

from ..extensions import db
from ..models import CustomerAccount, Department, Document, Share
from .company import user
from .history import ago, at

PORTAL_ACCOUNT = "华东精密制造集团"
# title, file name, Markdown text, download allowed (notes written for the customer, uploaded as Markdown)
PORTAL_NOTES = [
    ("销售通制造业解决方案", "销售通制造业解决方案.md",
     "# 销售通制造业解决方案\n\n## 经销商管理\n\n- 经销商库存每十五分钟从 SAP 同步一次\n- 渠道订单在手机上审批\n\n"
     "## 三家工厂统一销售平台\n\n统一客户主数据、统一报价口径，按工厂拆分报表。\n\n"
     "| 工厂 | 销售人数 | 上线批次 |\n|---|---|---|\n| 嘉定工厂 | 45 | 第一批 |\n| 昆山工厂 | 30 | 第一批 |\n"
     "| 南通工厂 | 25 | 第二批 |\n", True),
    ("SAP 库存实时对接说明", "SAP库存实时对接说明.md",
     "# SAP 库存实时对接说明\n\n1. 客户 IT 开放 RFC 接口\n2. 配置连接器与同步频率\n3. 联调一周，验收库存数据一致性\n", False),
]
# library documents (hub.demo.library_content) shared as well: title, download allowed
SHARED_LIBRARY = [("销售通产品手册（2026 版）", True), ("苏州汽配厂：经销商库存实时可见", False)]
WELCOME = "钱总好，这里是云帆科技为华东精密制造集团开设的专属服务空间：方案资料、演示安排和服务进度都在这里。"
ANNOUNCEMENT = "下周三下午 14:00 在贵司会议室进行三厂统一销售平台演示，财务总监也会参加。演示材料已共享在下方文档中。"
# author email, text
CONVERSATION = [
    ("qian@hdjm.demo", "王经理，演示能否加上经销商库存的部分？我们的渠道库存一直是个痛点。"),
    ("wanglei@yunfan.demo", "钱总好，没问题。我们已经准备了经销商库存的样例数据，演示时会重点讲。"),
    ("zhaojing@yunfan.demo", "钱总，演示环境账号已经开通，张工随时可以先试用，有问题在这里找我。"),
]
REQUEST = ("qian@hdjm.demo", "演示环境里能不能导入我们嘉定工厂上个月的真实订单？想让财务总监看到自己熟悉的数字。")
REQUEST_ANSWER = ("zhaojing@yunfan.demo", "可以。请张工把订单导出表发给我，我们脱敏后今天下班前导入演示环境，导入后在这里告诉您。")


def load_portal() -> bool:
    """Share documents with the demo account and fill its portal (once: skipped when it has a share)."""
    from ..documents import services as documents
    from ..portal import branding, shares
    from ..portal import services as portal

    if not inspect(db.session.connection()).has_table(Share.__tablename__):
        return False  # the database predates the portal's tables (run `flask db upgrade`)
    account = db.session.scalar(select(CustomerAccount).where(CustomerAccount.name == PORTAL_ACCOUNT))
    if account is None or db.session.scalar(select(Share.id).where(Share.account_id == account.id).limit(1)):
        return False
    author, owner = user("hebin@yunfan.demo"), user("wanglei@yunfan.demo")
    dept = db.session.scalar(select(Department).where(Department.name == "移动CRM产品部"))
    for title, filename, text, download in PORTAL_NOTES:
        doc = db.session.scalar(select(Document).where(Document.title == title))
        if doc is None:
            upload = FileStorage(BytesIO(text.encode()), filename=filename)
            written = ago(days=4, hours=5)  # written for the customer just before the space opened
            with at(written):
                doc = documents.create_document(author, dept, upload, title=title, category="product",
                                                tags="制造业,销售通", visibility="staff")
            doc.created_at = doc.updated_at = doc.current_version.created_at = written
        with at(ago(days=4, hours=2)):  # the space opened a few days ago, the conversation is recent
            shares.share(doc, account, owner, allow_download=download)
    for title, download in SHARED_LIBRARY:
        doc = db.session.scalar(select(Document).where(Document.title == title))
        if doc is not None:
            # never before the document itself came out
            with at(min(max(ago(days=4), doc.created_at + timedelta(hours=1)), ago(hours=3))):
                shares.share(doc, account, owner, allow_download=download)
    branding.set_welcome(account, WELCOME)
    with at(ago(days=3, hours=20)):
        portal.post_announcement(account, owner, ANNOUNCEMENT)
    for n, (email, body) in enumerate(CONVERSATION):
        with at(ago(days=2 - n * 0.6, hours=1)):
            portal.send_message(account, user(email), body)
    asker, text = REQUEST
    with at(ago(hours=20)):
        row = portal.submit_request(account, user(asker), "request", text)
    who, answer = REQUEST_ANSWER
    with at(ago(hours=17)):
        portal.reply_request(row, user(who), answer)
    db.session.commit()
    return True
