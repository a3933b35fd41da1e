"""gunicorn settings for `make serve`; every value can be overridden by environment variables."""

import os

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
# One gevent worker by default: Socket.IO's long-polling needs sticky sessions, which gunicorn cannot
# give across its own workers. To use more cores, run several `make serve` on different ports behind a
# load balancer with sticky sessions, sharing HUB_REDIS_URL and DATABASE_URL (see README).
# HUB_WORKERS > 1 suits API-only traffic (the load benchmark uses 2).
workers = int(os.environ.get("HUB_WORKERS", "1"))
worker_class = "gevent"
worker_connections = int(os.environ.get("HUB_WORKER_CONNECTIONS", "1000"))
timeout = 60
graceful_timeout = 20
accesslog = None  # hub.access logs every request as JSON with its request id
errorlog = "-"
forwarded_allow_ips = os.environ.get("HUB_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request lines over this many bytes get gunicorn's own plain 414 before the app sees them; 8190 is its
# maximum. Shorter URLs over HUB_MAX_URL_BYTES (8000) get the app's own 414.
limit_request_line = int(os.environ.get("HUB_LIMIT_REQUEST_LINE", "8190"))


def worker_exit(server, worker):
    """Stop the worker's warm LibreOffice (its own session: it would outlive the worker otherwise)."""
    from hub.documents import office

    office.stop_for_exit()
