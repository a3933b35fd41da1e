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
