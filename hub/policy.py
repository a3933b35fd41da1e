"""Every permission decision in Hub.

Two layers, both here:
- ROUTES gives each endpoint an audience (who may call it at all). The app refuses
  every request whose endpoint has no entry, so a new route without a decision fails
  closed, and the route x role test fails until one is written here.
- Object rules (`can_*`, `visible_*`) decide about one record: views load the record,
  ask here, and answer 404 when the person may not even know it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ids import parse_id

if TYPE_CHECKING:
    from .models import Department, Post, Question, User

# Audiences, from widest to narrowest.
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in person, customers included
STAFF = "staff"  # staff and admins: the internal hub
ADMIN = "admin"
CUSTOMER = "customer"  # customer users only: their portal

ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "ops.healthz": PUBLIC,  # load balancers probe without credentials
    "auth.login": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.set_language": PUBLIC,
    "auth.profile": SIGNED_IN,
    "auth.create_token": SIGNED_IN,
    "auth.revoke_token": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.end_session": SIGNED_IN,  # one's own sign-ins only: can_end_sign_in
    "auth.end_all_sessions": SIGNED_IN,
    "main.home": SIGNED_IN,  # customers are sent on to their portal
    "main.people": STAFF,
    "admin.index": ADMIN,
    "admin.create_user": ADMIN,
    "admin.toggle_user": ADMIN,
    "admin.create_department": ADMIN,
    "admin.toggle_department": ADMIN,
    "admin.create_account": ADMIN,
    "admin.toggle_account": ADMIN,
    "departments.index": STAFF,
    "departments.show": STAFF,
    "departments.create_post": STAFF,
    "departments.show_post": STAFF,
    "departments.ask": STAFF,
    "departments.show_question": STAFF,
    "departments.answer": STAFF,
    "departments.accept": STAFF,
    "portal.home": CUSTOMER,
    "api.openapi": PUBLIC,
    "api.get_me": SIGNED_IN,
    "api.list_departments": STAFF,
    "api.get_department": STAFF,
    "api.list_posts": STAFF,
    "api.create_post": STAFF,
    "api.create_question": STAFF,
    "api.get_question": STAFF,
    "api.create_answer": STAFF,
    "api.accept_answer": STAFF,
}


def role_of(user) -> str:
    """Name the audience a person falls in: anonymous, customer, staff or admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return user.role


def audience_admits(audience: str, role: str) -> bool:
    """Decide whether a person of `role` belongs to `audience`."""
    if audience == PUBLIC:
        return True
    if role == "anonymous":
        return False
    return {
        SIGNED_IN: True,
        STAFF: role in ("staff", "admin"),
        ADMIN: role == "admin",
        CUSTOMER: role == "customer",
    }[audience]


def route_audience(endpoint: str | None) -> str | None:
    """Return the audience of an endpoint, or None when no decision was written."""
    return ROUTES.get(endpoint or "")


# --- object rules --------------------------------------------------------------


def can_view_department(user: User, department: Department) -> bool:
    return user.is_staff and (department.active or user.is_admin)


def can_post_in(user: User, department: Department) -> bool:
    """Experience notes are written by the department's own members (and admins)."""
    return can_view_department(user, department) and (
        user.is_admin or department.id in user.department_ids
    )


def can_ask_in(user: User, department: Department) -> bool:
    return can_view_department(user, department) and department.active


def can_view_post(user: User, post: Post) -> bool:
    return can_view_department(user, post.department)


def can_view_question(user: User, question: Question) -> bool:
    return can_view_department(user, question.department)


def can_answer(user: User, question: Question) -> bool:
    return can_view_question(user, question) and question.department.active


def can_accept_answer(user: User, question: Question) -> bool:
    """The asker, a member of the question's department, or an admin picks the accepted answer."""
    return can_view_question(user, question) and (
        user.is_admin or user.id == question.author_id or question.department_id in user.department_ids
    )


def can_manage(user: User) -> bool:
    """Create and disable users, departments and customer accounts."""
    return user.is_admin


def can_end_sign_in(user: User, login_session) -> bool:
    """Only the person signs out their own devices (admins disable a person instead)."""
    return login_session.user_id == user.id


def can_see_health_details(user, local_probe: bool) -> bool:
    """Free disk bytes and index counts help an attacker: admins and probes on the host itself only."""
    return local_probe or role_of(user) == "admin"


# --- social: ratings, comments, mentions, rankings, experts (issue 4) ------------

ROUTES.update(
    {
        "social.experts": STAFF,
        "social.person": STAFF,
        "api.get_rating": STAFF,
        "api.put_rating": STAFF,
        "api.delete_rating": STAFF,
        "api.list_document_comments": STAFF,
        "api.create_document_comment": STAFF,
        "api.list_post_comments": STAFF,
        "api.create_post_comment": STAFF,
        "api.list_answer_comments": STAFF,
        "api.create_answer_comment": STAFF,
        "api.update_comment": STAFF,
        "api.delete_comment": STAFF,
        "api.mark_comment_helpful": STAFF,
        "api.unmark_comment_helpful": STAFF,
        "api.record_document_view": STAFF,
        "api.list_rankings": STAFF,
        "api.list_experts": STAFF,
        "api.suggest_people": STAFF,
    }
)


def can_view_document(user: User, document) -> bool:
    """Admins see all; staff see `staff` documents and their own departments' ones; customers what is shared."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    if user.is_customer:
        return shared_with_customer(user, document)  # portal section: an active share with their account
    if not user.is_staff:
        return False
    return document.visibility == "staff" or document.department_id in user.department_ids


def visible_documents(user: User):
    """A SQL condition on Document that keeps only what `can_view_document` admits (for lists, rankings)."""
    from sqlalchemy import false, or_, true

    from .models import Document

    if getattr(user, "is_authenticated", False) and user.is_customer:
        return shared_documents_condition(user)  # portal section
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return false()
    if user.is_admin:
        return true()
    return or_(Document.visibility == "staff", Document.department_id.in_(sorted(user.department_ids)))


def can_rate(user: User, document) -> bool:
    return user.is_staff and can_view_document(user, document)


def can_view_comment_target(user: User, kind: str, target) -> bool:
    """A comment is visible to whoever may see what it is attached to."""
    if kind == "document":
        return can_view_document(user, target)
    if kind == "post":
        return can_view_post(user, target)
    return can_view_question(user, target.question)


def can_comment(user: User, kind: str, target) -> bool:
    return user.is_staff and can_view_comment_target(user, kind, target)


def can_view_comment(user: User, comment) -> bool:
    return comment.deleted_at is None and can_view_comment_target(user, comment.target_kind, comment.target)


def can_edit_comment(user: User, comment) -> bool:
    """Only the author rewrites their words; moderators delete but never edit."""
    return comment.deleted_at is None and comment.author_id == user.id


def can_delete_comment(user: User, comment) -> bool:
    return comment.deleted_at is None and (comment.author_id == user.id or can_moderate(user))


def can_moderate(user: User) -> bool:
    """Admins moderate comments: they may remove anyone's."""
    return user.is_admin


def can_mark_helpful(user: User, comment) -> bool:
    """Colleagues (not the author) may mark a comment they can see as helpful."""
    return user.is_staff and comment.author_id != user.id and can_view_comment(user, comment)


# --- customers: accounts, the account feed, notifications, socket rooms (issue 6) ----

ROUTES.update(
    {
        "customers.index": STAFF,
        "customers.show": STAFF,
        "customers.post_event": STAFF,
        "customers.update_task": STAFF,
        "customers.reply": STAFF,
        "customers.set_request_status": STAFF,
        "customers.acknowledge": STAFF,
        "customers.edit": STAFF,
        "customers.add_member": STAFF,
        "customers.remove_member": STAFF,
        "customers.add_contact": STAFF,
        "customers.remove_contact": STAFF,
        "notifications.index": SIGNED_IN,
        "notifications.mark_read": SIGNED_IN,
        "notifications.open": SIGNED_IN,
        "api.list_customers": STAFF,
        "api.get_customer": STAFF,
        "api.list_customer_events": STAFF,
        "api.create_customer_event": STAFF,
        "api.update_task": STAFF,
        "api.create_help_reply": STAFF,
        "api.update_help_request": STAFF,
        "api.acknowledge_complaint": STAFF,
        "api.list_complaint_alerts": STAFF,
        "api.list_notifications": SIGNED_IN,
        "api.read_notifications": SIGNED_IN,
    }
)


def can_view_customer(user: User, account) -> bool:
    """Every staff member sees the customer accounts (disabled ones: admins only); customers never do."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    return account.active or user.is_admin


def can_post_event(user: User, account) -> bool:
    """Staff write notes, calls, visits, tasks and help requests on any active account they can see."""
    return can_view_customer(user, account) and account.active


def can_log_complaint(user: User, account) -> bool:
    """Complaints are logged by service staff (and admins); customers submit theirs in the portal."""
    return can_post_event(user, account) and (user.is_admin or user.job == "service")


def can_edit_account(user: User, account) -> bool:
    """The owner and admins change an account's details, team and key contacts."""
    return can_view_customer(user, account) and (user.is_admin or account.owner_id == user.id)


def can_change_task(user: User, task) -> bool:
    """Complete, reopen or reassign a task: its author, its assignee, the account owner or an admin."""
    return can_post_event(user, task.account) and (
        user.is_admin or user.id in (task.author_id, task.assignee_id, task.account.owner_id)
    )


def can_reply_request(user: User, request) -> bool:
    return can_post_event(user, request.account)


def can_solve_request(user: User, request) -> bool:
    """Mark a help request solved (or open again): the asker, the person or department asked, an admin."""
    return can_post_event(user, request.account) and (
        user.is_admin
        or user.id in (request.author_id, request.to_user_id)
        or (request.to_department_id is not None and request.to_department_id in user.department_ids)
    )


def can_acknowledge(user: User, complaint) -> bool:
    """The account owner acknowledges a complaint (admins may stand in)."""
    return can_view_customer(user, complaint.account) and (
        user.is_admin or user.id == complaint.account.owner_id
    )


def can_read_notification(user: User, note) -> bool:
    return note.user_id == user.id


# Socket.IO rooms: `<prefix>:<id>`. Each prefix has one rule (user, id) -> bool; an area adds its
# own prefix here (e.g. ROOM_RULES["doc"] = ...). A prefix without a rule is refused.
INTERNAL_ROOM_PREFIXES = {"customer", "doc"}  # staff-only rooms: customer users never join these


def _join_user_room(user: User, ident: int) -> bool:
    return user.id == ident


def _join_customer_room(user: User, ident: int) -> bool:
    from .extensions import db
    from .models import CustomerAccount

    account = db.session.get(CustomerAccount, ident)
    return account is not None and can_view_customer(user, account)


ROOM_RULES = {"user": _join_user_room, "customer": _join_customer_room}


def can_join(user: User, room: str) -> bool:
    """Decide whether a person may listen to a Socket.IO room; unknown or malformed rooms are refused."""
    if not getattr(user, "is_authenticated", False) or not isinstance(room, str):
        return False
    prefix, _, raw_id = room.partition(":")
    ident = parse_id(raw_id)
    if ident is None or str(ident) != raw_id:  # ASCII digits only, and one spelling per room
        return False
    if user.is_customer and prefix in INTERNAL_ROOM_PREFIXES:
        return False
    rule = ROOM_RULES.get(prefix)
    return rule is not None and rule(user, ident)


# --- documents: upload, versions, previews (issue 3) ----------------------------
# can_view_document and visible_documents are defined in the social section above (same rule as
# issue 3 asks: admins all; staff `staff` documents and their departments'; customers none until
# shares arrive with the portal issue, which extends can_view_document and visible_documents).

ROUTES.update(
    {
        "documents.index": STAFF,
        "documents.show": STAFF,
        "documents.download": STAFF,
        "documents.upload_version": STAFF,
        "documents.delete": STAFF,
        "documents.retry": ADMIN,
        "api.list_documents": STAFF,
        "api.create_document": STAFF,
        "api.get_document": STAFF,
        "api.get_document_page": STAFF,
        "api.get_document_thumbnail": STAFF,
        "api.get_document_text": STAFF,
        "api.download_document": STAFF,
        "api.create_document_version": STAFF,
        "api.delete_document": STAFF,
        "api.retry_document_preview": ADMIN,
    }
)


def visible_documents_filter(user: User):
    """The where-clause for document lists (the same as visible_documents)."""
    return visible_documents(user)


def can_upload_to(user: User, department: Department) -> bool:
    """Members of an active department (and admins) add documents to it."""
    return can_post_in(user, department) and department.active


def can_edit_document(user: User, document) -> bool:
    """New versions, deletion: the owner or an admin."""
    return can_view_document(user, document) and (user.is_admin or document.owner_id == user.id)


def can_retry_preview(user: User, document) -> bool:
    return user.is_admin and can_view_document(user, document)


def _join_document_room(user: User, ident: int) -> bool:
    from .extensions import db
    from .models import Document

    document = db.session.get(Document, ident)
    return document is not None and can_view_document(user, document)


ROOM_RULES["doc"] = _join_document_room


# --- search (issue 5) ------------------------------------------------------------
# Each index entry stores scope tokens; a reader's tokens are matched inside the query, so
# pages, counts and facets only ever contain what the reader may see.

ROUTES.update(
    {
        "search.index": SIGNED_IN,  # customers search the documents shared with their account
        "search.dictionary": ADMIN,
        "search.add_word": ADMIN,
        "search.delete_word": ADMIN,
        "api.search": SIGNED_IN,
        "api.search_suggest": SIGNED_IN,
    }
)

SEARCH_ADMIN_TOKEN = "admin"  # entries only admins may see (department-only content, disabled areas)


def search_scope(user: User) -> list[str]:
    """The scope tokens a reader's search admits: staff, their departments, or their own account."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_customer:
        return [f"account:{user.account_id}"] if user.account_id else []
    tokens = ["staff"] + [f"dept:{d}" for d in sorted(user.department_ids)]
    if user.is_admin:
        tokens.append(SEARCH_ADMIN_TOKEN)
    return tokens


def search_kinds(user: User, kinds: list[str]) -> list[str]:
    """Which kinds of record a reader may find: customer users only documents shared with them."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_customer:
        return [k for k in kinds if k == "document"]
    return list(kinds)


def document_search_scope(document, shared_account_ids=()) -> list[str]:
    """Who finds a document: all staff or its department's members (admins always), and shared accounts."""
    tokens = ["staff"] if document.visibility == "staff" else [f"dept:{document.department_id}"]
    tokens.append(SEARCH_ADMIN_TOKEN)
    return tokens + [f"account:{a}" for a in shared_account_ids]


def department_content_scope(department) -> list[str]:
    """Notes, questions and answers: all staff while the department is active, then admins only."""
    return ["staff", SEARCH_ADMIN_TOKEN] if department.active else [SEARCH_ADMIN_TOKEN]


def customer_search_scope(account) -> list[str]:
    """Customer accounts are found by staff (disabled ones by admins), never by customer users."""
    return ["staff", SEARCH_ADMIN_TOKEN] if account.active else [SEARCH_ADMIN_TOKEN]


def comment_search_scope(target_scope: list[str]) -> list[str]:
    """A comment is found by whoever may see its target, except customer users (comments are internal)."""
    return [t for t in target_scope if not t.startswith("account:")]


# --- assessments: customer value and opening position (issue 9) ----------------------
# Internal judgement about a customer: staff who may see the account read and write it; customer
# users never reach it (STAFF routes answer them 403, and the account page's panel is staff-only).

ROUTES.update(
    {
        "assessments.overview": STAFF,
        "assessments.account": STAFF,
        "assessments.create": STAFF,
        "assessments.record_share": STAFF,
        "api.list_assessments": STAFF,
        "api.create_assessment": STAFF,
        "api.assessments_overview": STAFF,
    }
)


def can_view_assessments(user: User, account) -> bool:
    """Whoever may see the account sees its assessments (staff; disabled accounts: admins)."""
    return can_view_customer(user, account)


def can_assess(user: User, account) -> bool:
    """Staff who may see the account score it and record its past business, while the account is active."""
    return can_view_customer(user, account) and account.active


def assessable_accounts(user: User):
    """A SQL condition on CustomerAccount that keeps what `can_view_assessments` admits (for the overview)."""
    from sqlalchemy import false, true

    from .models import CustomerAccount

    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return false()
    return true() if user.is_admin else CustomerAccount.active


# --- portal: the customer VIP space, document shares, engagement (issue 7) ------------
# A customer user reaches only CUSTOMER routes (their portal) and, inside it, only rows of their
# own account; documents only through an active share (not revoked, not expired) of that account.

ROUTES.update(
    {
        "portal.document": CUSTOMER,
        "portal.submit_request": CUSTOMER,
        "portal.send_message": CUSTOMER,
        "portal.logo": CUSTOMER,
        "api.portal_home": CUSTOMER,
        "api.portal_documents": CUSTOMER,
        "api.portal_document": CUSTOMER,
        "api.portal_document_page": CUSTOMER,
        "api.portal_document_thumbnail": CUSTOMER,
        "api.portal_document_download": CUSTOMER,
        "api.portal_requests": CUSTOMER,
        "api.portal_create_request": CUSTOMER,
        "api.portal_messages": CUSTOMER,
        "api.portal_create_message": CUSTOMER,
        # staff side
        "sharing.create_share": STAFF,
        "sharing.revoke_share": STAFF,
        "sharing.post_announcement": STAFF,
        "sharing.send_message": STAFF,
        "sharing.reply_request": STAFF,
        "sharing.upload_logo": STAFF,
        "sharing.account_logo": STAFF,
        "api.create_share": STAFF,
        "api.list_document_shares": STAFF,
        "api.delete_share": STAFF,
        "api.get_customer_engagement": STAFF,
        "api.list_account_messages": STAFF,
        "api.create_account_message": STAFF,
    }
)


def portal_account(user: User):
    """The account whose portal this person may use, or None (not a customer, disabled, no account)."""
    if not getattr(user, "is_authenticated", False) or not user.is_customer or not user.active:
        return None
    account = user.account
    return account if account is not None and account.active else None


def active_share(account_id: int | None, document_id: int):
    """The share granting a document to an account right now (not revoked, not expired), or None."""
    from sqlalchemy import or_, select

    from .extensions import db
    from .models import Share, utcnow

    if account_id is None:
        return None
    return db.session.scalar(
        select(Share)
        .where(
            Share.account_id == account_id,
            Share.document_id == document_id,
            Share.revoked_at.is_(None),
            or_(Share.expires_at.is_(None), Share.expires_at > utcnow()),
        )
        .order_by(Share.id.desc())
        .limit(1)
    )


def shared_with_customer(user: User, document) -> bool:
    """A customer user sees a document while an active share grants it to their (active) account."""
    account = portal_account(user)
    return account is not None and active_share(account.id, document.id) is not None


def shared_documents_condition(user: User):
    """A SQL condition on Document: shared with the customer's (active) account right now."""
    from sqlalchemy import false, or_, select

    from .models import Document, Share, utcnow

    account = portal_account(user)
    if account is None:
        return false()
    active = select(Share.document_id).where(
        Share.account_id == account.id,
        Share.revoked_at.is_(None),
        or_(Share.expires_at.is_(None), Share.expires_at > utcnow()),
    )
    return Document.id.in_(active)


def can_download_shared(user: User, document) -> bool:
    account = portal_account(user)
    share = active_share(account.id, document.id) if account is not None else None
    return share is not None and share.allow_download


def can_share_document(user: User, document, account) -> bool:
    """Staff who may read the document and see the (active) account grant it to that account."""
    return user.is_staff and can_view_document(user, document) and can_post_event(user, account)


def can_revoke_share(user: User, share) -> bool:
    """Whoever shared it, the document's owner, the account's owner, or an admin."""
    return user.is_staff and can_view_customer(user, share.account) and (
        user.is_admin or user.id in (share.created_by_id, share.document.owner_id, share.account.owner_id)
    )


def can_serve_account(user: User, account) -> bool:
    """Post announcements, answer the conversation and portal requests: staff on an active account."""
    return can_post_event(user, account)


def can_view_engagement(user: User, account) -> bool:
    """What the customer's people read: the account owner, its team and service contacts, admins."""
    if not can_view_customer(user, account):
        return False
    if user.is_admin or account.owner_id == user.id:
        return True
    from .extensions import db
    from .models import AccountMember

    return db.session.query(AccountMember).filter_by(account_id=account.id, user_id=user.id).first() is not None


def _join_portal_room(user: User, ident: int) -> bool:
    """`portal:<account id>`: that account's customer users, and staff who serve it."""
    from .extensions import db
    from .models import CustomerAccount

    if user.is_customer:
        account = portal_account(user)
        return account is not None and account.id == ident
    account = db.session.get(CustomerAccount, ident)
    return account is not None and can_serve_account(user, account)


ROOM_RULES["portal"] = _join_portal_room


# --- mentions: who may name colleagues with @Name ------------------------------------------------


def can_mention(user: User | None) -> bool:
    """Only staff name colleagues with @Name; a customer's text stays plain (no notification, no link)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
