"""Search scopes. Each index entry stores scope tokens; a reader's tokens are matched inside the query,
so pages, counts and facets only ever contain what the reader may see."""

from __future__ import annotations

from ..models import User

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
