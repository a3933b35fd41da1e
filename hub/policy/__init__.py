"""Every permission decision in Hub, one module per area behind one import (`from hub import policy`).

Two layers:
- ROUTES (routes.py) gives each endpoint an audience (who may call it at all). The app refuses
  every request whose endpoint has no entry, so a new route without a decision fails closed, and
  the route x role test fails until one is written there.
- Object rules (`can_*`, `visible_*`) decide about one record: views load the record, ask here,
  and answer 404 when the person may not even know it exists. Socket.IO room rules are gathered
  in joins.py (ROOM_RULES, can_join).
The queries behind share decisions live in hub.portal.share_queries.
"""

from ..portal.share_queries import active_share
from .accounts import can_end_sign_in, can_make_reset_link, can_manage, can_see_health_details
from .assessments import assessable_accounts, can_assess, can_view_assessments
from .audiences import ADMIN, CUSTOMER, PUBLIC, SIGNED_IN, STAFF, audience_admits, role_of
from .customers import (
    can_acknowledge,
    can_change_task,
    can_edit_account,
    can_log_complaint,
    can_post_event,
    can_read_notification,
    can_reply_request,
    can_solve_request,
    can_view_customer,
)
from .departments import (
    can_accept_answer,
    can_answer,
    can_ask_in,
    can_post_in,
    can_view_department,
    can_view_post,
    can_view_question,
)
from .documents import (
    can_edit_document,
    can_retry_preview,
    can_upload_to,
    can_view_document,
    visible_documents,
    visible_documents_filter,
)
from .follows import can_follow
from .joins import INTERNAL_ROOM_PREFIXES, ROOM_RULES, can_join
from .portal import (
    can_download_shared,
    can_serve_account,
    can_view_engagement,
    portal_account,
    shared_with_customer,
)
from .routes import ROUTES, route_audience
from .search import (
    SEARCH_ADMIN_TOKEN,
    comment_search_scope,
    customer_search_scope,
    department_content_scope,
    document_search_scope,
    search_kinds,
    search_scope,
)
from .sharing import can_revoke_share, can_share_document
from .social import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_mark_answer_helpful,
    can_mark_helpful,
    can_mention,
    can_moderate,
    can_rate,
    can_view_comment,
    can_view_comment_target,
)

__all__ = [
    "ADMIN", "CUSTOMER", "INTERNAL_ROOM_PREFIXES", "PUBLIC", "ROOM_RULES", "ROUTES", "SEARCH_ADMIN_TOKEN",
    "SIGNED_IN", "STAFF", "active_share", "assessable_accounts", "audience_admits", "can_accept_answer",
    "can_acknowledge", "can_answer", "can_ask_in", "can_assess", "can_change_task", "can_comment",
    "can_delete_comment", "can_download_shared", "can_edit_account", "can_edit_comment", "can_edit_document",
    "can_end_sign_in", "can_follow", "can_join", "can_log_complaint", "can_manage", "can_mark_answer_helpful",
    "can_make_reset_link", "can_mark_helpful", "can_mention",
    "can_moderate", "can_post_event", "can_post_in", "can_rate", "can_read_notification", "can_reply_request",
    "can_retry_preview", "can_revoke_share", "can_see_health_details", "can_serve_account",
    "can_share_document", "can_solve_request", "can_upload_to", "can_view_assessments", "can_view_comment",
    "can_view_comment_target", "can_view_customer", "can_view_department", "can_view_document",
    "can_view_engagement", "can_view_post", "can_view_question", "comment_search_scope",
    "customer_search_scope", "department_content_scope", "document_search_scope", "portal_account",
    "role_of", "route_audience", "search_kinds", "search_scope", "shared_with_customer", "visible_documents",
    "visible_documents_filter",
]
