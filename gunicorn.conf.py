"""gunicorn settings for `make serve`; every value can be overridden by environment variables.

Nothing here imports `hub`: the master stays free of the app's libraries, which each worker imports
after gevent has patched the standard library (wsgi.py).
"""

import os
import socket
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent

bind = os.environ.get("HUB_BIND", "127.0.0.1:8000")
# One gevent worker per core when Redis carries Socket.IO events (and rate limits, and jobs) between
# processes; one without it. Each Socket.IO session stays with the worker that made it (hub/sticky.py).
redis_url = os.environ.get("HUB_REDIS_URL") or None
workers = int(os.environ.get("HUB_WORKERS") or ((os.cpu_count() or 1) if redis_url else 1))
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
# gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): two masters on one host
# (several `make serve`, or tests) would take it from each other; Hub does not use it.
control_socket_disable = True

# Each worker's unix socket for the Socket.IO requests of its sessions that reach another worker. The
# instance folder as hub/config.py finds it; HUB_RUN_DIR when that path is too long for a unix socket.
RUN_DIR = Path(os.environ.get("HUB_RUN_DIR") or Path(os.environ.get("HUB_INSTANCE") or ROOT / "instance") / "run")
UNIX_PATH_MAX = 100  # sun_path holds 108 bytes on Linux, 104 on BSD and macOS
STICKY = workers > 1


def socket_path(pid: int) -> Path:
    return RUN_DIR / f"worker-{pid}.sock"  # as hub.sticky.socket_path


def on_starting(server):
    """Refuse settings that would split Socket.IO; make the run folder, minus sockets left by a crash."""
    if workers > 1 and not redis_url:
        raise SystemExit(f"Hub cannot start: HUB_WORKERS={workers} needs HUB_REDIS_URL (without it each "
                         "worker has its own Socket.IO rooms, rate limits and job runner)")
    if not STICKY:
        return
    if len(str(socket_path(4194304))) > UNIX_PATH_MAX:
        raise SystemExit(f"Hub cannot start: {RUN_DIR} is too long a path for unix sockets; set HUB_RUN_DIR")
    RUN_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(RUN_DIR, 0o700)  # only this user's processes may talk to the workers directly
    remove_dead_sockets()


def remove_dead_sockets():
    """Sockets nobody listens on: workers that died without cleaning up (another Hub's live ones stay)."""
    for stale in RUN_DIR.glob("worker-*.sock"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(stale))
            except ConnectionRefusedError:
                stale.unlink(missing_ok=True)
            except OSError:
                pass


def post_worker_init(worker):
    import gevent

    from hub import sticky

    gevent.spawn(sticky.close_sessions_on_stop, worker)
    if STICKY:
        worker.hub_peers = sticky.install(worker, RUN_DIR)


def worker_exit(server, worker):
    """Remove the worker's unix socket; stop its warm LibreOffice (its own session: it would outlive the worker)."""
    peers = getattr(worker, "hub_peers", None)
    if peers is not None:
        peers.stop()
    from hub.documents import office

    office.stop_for_exit()


def child_exit(server, worker):
    """In the master: a worker killed before its worker_exit leaves its socket behind."""
    if STICKY:
        with suppress(OSError):
            socket_path(worker.pid).unlink(missing_ok=True)


def on_exit(server):
    """The master stops: workers it killed at graceful_timeout never reached worker_exit."""
    if not STICKY:
        return
    for pid in list(server.WORKERS):
        with suppress(ChildProcessError):
            os.waitpid(pid, 0)  # just sent SIGKILL: gone in a moment, and its socket refuses after
        socket_path(pid).unlink(missing_ok=True)
    remove_dead_sockets()
