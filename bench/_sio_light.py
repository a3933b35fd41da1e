"""A light Socket.IO client for benchmarks: many connections in one thread, so the clients cost little CPU.

python-socketio runs three threads per connection; with 200 of them on a small machine the clients,
not the server, set the latency. This speaks just enough of the protocols (WebSocket frames, Engine.IO 4,
Socket.IO 5) to connect with `auth`, emit with an ack, answer pings and receive events, for many
connections multiplexed by one selector.
"""

import base64
import json
import os
import selectors
import socket
import struct
import time


def _frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """A masked client frame (clients must mask)."""
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return header + mask + masked


def _parse(buffer: bytearray):
    """Take one whole server frame from the buffer: (opcode, payload) or None when incomplete."""
    if len(buffer) < 2:
        return None
    opcode, length = buffer[0] & 0x0F, buffer[1] & 0x7F
    offset = 2
    if length == 126:
        if len(buffer) < 4:
            return None
        length, offset = struct.unpack("!H", buffer[2:4])[0], 4
    elif length == 127:
        if len(buffer) < 10:
            return None
        length, offset = struct.unpack("!Q", buffer[2:10])[0], 10
    if len(buffer) < offset + length:
        return None
    payload = bytes(buffer[offset:offset + length])
    del buffer[:offset + length]
    return opcode, payload


class Connection:
    """One Socket.IO connection; `messages()` yields (text, receipt time) for every text frame read."""

    def __init__(self, host: str, port: int, auth: dict, timeout: float = 30):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        while b"\r\n\r\n" not in self.buffer:
            self._read_blocking()
        head, _, rest = bytes(self.buffer).partition(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.buffer = bytearray(rest)
        self._wait_for(lambda text: text.startswith("0"))
        self.send("40" + json.dumps(auth))
        reply = self._wait_for(lambda text: text.startswith("40") or text.startswith("44"))
        if reply.startswith("44"):
            raise ConnectionRefusedError(reply)
        self.acks = 0

    def _read_blocking(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed")
        self.buffer += data

    def _wait_for(self, wanted) -> str:
        while True:
            for text, _ in self.messages():
                if wanted(text):
                    return text
            self._read_blocking()

    def send(self, text: str) -> None:
        self.sock.sendall(_frame(text.encode()))

    def call(self, event: str, data) -> object:
        """Emit with an ack and wait for the answer (before going non-blocking)."""
        self.acks += 1
        ack_id = str(self.acks)
        self.send(f"42{ack_id}" + json.dumps([event, data]))
        reply = self._wait_for(lambda text: text.startswith("43" + ack_id + "["))
        return json.loads(reply[2 + len(ack_id):])[0]

    def messages(self):
        """Every complete text frame in the buffer; pings are answered here."""
        now = time.time()
        while True:
            frame = _parse(self.buffer)
            if frame is None:
                return
            opcode, payload = frame
            if opcode == 0x8:
                raise ConnectionError("server closed")
            if opcode == 0x9:
                self.sock.sendall(_frame(payload, 0xA))
                continue
            text = payload.decode()
            if text == "2":
                self.send("3")
                continue
            yield text, now

    def close(self) -> None:
        try:
            self.sock.setblocking(True)
            self.sock.sendall(_frame(b"", 0x8))
        except OSError:
            pass
        self.sock.close()


def listen(connections: list[Connection], on_event, stop) -> int:
    """Read every connection until `stop` is set; call on_event(name, data, receipt_time) for each event.

    Returns how many connections the server closed meanwhile (the others keep being read)."""
    selector = selectors.DefaultSelector()
    for conn in connections:
        conn.sock.setblocking(False)
        selector.register(conn.sock, selectors.EVENT_READ, conn)
    closed = 0
    while not stop.is_set():
        for key, _ in selector.select(timeout=0.2):
            conn = key.data
            try:
                data = conn.sock.recv(262144)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            conn.buffer += data
            try:
                for text, received_at in conn.messages():
                    if text.startswith("42["):
                        name, payload = json.loads(text[2:])[:2]
                        on_event(name, payload, received_at)
            except (ConnectionError, OSError):
                data = b""
            if not data:
                selector.unregister(conn.sock)
                closed += 1
    selector.close()
    return closed
