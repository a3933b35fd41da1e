"""Several gunicorn workers, one Socket.IO: every engine.io session is served by the worker that made it.

gunicorn's workers share one listening socket, so a client's next request (a long-poll, a POST, the
WebSocket upgrade) may reach any of them, while engine.io knows a session only in its own process. So
each worker names its sessions `<pid>.<random>` and also listens on its own unix socket
`<run dir>/worker-<pid>.sock` (served by gunicorn's own request handling, so the owner sees a request
exactly as if it had accepted it). A /socket.io/ request naming another live worker's session goes there:

- polling GET and POST are passed on as one HTTP request and the owner's answer is sent back as this
  worker's own, so the client's keep-alive connection stays free for other sessions (a browser shares
  its connections between tabs);
- a WebSocket upgrade takes the whole connection: it is spliced to the owner until either side closes.

A session of a worker that is gone falls through to this worker's engine.io, which answers 400 (unknown
session), and the client connects again. Requests without a session id are served where they landed.
Installed from gunicorn.conf.py's post_worker_init when there is more than one worker; `app.py` never
uses it.
"""

import http.client
import logging
import os
import socket
from contextlib import suppress
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs

log = logging.getLogger("hub.sticky")

SOCKETIO_PATH = "/socket.io/"
PEER_HEADER = "X-Hub-Sticky-Peer"  # the client's address, trusted only on a worker's own unix socket
PEER_KEY = "HTTP_X_HUB_STICKY_PEER"
# Answered by gunicorn itself or meaningful for one connection only; the body is re-sent with a length.
HOP_BY_HOP = {"CONNECTION", "KEEP_ALIVE", "TRANSFER_ENCODING", "TE", "TRAILER", "UPGRADE", "PROXY_CONNECTION",
              "EXPECT"}
# gunicorn trusts these from a unix-socket peer: send the scheme this worker decided, never the client's.
SCHEME_HEADERS = {"X_FORWARDED_PROTO", "X_FORWARDED_PROTOCOL", "X_FORWARDED_SSL"}
DROPPED_ANSWER_HEADERS = {"connection", "keep-alive", "transfer-encoding", "server", "date"}


def socket_path(run_dir: str | Path, pid: int) -> Path:
    return Path(run_dir) / f"worker-{pid}.sock"


def owner_of(environ: dict) -> int | None:
    """The pid named by the request's engine.io session id (`sid=<pid>.<random>`), if any."""
    if not environ.get("PATH_INFO", "").startswith(SOCKETIO_PATH):
        return None
    sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [""])[0]
    tag, dot, _rest = sid.partition(".")
    if not dot or not (tag.isascii() and tag.isdigit()) or len(tag) > 10:
        return None
    return int(tag)


def tag_session_ids(eio, pid: int) -> None:
    """Prefix the engine.io server's session ids with this worker's pid ('.' is not in its alphabet)."""
    plain = eio.generate_id
    eio.generate_id = lambda: f"{pid}.{plain()}"


def header_name(key: str) -> str:
    return "-".join(part.capitalize() for part in key.split("_"))


def request_headers(environ: dict, upgrade: bool) -> list[tuple[str, str]]:
    """The client's headers rebuilt from the environ (gunicorn drops names with '_', so this is exact)."""
    headers = []
    for key, value in environ.items():
        if not key.startswith("HTTP_") or key == PEER_KEY or key[5:] in SCHEME_HEADERS:
            continue
        if key[5:] in HOP_BY_HOP and not (upgrade and key[5:] in ("CONNECTION", "UPGRADE")):
            continue
        headers.append((header_name(key[5:]), value))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    headers.append(("X-Forwarded-Proto", environ.get("wsgi.url_scheme", "http")))
    headers.append((PEER_HEADER, f"{environ.get('REMOTE_ADDR', '')} {environ.get('REMOTE_PORT', '')}"))
    return headers


def request_target(environ: dict) -> str:
    if environ.get("RAW_URI"):
        return environ["RAW_URI"]
    query = environ.get("QUERY_STRING")
    return environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = str(path)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def invalid_session(start_response):
    """What engine.io answers for a session it does not know: the client then connects again."""
    start_response("400 BAD REQUEST", [("Content-Type", "text/plain")])
    return [b'"Invalid session"']


class Router:
    """WSGI middleware in front of the whole app: pass other workers' sessions to them."""

    def __init__(self, app, pid: int, run_dir: str | Path, own_path: Path, timeout: float, max_body: int):
        self.app, self.pid, self.run_dir, self.own_path = app, pid, Path(run_dir), own_path
        self.timeout, self.max_body = timeout, max_body

    def __call__(self, environ, start_response):
        self._restore_peer(environ)
        owner = owner_of(environ)
        if owner is not None and owner != self.pid:
            path = socket_path(self.run_dir, owner)
            if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and "gunicorn.socket" in environ:
                self._splice(environ, path)  # returns only when the owner is gone
            else:
                answer = self._forward(environ, start_response, path)
                if answer is not None:
                    return answer
        return self.app(environ, start_response)

    def _restore_peer(self, environ) -> None:
        """On our own unix socket the forwarding worker says who the client is; anywhere else it is a lie."""
        peer = environ.pop(PEER_KEY, None)
        sock = environ.get("gunicorn.socket")
        if peer is None or sock is None or sock.family != socket.AF_UNIX:
            return
        with suppress(OSError):
            if sock.getsockname() == str(self.own_path):
                addr, _, port = peer.partition(" ")
                environ["REMOTE_ADDR"] = addr
                if port:
                    environ["REMOTE_PORT"] = port

    def _forward(self, environ, start_response, path: Path):
        """One polling request to the owner; None when the owner is gone (then engine.io answers 400)."""
        declared = environ.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit() or int(declared) > self.max_body:
            return None  # more than engine.io takes: the app refuses it without reading it all
        conn = UnixHTTPConnection(path, self.timeout)
        try:
            conn.connect()
        except OSError:  # no such socket, or nobody listening: the worker has exited
            conn.close()
            return None
        try:
            method = environ["REQUEST_METHOD"]
            body = environ["wsgi.input"].read(self.max_body + 1) if method not in ("GET", "HEAD") else None
            if body is not None and len(body) > self.max_body:  # a chunked body, too long
                return invalid_session(start_response)
            headers = request_headers(environ, upgrade=False) + [("Connection", "close")]
            conn.putrequest(method, request_target(environ), skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            answer = conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:  # the owner died meanwhile
            log.info("sticky forward to %s failed: %s", path.name, exc)
            return invalid_session(start_response)
        finally:
            conn.close()
        start_response(f"{answer.status} {answer.reason}",
                       [(k, v) for k, v in answer.getheaders() if k.lower() not in DROPPED_ANSWER_HEADERS])
        return [data]

    def _splice(self, environ, path: Path) -> None:
        """Hand the client's connection to the owner: replay the request, then copy bytes both ways."""
        import gevent

        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(str(path))
        except OSError:
            upstream.close()
            return
        client = environ["gunicorn.socket"]
        head = [f"{environ['REQUEST_METHOD']} {request_target(environ)} HTTP/1.1"]
        head += [f"{name}: {value}" for name, value in request_headers(environ, upgrade=True)]
        try:
            upstream.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            pumps = [gevent.spawn(copy, client, upstream), gevent.spawn(copy, upstream, client)]
            gevent.joinall(pumps, count=1)  # either side closed: end both
            gevent.killall(pumps)
        finally:
            upstream.close()
        raise StopIteration  # gunicorn closes the client connection, as after any WebSocket


def copy(source: socket.socket, target: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)


class PeerServer:
    """This worker's unix socket, served by gunicorn's own connection handler."""

    def __init__(self, worker, path: Path):
        from gevent.pool import Pool
        from gevent.server import StreamServer

        self.path = path
        with suppress(FileNotFoundError):
            path.unlink()  # left by an earlier process with this pid
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(path))
        listener.listen(128)
        self.server = StreamServer(listener, handle=partial(worker.handle, listener),
                                   spawn=Pool(worker.worker_connections))
        self.server.start()

    def stop(self) -> None:
        with suppress(FileNotFoundError):
            self.path.unlink()
        self.server.stop(timeout=1)


def close_sessions_on_stop(worker) -> None:
    """Once the worker is told to stop, close its Socket.IO sessions.

    A long-poll (held up to ping_interval, 25 s) or a WebSocket keeps a connection busy past
    graceful_timeout, and the master then kills the worker before its worker_exit (which stops
    LibreOffice and removes the unix socket). Closed sessions answer their long-polls at once; their
    clients connect again, to another worker when only this one stops (a reload, max_requests).
    """
    import gevent

    from .extensions import socketio

    while worker.alive:
        gevent.sleep(0.5)
    eio = socketio.server.eio
    for sid in list(eio.sockets):
        gevent.spawn(eio.disconnect, sid)  # one each: a close waits for its client to take the packet


def install(worker, run_dir: str | Path) -> PeerServer:
    """In a gunicorn worker, after the app is loaded: tag session ids, listen, route (see the module doc)."""
    from .extensions import socketio

    pid = os.getpid()
    eio = socketio.server.eio
    tag_session_ids(eio, pid)
    path = socket_path(run_dir, pid)
    peers = PeerServer(worker, path)
    # A long-poll is held up to ping_interval; leave room for ping_timeout and a slow owner.
    timeout = float(eio.ping_interval) + float(eio.ping_timeout) + 15
    worker.wsgi = Router(worker.wsgi, pid, run_dir, path, timeout, eio.max_http_buffer_size)
    log.info("worker %s serves other workers' Socket.IO requests on %s", pid, path)
    return peers
