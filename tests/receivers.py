"""Real HTTP receivers on loopback for pings and webhooks, each in its own thread."""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: object  # an email.message.Message: names are case-insensitive
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    # Status codes to answer with, in order; 200 once they run out.
    answers: list = field(default_factory=list)
    # Set while a request is held open (the receiver waits for `release`).
    hold_first: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    # Effects applied once per idempotency key, as a careful receiver does.
    applied: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bodies(self):
        return [request.body for request in self.requests]


@contextmanager
def http_receiver(dedupe_header="X-InsidersFeed-Delivery"):
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.requests.append(Received(self.command, self.path, self.headers, body))
                first = len(receiver.requests) == 1
                status = receiver.answers.pop(0) if receiver.answers else 200
            if first and receiver.hold_first:
                receiver.holding.set()
                receiver.release.wait(30)
                return  # the sender was killed meanwhile: nothing to answer
            if status < 300:
                key = self.headers.get(dedupe_header) or body
                with receiver.lock:
                    receiver.applied[key] = receiver.applied.get(key, 0) + 1
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_BAN = do_PUT = do_PURGE = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
