"""Socket.IO room names: every room Hub uses is named here, and only here.

A client joins rooms with the generic `join` event (`{"customer_id": 3}` -> `customer:3`); the
payload key and prefix of each joinable kind are the JOINABLE pairs below. The others are joined by
the server itself on connect (a person's own room, and one room per credential so that ending a
sign-in or revoking a token can close exactly its sockets).
"""

USER = "user"
SESSION = "session"
TOKEN = "token"
CUSTOMER = "customer"
PORTAL = "portal"
DOCUMENT = "doc"

# Payload key -> room prefix, for the rooms a client may ask to join (each checked by policy.can_join).
JOINABLE = {"customer_id": CUSTOMER, "portal_id": PORTAL, "document_id": DOCUMENT}


def name(prefix: str, ident: int) -> str:
    return f"{prefix}:{ident}"


def user(user_id: int) -> str:
    return name(USER, user_id)


def session(session_id: int) -> str:
    return name(SESSION, session_id)


def token(token_id: int) -> str:
    return name(TOKEN, token_id)


def customer(account_id: int) -> str:
    return name(CUSTOMER, account_id)


def portal(account_id: int) -> str:
    return name(PORTAL, account_id)


def document(document_id: int) -> str:
    return name(DOCUMENT, document_id)
