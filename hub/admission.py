"""Admission under load: a worker runs a few reads at once and lets the rest in strictly in arrival order.

A gevent worker starts every request it accepts at once; on a busy CPU they then share it in no
particular order, and whenever a connection (from SQLAlchemy's pool, or a gevent Semaphore's slot) is
freed, a request that has just arrived may take it ahead of one that has waited for seconds. Under 50
connections that left the slowest 1% of requests 5-20 times slower than the median. Here a freed slot is
handed to the longest waiter, so a request's wait is the queue ahead of it and no more.

Only page and API reads (GET and HEAD) are gated. Socket.IO requests (long-polls wait for events, a
WebSocket lives for hours) and writes (an upload waits on the client's network) would hold a slot while
using no CPU, so they pass straight through. A slot is held until the app returns its response, not while
the body is sent: a large download does not keep other requests waiting.
"""

import threading
from collections import deque

SOCKETIO_PATH = "/socket.io/"
GATED_METHODS = frozenset({"GET", "HEAD"})


class FairGate:
    """At most `size` callers inside at once; the others enter first come, first served.

    Uses threading's primitives, which gevent's monkey patching turns into its own under gunicorn.
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("a gate needs at least one slot")
        self.size = size
        self._lock = threading.Lock()
        self._free = size
        self._queue: deque[threading.Event] = deque()

    @property
    def waiting(self) -> int:
        return len(self._queue)

    @property
    def inside(self) -> int:
        with self._lock:
            return self.size - self._free

    def enter(self) -> None:
        with self._lock:
            if self._free and not self._queue:
                self._free -= 1
                return
            turn = threading.Event()
            self._queue.append(turn)
        try:
            turn.wait()
        except BaseException:  # killed while waiting (a worker stopping, a timeout): give up the place
            with self._lock:
                handed = turn.is_set()  # leave() gave us the slot just as we were interrupted
                if not handed:
                    self._queue.remove(turn)
            if handed:
                self.leave()
            raise

    def leave(self) -> None:
        with self._lock:
            if self._queue:
                self._queue.popleft().set()  # the slot passes on without ever being free
            else:
                self._free += 1

    def __enter__(self):
        self.enter()
        return self

    def __exit__(self, *exc):
        self.leave()


def gated(environ: dict) -> bool:
    return environ.get("REQUEST_METHOD") in GATED_METHODS and not environ.get("PATH_INFO", "").startswith(SOCKETIO_PATH)


class Admission:
    """WSGI middleware: reads go through a FairGate of `slots`; Socket.IO and writes go straight in."""

    def __init__(self, app, slots: int):
        self.app = app
        self.gate = FairGate(slots)

    def __call__(self, environ, start_response):
        if not gated(environ):
            return self.app(environ, start_response)
        with self.gate:
            return self.app(environ, start_response)
